namespace Outdial.Engine.Domain;

public sealed record RecordAttribute(string Name, string Value);

public sealed record ScriptAnswer(string Question, string Answer);

public sealed record Script(string Name, IReadOnlyList<ScriptAnswer> Answers);

/// <summary>One of a record's numbers (at most <see cref="Limits.MaxPhonesPerRecord"/>), in priority order.</summary>
public sealed record RecordPhone
{
    public required string Raw { get; init; }
    public string? E164 { get; init; }
    public string? Region { get; init; }
    public string? NumberType { get; init; }
    public IReadOnlyList<string> TimeZones { get; init; } = [];
    public bool Invalid { get; init; }
    public string? InvalidReason { get; init; }
    public int Tries { get; init; }
    public int TriesToday { get; init; }
    public DateTimeOffset? LastTry { get; init; }
    public DateTimeOffset? NextTry { get; init; }
}

public static class RecordNumbers
{
    /// <summary>A record's numbers as one ";"-separated string (E.164 where valid), as OBI's "numbers" field and the search column hold them.</summary>
    public static string Join(IReadOnlyList<RecordPhone> phones)
    {
        if (phones.Count == 1) return phones[0].E164 ?? phones[0].Raw;
        var parts = new string[phones.Count];
        for (var i = 0; i < parts.Length; i++) parts[i] = phones[i].E164 ?? phones[i].Raw;
        return string.Join(';', parts);
    }
}

public static class Limits
{
    public const int MaxPhonesPerRecord = 10;
    public const int MaxAttributesPerRecord = 200;
    public const int MaxFieldLength = 4000;
}

/// <summary>A customer/contact: list-level data shared by every campaign the list feeds.</summary>
public sealed record CallRecord
{
    public required string Id { get; init; }
    /// <summary>Stable integer id (jtel's DiallerContactsID, Genesys' record handle space).</summary>
    public long Number { get; init; }
    public required string ListId { get; init; }
    public required string ExternalId { get; init; }
    public IReadOnlyList<RecordAttribute> Attributes { get; init; } = [];
    public IReadOnlyList<RecordPhone> Phones { get; init; } = [];
    public string? TimeZone { get; init; }
    public int Priority { get; init; }
    public DialingMode? DialingMode { get; init; }
    public int? PreviewTime { get; init; }
    public bool Locked { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; init; }
}

/// <summary>A record's progress in one campaign.</summary>
public sealed record RecordProgress
{
    public required string CampaignId { get; init; }
    public CallResult? Result { get; init; }
    public string? CallResult { get; init; }
    public string? Classifier { get; init; }
    public int CallCount { get; init; }
    public int LastBNumber { get; init; }
    public RecordState State { get; init; } = RecordState.OPEN;
    public ApplicationState ApplicationState { get; init; } = ApplicationState.NEW;
    /// <summary>The OBI "date": not to be called before this time (retry or callback).</summary>
    public DateTimeOffset? ScheduledAt { get; init; }
    public string? AgentId { get; init; }
    public decimal? Amount { get; init; }
    public Script? Script { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset Modified { get; init; }
}

public sealed record DncEntry(string Id, string E164, string? CampaignId, string? Reason, string? Source, DateTimeOffset Added, DateTimeOffset? Expires);

public sealed record Attempt
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string RecordId { get; init; }
    public int PhoneIndex { get; init; }
    public required string NumberDialed { get; init; }
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset? Answered { get; init; }
    public DateTimeOffset? Ended { get; init; }
    public CallResult Result { get; init; }
    public double RingSeconds { get; init; }
    public double TalkSeconds { get; init; }
    public double WrapSeconds { get; init; }
    public string? AgentId { get; init; }
    public string? Disposition { get; init; }
}
