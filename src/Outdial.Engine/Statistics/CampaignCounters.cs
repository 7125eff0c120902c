namespace Outdial.Engine.Statistics;

/// <summary>The OBI statistics counters, exactly as the Sinch OBI document names and defines them.</summary>
/// <remarks>Times are seconds. A store may read them from tallies it keeps in the transaction that writes each attempt
/// and interval, but they must always equal a recount of the attempt history and agent state intervals (the store
/// contract suite's CallTalliesContract holds stores to that).</remarks>
public sealed record StatisticsCounters
{
    public long NumberOfHandledCustomers { get; init; }
    public long NumberOfCalls { get; init; }
    /// <summary>SUCCESS and REFUSAL calls.</summary>
    public long NumberOfSuccessfulCalls { get; init; }
    public long NumberOfRefusalCalls { get; init; }
    public long NumberOfAmountCalls { get; init; }
    public long NumberOfSkipCalls { get; init; }
    public long NumberOfRejectCalls { get; init; }
    public long NumberOfOperLogoutCalls { get; init; }
    public long NumberOfNotDialedCalls { get; init; }
    public long NumberOfHangupCalls { get; init; }
    public long NumberOfAbandonedCalls { get; init; }
    /// <summary>Amount collected from SUCCESS calls.</summary>
    public double Amount { get; init; }
    public double LoginTime { get; init; }
    public double PauseTime { get; init; }
    public double WaitTime { get; init; }
    public double PreviewTime { get; init; }
    public double CallTime { get; init; }
    public double TalkingTime { get; init; }
    public double WrapTime { get; init; }
    public long NumberOfCustomers { get; init; }
    public long NumberOfAgents { get; init; }
}

/// <summary>Counters of one (campaign, agent) pair; a null agent is work the dialer did without an agent.</summary>
public sealed record AgentStatistics(string CampaignId, string CampaignName, string? AgentId, string? AgentName, StatisticsCounters Counters);

/// <summary>OBI campaign counts: how many customers are in which condition now.</summary>
public sealed record CampaignCounts(long Total, long Handled, long NotHandled, long Callable, long MaxCalls, long Filtered);

public sealed record ResultStatistics(string Result, string? CallResult, string? Classifier, long Count);

/// <summary>Abandon rate as the OBI <c>abandonRate</c> field means it: abandoned / answered by a person, in percent.</summary>
public sealed record AbandonRate(long Abandoned, long AnsweredByPerson)
{
    public double Percent => AnsweredByPerson == 0 ? 0 : 100.0 * Abandoned / AnsweredByPerson;
}
