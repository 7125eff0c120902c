using Outdial.Engine.Domain;

namespace Outdial.Engine.Records;

/// <summary>A validated record ready to be written: numbers already normalized, fields within limits.</summary>
public sealed record RecordDraft
{
    /// <summary>Null asks the store to generate one (the record's id32).</summary>
    public string? ExternalId { get; init; }
    public required IReadOnlyList<RecordPhone> Phones { get; init; }
    public IReadOnlyList<RecordAttribute> Attributes { get; init; } = [];
    public string? TimeZone { get; init; }
    public int Priority { get; init; }
    public DialingMode? DialingMode { get; init; }
    public int? PreviewTime { get; init; }
    public bool Locked { get; init; }
    /// <summary>Not to be called before this time, in every campaign the record enters.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }
    /// <summary>Agent the record is reserved for (personal record).</summary>
    public string? AgentId { get; init; }

    /// <summary>Stored forms as UTF-8, encoded once while drafts are built (on the import's reading thread) rather than on the
    /// store's single writer, which binds them as they are.</summary>
    public byte[] PhonesUtf8 => _phones ??= RecordJson.PhonesUtf8(Phones);
    public byte[] AttributesUtf8 => _attributes ??= RecordJson.AttributesUtf8(Attributes);
    public byte[] NumbersUtf8 => _numbers ??= System.Text.Encoding.UTF8.GetBytes(RecordNumbers.Join(Phones));

    public string PhonesJson => System.Text.Encoding.UTF8.GetString(PhonesUtf8);
    public string AttributesJson => System.Text.Encoding.UTF8.GetString(AttributesUtf8);
    public string Numbers => System.Text.Encoding.UTF8.GetString(NumbersUtf8);

    /// <summary>The id32 a new record gets; drawn with the stored forms so the writer does not format GUIDs.</summary>
    public string NewId => _newId ??= Id32.New();

    private byte[]? _phones, _attributes, _numbers;
    private string? _newId;

    /// <summary>Computes the stored forms now (call from a parallel stage).</summary>
    public RecordDraft Encode()
    {
        _ = PhonesUtf8;
        _ = AttributesUtf8;
        _ = NumbersUtf8;
        _ = NewId;
        return this;
    }
}

/// <summary>Raw fields of one incoming record, as any API or file gives them.</summary>
public sealed record RecordFields
{
    public string? ExternalId { get; init; }
    public IReadOnlyList<string> Numbers { get; init; } = [];
    /// <summary>What becomes of a number that is not valid for its region (refused by default).</summary>
    public InvalidNumbers InvalidNumbers { get; init; }
    public IReadOnlyList<RecordAttribute> Attributes { get; init; } = [];
    public string? TimeZone { get; init; }
    public int? Priority { get; init; }
    public DialingMode? DialingMode { get; init; }
    public int? PreviewTime { get; init; }
    public bool? Locked { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public string? AgentId { get; init; }
    /// <summary>Region for this record's nationally written numbers (e.g. from a country column).</summary>
    public string? Region { get; init; }
}

/// <summary>What becomes of a record's number that is not valid for its region. A kept one is flagged invalid on the
/// record and never dialed; at least one number is required either way.</summary>
public enum InvalidNumbers
{
    /// <summary>The record is refused, naming the number (the native API and imports).</summary>
    Refuse,
    /// <summary>Kept when written as digits (too short, unassigned range); other text refuses the record: Sinch OBI checks
    /// only that numbers are numbers.</summary>
    KeepDigits,
    /// <summary>Kept whatever it holds: APIs whose records carry per-number invalid flags (jtel, whose own example sends
    /// "PhoneNumber1" as a number).</summary>
    Keep,
}

/// <summary>Turns raw fields into a draft or a reason it cannot be one; used by every API and the importer.</summary>
public static class RecordValidation
{
    public static RecordDraft Build(RecordFields fields, string? defaultRegion, out string? error)
    {
        error = Check(fields);
        if (error is not null) return null!;
        var region = fields.Region is { Length: > 0 } r ? NormalizeRegion(r, out error) : defaultRegion;
        if (error is not null) return null!;

        var phones = new RecordPhone[fields.Numbers.Count];
        List<string>? invalid = null;
        for (var i = 0; i < phones.Length; i++)
        {
            var phone = Phones.PhoneNormalizer.Normalize(fields.Numbers[i], region);
            if (!phone.IsValid && !Kept(fields.InvalidNumbers, fields.Numbers[i]))
                (invalid ??= []).Add($"'{fields.Numbers[i]}' ({phone.Error})");
            phones[i] = phone.ToRecordPhone();
        }
        if (invalid is not null)
        {
            error = $"Invalid numbers: {string.Join(", ", invalid)}";
            return null!;
        }
        return new RecordDraft
        {
            ExternalId = string.IsNullOrWhiteSpace(fields.ExternalId) ? null : fields.ExternalId.Trim(),
            Phones = phones,
            Attributes = fields.Attributes,
            TimeZone = string.IsNullOrWhiteSpace(fields.TimeZone) ? null : fields.TimeZone.Trim(),
            Priority = fields.Priority ?? 0,
            DialingMode = fields.DialingMode,
            PreviewTime = fields.PreviewTime,
            Locked = fields.Locked ?? false,
            ScheduledAt = fields.ScheduledAt,
            // Stored as agents are (id32, upper case): an id36 or lower-case id would never match its agent.
            AgentId = fields.AgentId is { } agent && Id32.TryNormalize(agent, out var agentId) ? agentId : null,
        };
    }

    private static bool Kept(InvalidNumbers policy, string number) => policy switch
    {
        InvalidNumbers.Keep => true,
        InvalidNumbers.KeepDigits => Phones.PhoneNormalizer.IsWrittenAsNumber(number),
        _ => false,
    };

    private static string? Check(RecordFields f)
    {
        if (f.Numbers.Count == 0) return "at least one phone number is required";
        if (f.Numbers.Count > Limits.MaxPhonesPerRecord) return $"at most {Limits.MaxPhonesPerRecord} phone numbers per record, got {f.Numbers.Count}";
        // JSON lets a client send [null] where the types say non-null strings and objects.
        if (f.Numbers.Any(n => n is null)) return "a phone number is null: give each number as a string";
        if (f.ExternalId is { Length: > 200 }) return "externalId is longer than 200 characters";
        if (f.Attributes.Count > Limits.MaxAttributesPerRecord) return $"at most {Limits.MaxAttributesPerRecord} attributes per record";
        foreach (var a in f.Attributes)
        {
            if (a is null) return "an attribute is null: give each as {\"name\": ..., \"value\": ...}";
            if (string.IsNullOrWhiteSpace(a.Name)) return "attribute without a name";
            if (a.Name.Length > 200) return $"attribute name '{a.Name[..20]}...' is longer than 200 characters";
            if (a.Value is null) return $"attribute '{a.Name}' has no value";
            if (a.Value.Length > Limits.MaxFieldLength) return $"attribute '{a.Name}' is longer than {Limits.MaxFieldLength} characters";
        }
        if (!string.IsNullOrWhiteSpace(f.TimeZone) && NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(f.TimeZone.Trim()) is null)
            return $"timeZone '{f.TimeZone}' is not an IANA time zone";
        if (f.Priority is < -1_000_000 or > 1_000_000) return "priority must be between -1000000 and 1000000";
        if (f.PreviewTime is < 0 or > 86_400) return "previewTime must be between 0 and 86400 seconds";
        if (f.ScheduledAt is { } d && (d.UtcDateTime.Year < 1900 || d.UtcDateTime.Year > 9999)) return "date is out of range (1900 to 9999)";
        if (f.AgentId is { } agent && !Id32.TryNormalize(agent, out _)) return $"agentId '{agent}' is not an id32";
        return null;
    }

    private static string? NormalizeRegion(string region, out string? error)
    {
        var upper = region.Trim().ToUpperInvariant();
        error = Phones.PhoneNormalizer.IsKnownRegion(upper) ? null : $"country '{region}' is not a known ISO 3166 region code";
        return upper;
    }
}
