using Outdial.Engine.Operations.Statistics;
using Outdial.Engine.Statistics;

namespace Outdial.Server.Features.Statistics;

/// <summary>The OBI statistics counters under their OBI names; times in seconds.</summary>
public sealed record StatisticsCountersDto(
    long NumberOfHandledCustomers, long NumberOfCalls, long NumberOfSuccessfulCalls, long NumberOfRefusalCalls, long NumberOfAmountCalls,
    long NumberOfSkipCalls, long NumberOfRejectCalls, long NumberOfOperLogoutCalls, long NumberOfNotDialedCalls, long NumberOfHangupCalls,
    long NumberOfAbandonedCalls, double Amount, double LoginTime, double PauseTime, double WaitTime, double PreviewTime, double CallTime,
    double TalkingTime, double WrapTime, long NumberOfCustomers, long NumberOfAgents);

public sealed record CampaignCountsDto(long Total, long Handled, long NotHandled, long Callable, long MaxCalls, long Filtered);

public sealed record CampaignStatisticsDto(
    StatisticsCountersDto Total, StatisticsCountersDto Daily, DateOnly Date, CampaignCountsDto Counts, double AbandonRate24h, double AbandonRate30d);

public sealed record ResultStatisticsDto(string Result, string? CallResult, string? Classifier, long Count);

public sealed record AgentStatisticsDto(string CampaignId, string CampaignName, string? AgentId, string? AgentName, StatisticsCountersDto Counters);

internal static class StatisticsMapping
{
    public static StatisticsCountersDto AsDto(this StatisticsCounters c) => new(
        c.NumberOfHandledCustomers, c.NumberOfCalls, c.NumberOfSuccessfulCalls, c.NumberOfRefusalCalls, c.NumberOfAmountCalls,
        c.NumberOfSkipCalls, c.NumberOfRejectCalls, c.NumberOfOperLogoutCalls, c.NumberOfNotDialedCalls, c.NumberOfHangupCalls,
        c.NumberOfAbandonedCalls, c.Amount, c.LoginTime, c.PauseTime, c.WaitTime, c.PreviewTime, c.CallTime, c.TalkingTime, c.WrapTime,
        c.NumberOfCustomers, c.NumberOfAgents);

    public static CampaignCountsDto AsDto(this CampaignCounts c) => new(c.Total, c.Handled, c.NotHandled, c.Callable, c.MaxCalls, c.Filtered);

    public static CampaignStatisticsDto AsDto(this CampaignStatistics s) =>
        new(s.Total.AsDto(), s.Daily.AsDto(), s.Date, s.Counts.AsDto(), s.AbandonRate24h, s.AbandonRate30d);

    public static ResultStatisticsDto AsDto(this ResultStatistics r) => new(r.Result, r.CallResult, r.Classifier, r.Count);

    public static AgentStatisticsDto AsDto(this AgentStatistics a) => new(a.CampaignId, a.CampaignName, a.AgentId, a.AgentName, a.Counters.AsDto());
}
