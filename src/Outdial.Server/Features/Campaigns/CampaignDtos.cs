using System.Globalization;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Campaigns;

public sealed record WindowDto(string Start, string End);

public sealed record RollingCapDto(int Calls, int Hours);

public sealed record CampaignDto(
    string Id, string Name, string? Remarks, DialerType DialerType, DialingMode DialingMode, CampaignStatus Status,
    DialerStatus DialerStatus, string? QueueId, string? CustomIvrNumber, DateTimeOffset? StartDate, DateTimeOffset? EndDate,
    string? TimeZone, double AbandonRate, double IncreasePredictiveRatio, DateTimeOffset Registered, DateTimeOffset Modified,
    int RetryCount, WindowDto CallingWindow, string? CallerId, string? DefaultRegion, int? MaxAttemptsPerNumber,
    int? MaxAttemptsPerDay, RollingCapDto? RollingCap, int NoRedialAfterAbandonHours,
    IReadOnlyDictionary<CallResult, ResultRule> Rules, string? DefaultListId, IReadOnlyList<string> Lists);

/// <summary>Editable fields of a campaign. On PUT, an omitted field takes its default; on PATCH it keeps its value.</summary>
public sealed record CampaignInput(
    string? Name = null, string? Remarks = null, DialerType? DialerType = null, DialingMode? DialingMode = null,
    string? QueueId = null, string? CustomIvrNumber = null, DateTimeOffset? StartDate = null, DateTimeOffset? EndDate = null,
    string? TimeZone = null, double? AbandonRate = null, double? IncreasePredictiveRatio = null, int? RetryCount = null,
    WindowDto? CallingWindow = null, string? CallerId = null, string? DefaultRegion = null, int? MaxAttemptsPerNumber = null,
    int? MaxAttemptsPerDay = null, RollingCapDto? RollingCap = null, int? NoRedialAfterAbandonHours = null,
    Dictionary<CallResult, ResultRule>? Rules = null);

public sealed record StatusInput(CampaignStatus? Status);

internal static class CampaignMapping
{
    /// <summary>Native abandon-rate ceiling in percent: the strictest common regulatory limit is 3 %, some allow 5 %.</summary>
    public const double MaxAbandonRate = 5.0;

    public static CampaignDto AsDto(this Campaign c, IReadOnlyList<string> lists) => new(
        c.Id, c.Name, c.Remarks, c.DialerType, c.DialingMode, c.Status, c.DialerStatus, c.QueueId, c.CustomIvrNumber,
        c.StartDate, c.EndDate, c.TimeZone, c.AbandonRate, c.IncreasePredictiveRatio, c.Registered, c.Modified, c.RetryCount,
        new WindowDto(Format(c.CallingWindow.Start), Format(c.CallingWindow.End)), c.CallerId, c.DefaultRegion,
        c.MaxAttemptsPerNumber, c.MaxAttemptsPerDay,
        c.RollingCapCalls is { } calls && c.RollingCapHours is { } hours ? new RollingCapDto(calls, hours) : null,
        c.NoRedialAfterAbandonHours, c.Rules, c.DefaultListId, lists);

    private static string Format(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Applies the given fields onto <paramref name="basis"/>, validating each; partial keeps omitted fields.</summary>
    public static Campaign Apply(this CampaignInput input, Campaign basis, bool partial)
    {
        Campaign defaults = new() { Id = basis.Id, Name = basis.Name };
        var keep = partial ? basis : defaults;
        var campaign = basis with
        {
            Name = input.Name is null && partial ? basis.Name : Validate.Name(input.Name, "name"),
            Remarks = Validate.Optional(input.Remarks, "remarks") ?? keep.Remarks,
            DialerType = input.DialerType ?? keep.DialerType,
            DialingMode = input.DialingMode ?? keep.DialingMode,
            QueueId = input.QueueId is null ? keep.QueueId : Validate.Id(input.QueueId, "queueId"),
            CustomIvrNumber = Validate.Optional(input.CustomIvrNumber, "customIvrNumber", 64) ?? keep.CustomIvrNumber,
            StartDate = Validate.Date(input.StartDate, "startDate") ?? keep.StartDate,
            EndDate = Validate.Date(input.EndDate, "endDate") ?? keep.EndDate,
            TimeZone = Validate.TimeZone(input.TimeZone, "timeZone") ?? keep.TimeZone,
            AbandonRate = Range(input.AbandonRate, "abandonRate", 0, MaxAbandonRate) ?? keep.AbandonRate,
            IncreasePredictiveRatio = Range(input.IncreasePredictiveRatio, "increasePredictiveRatio", 0, 100) ?? keep.IncreasePredictiveRatio,
            RetryCount = (int?)Range(input.RetryCount, "retryCount", 0, 100) ?? keep.RetryCount,
            CallingWindow = input.CallingWindow is { } w ? Window(w) : keep.CallingWindow,
            CallerId = Validate.Optional(input.CallerId, "callerId", 64) ?? keep.CallerId,
            DefaultRegion = Validate.Region(input.DefaultRegion, "defaultRegion") ?? keep.DefaultRegion,
            MaxAttemptsPerNumber = (int?)Range(input.MaxAttemptsPerNumber, "maxAttemptsPerNumber", 1, 1000) ?? keep.MaxAttemptsPerNumber,
            MaxAttemptsPerDay = (int?)Range(input.MaxAttemptsPerDay, "maxAttemptsPerDay", 1, 1000) ?? keep.MaxAttemptsPerDay,
            RollingCapCalls = input.RollingCap is { } cap ? (int)Range(cap.Calls, "rollingCap.calls", 1, 1000)! : keep.RollingCapCalls,
            RollingCapHours = input.RollingCap is { } cap2 ? (int)Range(cap2.Hours, "rollingCap.hours", 1, 24 * 366)! : keep.RollingCapHours,
            NoRedialAfterAbandonHours = (int?)Range(input.NoRedialAfterAbandonHours, "noRedialAfterAbandonHours", 0, 24 * 366) ?? keep.NoRedialAfterAbandonHours,
            Rules = input.Rules is { } rules ? Rules(rules, partial ? basis.Rules : Campaign.DefaultRules) : keep.Rules,
        };
        if (campaign.StartDate is { } s && campaign.EndDate is { } e && e <= s)
            throw new ValidationException("'endDate' must be after 'startDate'");
        return campaign;
    }

    private static double? Range(double? value, string field, double min, double max)
    {
        if (value is not { } v) return null;
        if (double.IsNaN(v) || v < min || v > max) throw new ValidationException($"'{field}' must be between {min} and {max}");
        return v;
    }

    private static CallingWindow Window(WindowDto dto)
    {
        static TimeOnly Parse(string? s, string field) =>
            TimeOnly.TryParseExact(s, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t
                : throw new ValidationException($"'{field}' must be a local time HH:mm, got '{s}'");
        var window = new CallingWindow(Parse(dto.Start, "callingWindow.start"), Parse(dto.End, "callingWindow.end"));
        if (window.Start == window.End) throw new ValidationException("'callingWindow' must not be empty (start equals end)");
        return window;
    }

    private static Dictionary<CallResult, ResultRule> Rules(Dictionary<CallResult, ResultRule> input, IReadOnlyDictionary<CallResult, ResultRule> basis)
    {
        var merged = new Dictionary<CallResult, ResultRule>(basis);
        foreach (var (result, rule) in input)
        {
            if (result is CallResult.DIALING or CallResult.MAXCALLS)
                throw new ValidationException($"'rules.{result}': {result} is set by the dialer and takes no rule");
            if (rule is null) throw new ValidationException($"'rules.{result}' is null: give a rule such as {{\"action\": \"Retry\", \"delaySeconds\": 600}}");
            if (!Enum.IsDefined(rule.Action)) throw new ValidationException($"'rules.{result}.action' is not a known action");
            if (rule.DelaySeconds < 0 || rule.DelaySeconds > 366 * 86400)
                throw new ValidationException($"'rules.{result}.delaySeconds' must be between 0 and {366 * 86400}");
            merged[result] = rule;
        }
        return merged;
    }
}
