namespace Outdial.Engine.Domain;

public sealed record Queue(string Id, string Name);

public sealed record Agent(string Id, string Login, string Name);

/// <summary>A calling list: records live in a list; a list may feed several campaigns.</summary>
public sealed record CallingList(string Id, string Name, string? DefaultRegion, DateTimeOffset Created);

/// <summary>Local time-of-day window in which a number may be called, evaluated in the number's own time zone.</summary>
public sealed record CallingWindow(TimeOnly Start, TimeOnly End)
{
    /// <summary>The US federal (TCPA) default: 08:00 to 21:00 local.</summary>
    public static readonly CallingWindow Default = new(new TimeOnly(8, 0), new TimeOnly(21, 0));
}

/// <summary>What happens to a record after an attempt ends with a given result.</summary>
public enum RuleAction { Final, Retry, NextNumber, InvalidateNumber, Callback }

public sealed record ResultRule(RuleAction Action, int DelaySeconds = 0);

public sealed record Campaign
{
    public required string Id { get; init; }
    /// <summary>Integer id (jtel's DiallerCampaignsID), the store's serial; 0 on a campaign not read from the store.</summary>
    public long Number { get; init; }
    public required string Name { get; init; }
    public string? Remarks { get; init; }
    public DialerType DialerType { get; init; } = DialerType.CampaignDialer;
    public DialingMode DialingMode { get; init; } = DialingMode.PREVIEW;
    public CampaignStatus Status { get; init; } = CampaignStatus.Passive;
    public DialerStatus DialerStatus { get; init; } = DialerStatus.PASSIVE;
    public string? QueueId { get; init; }
    public string? CustomIvrNumber { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    /// <summary>IANA zone of the campaign itself (reporting, default for records without a zone).</summary>
    public string? TimeZone { get; init; }
    /// <summary>Target abandon rate in percent (OBI: 0.0 to 2.0, default 1.0).</summary>
    public double AbandonRate { get; init; } = 1.0;
    /// <summary>Extra calls for busy agents in percent (0 to 100), self-tuned by predictive pacing.</summary>
    public double IncreasePredictiveRatio { get; init; }
    public DateTimeOffset Registered { get; init; }
    public DateTimeOffset Modified { get; init; }
    /// <summary>Retries after the first attempt; RetryCount + 1 BUSY/NOANSWER attempts give MAXCALLS.</summary>
    public int RetryCount { get; init; } = 3;
    public CallingWindow CallingWindow { get; init; } = CallingWindow.Default;
    public string? CallerId { get; init; }
    /// <summary>Region (ISO 3166 alpha-2) for numbers written in national form.</summary>
    public string? DefaultRegion { get; init; }
    public int? MaxAttemptsPerNumber { get; init; }
    public int? MaxAttemptsPerDay { get; init; }
    /// <summary>Rolling cap per number across the tenant's campaigns: at most N calls per D hours.</summary>
    public int? RollingCapCalls { get; init; }
    public int? RollingCapHours { get; init; }
    public int NoRedialAfterAbandonHours { get; init; } = 72;
    public IReadOnlyDictionary<CallResult, ResultRule> Rules { get; init; } = DefaultRules;
    /// <summary>The list that receives records added directly to the campaign.</summary>
    public string? DefaultListId { get; init; }

    public static readonly IReadOnlyDictionary<CallResult, ResultRule> DefaultRules = new Dictionary<CallResult, ResultRule>
    {
        [CallResult.SUCCESS] = new(RuleAction.Final),
        [CallResult.REFUSAL] = new(RuleAction.Final),
        [CallResult.BUSY] = new(RuleAction.Retry, 300),
        [CallResult.NOANSWER] = new(RuleAction.Retry, 3600),
        [CallResult.ANSWERING_MACHINE] = new(RuleAction.Retry, 7200),
        [CallResult.FAX] = new(RuleAction.InvalidateNumber),
        [CallResult.INVALID_NUMBER] = new(RuleAction.InvalidateNumber),
        [CallResult.AGENT_REJECTED] = new(RuleAction.Retry, 600),
        [CallResult.HANGUP] = new(RuleAction.Retry, 3600),
        [CallResult.ABANDONED] = new(RuleAction.Retry, 72 * 3600),
        [CallResult.SKIP] = new(RuleAction.Retry, 1800),
        [CallResult.NOT_DIALED] = new(RuleAction.NextNumber),
    };
}
