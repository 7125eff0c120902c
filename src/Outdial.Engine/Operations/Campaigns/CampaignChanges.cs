using System.Globalization;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Operations.Campaigns;

/// <summary>A local time-of-day window as a caller writes it (HH:mm or HH:mm:ss).</summary>
public sealed record WindowText(string? Start, string? End);

public sealed record RollingCap(int Calls, int Hours);

/// <summary>Editable fields of a campaign; null means "not given". On a full update an omitted field takes its default,
/// on a partial one it keeps its value.</summary>
public sealed record CampaignChanges
{
    /// <summary>Abandon-rate ceiling in percent: the strictest common regulatory limit is 3 %, some allow 5 %.</summary>
    public const double MaxAbandonRate = 5.0;

    public string? Name { get; init; }
    public string? Remarks { get; init; }
    public DialerType? DialerType { get; init; }
    public DialingMode? DialingMode { get; init; }
    public string? QueueId { get; init; }
    public string? CustomIvrNumber { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public string? TimeZone { get; init; }
    public double? AbandonRate { get; init; }
    public double? IncreasePredictiveRatio { get; init; }
    public int? RetryCount { get; init; }
    public WindowText? CallingWindow { get; init; }
    public string? CallerId { get; init; }
    public string? DefaultRegion { get; init; }
    public int? MaxAttemptsPerNumber { get; init; }
    public int? MaxAttemptsPerDay { get; init; }
    public RollingCap? RollingCap { get; init; }
    public int? NoRedialAfterAbandonHours { get; init; }
    /// <summary>Rules by result; a null rule is refused (the caller meant something and said nothing).</summary>
    public IReadOnlyDictionary<CallResult, ResultRule?>? Rules { get; init; }

    /// <summary>
    /// Fields (by their API names) that a partial update replaces all the same: omitted, they take their default. A dialect
    /// that replaces every field it knows uses it to keep the settings it has no name for (OBI's PUT keeps the retry rules).
    /// </summary>
    public IReadOnlySet<string> Replaced { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Applies the given fields onto <paramref name="basis"/>, validating each; partial keeps omitted fields.</summary>
    public Campaign ApplyTo(Campaign basis, bool partial)
    {
        Campaign defaults = new() { Id = basis.Id, Name = basis.Name };
        Campaign Keep(string field) => partial && !Replaced.Contains(field) ? basis : defaults;
        var campaign = basis with
        {
            Name = Name is null && partial && !Replaced.Contains("name") ? basis.Name : Validate.Name(Name, "name"),
            Remarks = Validate.Optional(Remarks, "remarks") ?? Keep("remarks").Remarks,
            DialerType = DialerType ?? Keep("dialerType").DialerType,
            DialingMode = DialingMode ?? Keep("dialingMode").DialingMode,
            QueueId = QueueId is null ? Keep("queueId").QueueId : Validate.Id(QueueId, "queueId"),
            CustomIvrNumber = Validate.Optional(CustomIvrNumber, "customIvrNumber", 64) ?? Keep("customIvrNumber").CustomIvrNumber,
            StartDate = Validate.Date(StartDate, "startDate") ?? Keep("startDate").StartDate,
            EndDate = Validate.Date(EndDate, "endDate") ?? Keep("endDate").EndDate,
            TimeZone = Validate.TimeZone(TimeZone, "timeZone") ?? Keep("timeZone").TimeZone,
            AbandonRate = Range(AbandonRate, "abandonRate", 0, MaxAbandonRate) ?? Keep("abandonRate").AbandonRate,
            IncreasePredictiveRatio = Range(IncreasePredictiveRatio, "increasePredictiveRatio", 0, 100) ?? Keep("increasePredictiveRatio").IncreasePredictiveRatio,
            RetryCount = (int?)Range(RetryCount, "retryCount", 0, 100) ?? Keep("retryCount").RetryCount,
            CallingWindow = CallingWindow is { } w ? Window(w) : Keep("callingWindow").CallingWindow,
            CallerId = Validate.Optional(CallerId, "callerId", 64) ?? Keep("callerId").CallerId,
            DefaultRegion = Validate.Region(DefaultRegion, "defaultRegion") ?? Keep("defaultRegion").DefaultRegion,
            MaxAttemptsPerNumber = (int?)Range(MaxAttemptsPerNumber, "maxAttemptsPerNumber", 1, 1000) ?? Keep("maxAttemptsPerNumber").MaxAttemptsPerNumber,
            MaxAttemptsPerDay = (int?)Range(MaxAttemptsPerDay, "maxAttemptsPerDay", 1, 1000) ?? Keep("maxAttemptsPerDay").MaxAttemptsPerDay,
            RollingCapCalls = RollingCap is { } cap ? (int)Range(cap.Calls, "rollingCap.calls", 1, 1000)! : Keep("rollingCap").RollingCapCalls,
            RollingCapHours = RollingCap is { } cap2 ? (int)Range(cap2.Hours, "rollingCap.hours", 1, 24 * 366)! : Keep("rollingCap").RollingCapHours,
            NoRedialAfterAbandonHours = (int?)Range(NoRedialAfterAbandonHours, "noRedialAfterAbandonHours", 0, 24 * 366) ?? Keep("noRedialAfterAbandonHours").NoRedialAfterAbandonHours,
            Rules = Rules is { } rules ? MergeRules(rules, partial ? basis.Rules : Campaign.DefaultRules) : Keep("rules").Rules,
        };
        if (campaign.StartDate is { } s && campaign.EndDate is { } e && e <= s)
            throw new ValidationException("'endDate' must be after 'startDate'", "endDate");
        return campaign;
    }

    private static double? Range(double? value, string field, double min, double max)
    {
        if (value is not { } v) return null;
        if (double.IsNaN(v) || v < min || v > max) throw new ValidationException($"'{field}' must be between {min} and {max}", field);
        return v;
    }

    private static CallingWindow Window(WindowText text)
    {
        static TimeOnly Parse(string? s, string field) =>
            TimeOnly.TryParseExact(s, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t
                : throw new ValidationException($"'{field}' must be a local time HH:mm, got '{s}'", field);
        var window = new CallingWindow(Parse(text.Start, "callingWindow.start"), Parse(text.End, "callingWindow.end"));
        if (window.Start == window.End) throw new ValidationException("'callingWindow' must not be empty (start equals end)", "callingWindow");
        return window;
    }

    private static Dictionary<CallResult, ResultRule> MergeRules(IReadOnlyDictionary<CallResult, ResultRule?> input, IReadOnlyDictionary<CallResult, ResultRule> basis)
    {
        var merged = new Dictionary<CallResult, ResultRule>(basis);
        foreach (var (result, rule) in input)
        {
            var field = $"rules.{result}";
            if (result is CallResult.DIALING or CallResult.MAXCALLS)
                throw new ValidationException($"'{field}': {result} is set by the dialer and takes no rule", field);
            if (rule is null) throw new ValidationException($"'{field}' is null: give a rule such as {{\"action\": \"Retry\", \"delaySeconds\": 600}}", field);
            if (!Enum.IsDefined(rule.Action)) throw new ValidationException($"'{field}.action' is not a known action", field + ".action");
            if (rule.DelaySeconds < 0 || rule.DelaySeconds > 366 * 86400)
                throw new ValidationException($"'{field}.delaySeconds' must be between 0 and {366 * 86400}", field + ".delaySeconds");
            merged[result] = rule;
        }
        return merged;
    }
}
