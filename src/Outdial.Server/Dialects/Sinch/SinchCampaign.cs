using System.Security.Cryptography;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Statistics;
using Outdial.Engine.Statistics;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>
/// OBI's campaign entity: what GET answers and what PUT takes. On PUT the fields the system sets (id, counts, statuses,
/// dialer, queueName, registered, stats) are accepted and ignored, so a client can send back what it read.
/// </summary>
internal sealed record SinchCampaign
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Remarks { get; init; }
    public string? DialerId { get; init; }
    /// <summary>The document's example repeats dialerId as "dialer".</summary>
    public string? Dialer { get; init; }
    public string? DialerName { get; init; }
    public DialerType? DialerType { get; init; }
    public DialingMode? DialingMode { get; init; }
    public CampaignStatus? Status { get; init; }
    public DialerStatus? DialerStatus { get; init; }
    public string? QueueId { get; init; }
    public string? QueueName { get; init; }
    public string? CustomIvrNumber { get; init; }
    public long? Total { get; init; }
    public long? Handled { get; init; }
    public long? NotHandled { get; init; }
    public long? Callable { get; init; }
    public long? MaxCalls { get; init; }
    public long? Filtered { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public DateTimeOffset? Registered { get; init; }
    public string? TimeZone { get; init; }
    public int? LoggedOn { get; init; }
    public double? AbandonRate { get; init; }
    public double? IncreasePredictiveRatio { get; init; }
    public SinchStats? Stats { get; init; }
}

internal sealed record SinchStats(SinchCounters? Total, SinchCounters? Daily);

/// <summary>OBI's statistics counters (campaign stats and the rows of /statistics); times in seconds.</summary>
internal record SinchCounters
{
    public long NumberOfHandledCustomers { get; init; }
    public long NumberOfCalls { get; init; }
    public long NumberOfSuccessfulCalls { get; init; }
    public long NumberOfRefusalCalls { get; init; }
    public long NumberOfAmountCalls { get; init; }
    public long NumberOfSkipCalls { get; init; }
    public long NumberOfRejectCalls { get; init; }
    public long NumberOfOperLogoutCalls { get; init; }
    public long NumberOfNotDialedCalls { get; init; }
    public long NumberOfHangupCalls { get; init; }
    public long NumberOfAbandonedCalls { get; init; }
    public double Amount { get; init; }
    public double LoginTime { get; init; }
    public double PauseTime { get; init; }
    public double WaitTime { get; init; }
    public double PreviewTime { get; init; }
    public double CallTime { get; init; }
    public double TalkingTime { get; init; }
    public double WrapTime { get; init; }
    public long NumberOfCustomers { get; init; }
    /// <summary>In campaign stats; the rows of /statistics are per agent and leave it out.</summary>
    public long? NumberOfAgents { get; init; }

    public static SinchCounters Of(StatisticsCounters c, bool withAgents = true) => new()
    {
        NumberOfHandledCustomers = c.NumberOfHandledCustomers,
        NumberOfCalls = c.NumberOfCalls,
        NumberOfSuccessfulCalls = c.NumberOfSuccessfulCalls,
        NumberOfRefusalCalls = c.NumberOfRefusalCalls,
        NumberOfAmountCalls = c.NumberOfAmountCalls,
        NumberOfSkipCalls = c.NumberOfSkipCalls,
        NumberOfRejectCalls = c.NumberOfRejectCalls,
        NumberOfOperLogoutCalls = c.NumberOfOperLogoutCalls,
        NumberOfNotDialedCalls = c.NumberOfNotDialedCalls,
        NumberOfHangupCalls = c.NumberOfHangupCalls,
        NumberOfAbandonedCalls = c.NumberOfAbandonedCalls,
        Amount = c.Amount,
        LoginTime = c.LoginTime,
        PauseTime = c.PauseTime,
        WaitTime = c.WaitTime,
        PreviewTime = c.PreviewTime,
        CallTime = c.CallTime,
        TalkingTime = c.TalkingTime,
        WrapTime = c.WrapTime,
        NumberOfCustomers = c.NumberOfCustomers,
        NumberOfAgents = withAgents ? c.NumberOfAgents : null,
    };
}

internal static class SinchCampaignMapping
{
    /// <summary>
    /// Outdial runs one built-in dialer of each type, not dialer objects of their own: its id is fixed per type (a hash of the
    /// type's name, the same on every server) and its name the document's ("Queue Dialer", "Campaign Dialer").
    /// </summary>
    public static string DialerId(DialerType type) =>
        Id32.Format(new Guid(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("outdial-dialer:" + type)).AsSpan(0, 16)));

    public static string DialerName(DialerType type) => type == DialerType.QueueDialer ? "Queue Dialer" : "Campaign Dialer";

    public static SinchCampaign AsSinch(this CampaignOverview overview, SinchStats? stats)
    {
        var (c, counts) = (overview.Campaign, overview.Counts);
        var dialerId = DialerId(c.DialerType);
        return new SinchCampaign
        {
            Id = c.Id,
            Name = c.Name,
            Remarks = c.Remarks,
            DialerId = dialerId,
            Dialer = dialerId,
            DialerName = DialerName(c.DialerType),
            DialerType = c.DialerType,
            DialingMode = c.DialingMode,
            Status = c.Status,
            DialerStatus = c.DialerStatus,
            QueueId = c.QueueId,
            QueueName = overview.QueueName,
            CustomIvrNumber = c.CustomIvrNumber,
            Total = counts.Total,
            Handled = counts.Handled,
            NotHandled = counts.NotHandled,
            Callable = counts.Callable,
            MaxCalls = counts.MaxCalls,
            Filtered = counts.Filtered,
            StartDate = c.StartDate,
            EndDate = c.EndDate,
            Registered = c.Registered,
            TimeZone = c.TimeZone,
            LoggedOn = overview.LoggedOn,
            AbandonRate = c.AbandonRate,
            IncreasePredictiveRatio = c.IncreasePredictiveRatio,
            Stats = stats,
        };
    }

    /// <summary>The fields OBI's PUT replaces; every other setting of the campaign (retries, window, rules) is kept.</summary>
    private static readonly HashSet<string> Replaced = new(StringComparer.Ordinal)
    {
        "name", "remarks", "dialingMode", "queueId", "customIvrNumber", "startDate", "endDate", "timeZone", "abandonRate", "increasePredictiveRatio",
    };

    public static CampaignChanges ToChanges(this SinchCampaign input) => new()
    {
        Name = input.Name,
        Remarks = input.Remarks,
        DialingMode = input.DialingMode,
        QueueId = input.QueueId is { } q ? SinchIds.Parse(q, "queueId") : null,
        CustomIvrNumber = input.CustomIvrNumber,
        StartDate = input.StartDate,
        EndDate = input.EndDate,
        TimeZone = input.TimeZone,
        AbandonRate = input.AbandonRate is { } rate and (< 0 or > 2)
            ? throw new Engine.Operations.ValidationException("'abandonRate' must be between 0.0 and 2.0", "abandonRate")
            : input.AbandonRate,
        IncreasePredictiveRatio = input.IncreasePredictiveRatio,
        Replaced = Replaced,
    };

    /// <summary>stats.total when the campaign has been worked at all, stats.daily when it was worked that day (OBI leaves
    /// out the statistics of a campaign that never ran); null when neither.</summary>
    public static SinchStats? AsSinchStats(this CampaignStatistics s, bool withTotal)
    {
        var total = withTotal && Worked(s.Total) ? SinchCounters.Of(s.Total) : null;
        var daily = Worked(s.Daily) ? SinchCounters.Of(s.Daily) : null;
        return total is null && daily is null ? null : new SinchStats(total, daily);
    }

    private static bool Worked(StatisticsCounters c) => c.NumberOfCalls > 0 || c.LoginTime > 0 || c.NumberOfHandledCustomers > 0;
}
