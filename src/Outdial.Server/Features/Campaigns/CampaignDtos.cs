using System.Globalization;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Campaigns;

namespace Outdial.Server.Features.Campaigns;

public sealed record WindowDto(string Start, string End);

public sealed record RollingCapDto(int Calls, int Hours);

public sealed record RuleDto(RuleAction Action, int DelaySeconds = 0);

public sealed record CampaignDto(
    string Id, string Name, string? Remarks, DialerType DialerType, DialingMode DialingMode, CampaignStatus Status,
    DialerStatus DialerStatus, string? QueueId, string? CustomIvrNumber, DateTimeOffset? StartDate, DateTimeOffset? EndDate,
    string? TimeZone, double AbandonRate, double IncreasePredictiveRatio, DateTimeOffset Registered, DateTimeOffset Modified,
    int RetryCount, WindowDto CallingWindow, string? CallerId, string? DefaultRegion, int? MaxAttemptsPerNumber,
    int? MaxAttemptsPerDay, RollingCapDto? RollingCap, int NoRedialAfterAbandonHours,
    IReadOnlyDictionary<CallResult, RuleDto> Rules, string? DefaultListId, IReadOnlyList<string> Lists);

/// <summary>Editable fields of a campaign. On PUT, an omitted field takes its default; on PATCH it keeps its value.</summary>
public sealed record CampaignInput(
    string? Name = null, string? Remarks = null, DialerType? DialerType = null, DialingMode? DialingMode = null,
    string? QueueId = null, string? CustomIvrNumber = null, DateTimeOffset? StartDate = null, DateTimeOffset? EndDate = null,
    string? TimeZone = null, double? AbandonRate = null, double? IncreasePredictiveRatio = null, int? RetryCount = null,
    WindowDto? CallingWindow = null, string? CallerId = null, string? DefaultRegion = null, int? MaxAttemptsPerNumber = null,
    int? MaxAttemptsPerDay = null, RollingCapDto? RollingCap = null, int? NoRedialAfterAbandonHours = null,
    Dictionary<CallResult, RuleDto?>? Rules = null)
{
    public CampaignChanges ToChanges() => new()
    {
        Name = Name,
        Remarks = Remarks,
        DialerType = DialerType,
        DialingMode = DialingMode,
        QueueId = QueueId,
        CustomIvrNumber = CustomIvrNumber,
        StartDate = StartDate,
        EndDate = EndDate,
        TimeZone = TimeZone,
        AbandonRate = AbandonRate,
        IncreasePredictiveRatio = IncreasePredictiveRatio,
        RetryCount = RetryCount,
        CallingWindow = CallingWindow is { } w ? new WindowText(w.Start, w.End) : null,
        CallerId = CallerId,
        DefaultRegion = DefaultRegion,
        MaxAttemptsPerNumber = MaxAttemptsPerNumber,
        MaxAttemptsPerDay = MaxAttemptsPerDay,
        RollingCap = RollingCap is { } cap ? new RollingCap(cap.Calls, cap.Hours) : null,
        NoRedialAfterAbandonHours = NoRedialAfterAbandonHours,
        Rules = Rules?.ToDictionary(r => r.Key, r => r.Value is { } rule ? new ResultRule(rule.Action, rule.DelaySeconds) : null),
    };
}

public sealed record StatusInput(CampaignStatus? Status);

internal static class CampaignMapping
{
    public static CampaignDto AsDto(this CampaignView view) => view.Campaign.AsDto(view.Lists);

    private static CampaignDto AsDto(this Campaign c, IReadOnlyList<string> lists) => new(
        c.Id, c.Name, c.Remarks, c.DialerType, c.DialingMode, c.Status, c.DialerStatus, c.QueueId, c.CustomIvrNumber,
        c.StartDate, c.EndDate, c.TimeZone, c.AbandonRate, c.IncreasePredictiveRatio, c.Registered, c.Modified, c.RetryCount,
        new WindowDto(Format(c.CallingWindow.Start), Format(c.CallingWindow.End)), c.CallerId, c.DefaultRegion,
        c.MaxAttemptsPerNumber, c.MaxAttemptsPerDay,
        c.RollingCapCalls is { } calls && c.RollingCapHours is { } hours ? new RollingCapDto(calls, hours) : null,
        c.NoRedialAfterAbandonHours, c.Rules.ToDictionary(r => r.Key, r => new RuleDto(r.Value.Action, r.Value.DelaySeconds)),
        c.DefaultListId, lists);

    private static string Format(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);
}
