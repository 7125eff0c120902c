using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Server.Dialects.Conpeek;

internal sealed record ConpeekContactInfo(IReadOnlyList<string> Numbers, string? TimeZone);

/// <summary>One call of the request (an attempt in the campaign).</summary>
internal sealed record ConpeekCall(
    string Id, string ContactNumber, string StartDate, string? AnswerDate, string? EndDate, string Result,
    double RingSeconds, double TalkSeconds, double WrapSeconds, int? TenantUserId, string? Disposition);

/// <summary>A conversation with a consultant: a call that reached an agent.</summary>
internal sealed record ConpeekDialog(string Id, int? TenantUserId, string? StartDate, string? EndDate, double TalkSeconds, double WrapSeconds, string? Disposition);

/// <summary>What happened to the request: created, each call's outcome, closed.</summary>
internal sealed record ConpeekEvent(string Date, string Event, string? CallState = null, string? CloseReason = null);

/// <summary>Conpeek's VoiceCampaignRequest: a record with its progress and attempts in one campaign.</summary>
internal sealed record ConpeekRequest
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? ContactNumber { get; init; }
    public string? CurrentContactNumber { get; init; }
    public required ConpeekContactInfo ContactInfo { get; init; }
    public required string ContactIdentifier { get; init; }
    public int ConsultantTry { get; init; }
    public int ContactTry { get; init; }
    public int Priority { get; init; }
    public string? ProcessNotBefore { get; init; }
    public required string DialingMethod { get; init; }
    public required string ApplicationState { get; init; }
    public string? CallState { get; init; }
    public required string State { get; init; }
    public string? CloseReason { get; init; }
    public int? TenantUserId { get; init; }
    public int? AssignedTenantUserId { get; init; }
    public required string VoiceCampaignId { get; init; }
    public required string CreatedDate { get; init; }
    public string? ClosedDate { get; init; }
    public string? Note { get; init; }
    public required string Custom { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ConpeekEvent>? History { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ConpeekCall>? CallHistory { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ConpeekDialog>? Dialogs { get; init; }
}

/// <summary>Which of the request's parts an answer leaves out (Conpeek's <c>exclude</c>).</summary>
internal sealed record ConpeekParts(bool History, bool CallHistory, bool Dialogs)
{
    public static readonly ConpeekParts All = new(true, true, true);

    public bool Any => History || CallHistory || Dialogs;
}

internal static class ConpeekMapping
{
    /// <summary>Attributes that are request fields of their own; every other attribute is a custom field.</summary>
    public const string NameAttribute = "name", NoteAttribute = "note";

    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string? Date(DateTimeOffset? time) => time is { } t ? Date(t) : null;

    public static bool IsCustom(string attribute) =>
        !attribute.Equals(NameAttribute, StringComparison.OrdinalIgnoreCase) && !attribute.Equals(NoteAttribute, StringComparison.OrdinalIgnoreCase);

    /// <param name="attempts">The record's attempts in the campaign, oldest first (may be empty when no part needs them).</param>
    public static ConpeekRequest AsConpeek(this StoredRecord stored, Campaign campaign, IReadOnlyList<Attempt> attempts, ConpeekParts parts)
    {
        var r = stored.Record;
        var p = stored.Progress.FirstOrDefault(x => x.CampaignId == campaign.Id) ?? new RecordProgress { CampaignId = campaign.Id };
        var phones = r.Phones;
        var lastAgent = attempts.LastOrDefault(a => a.AgentId is not null)?.AgentId;
        var custom = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in r.Attributes)
            if (IsCustom(a.Name)) custom.TryAdd(a.Name, a.Value);
        return new ConpeekRequest
        {
            Id = r.Id,
            Name = Attribute(r, NameAttribute),
            ContactNumber = phones.Count > 0 ? phones[0].Raw : null,
            // The number last dialed (the next call starts from it), the first before any call.
            CurrentContactNumber = phones.Count == 0 ? null : phones[p.CallCount > 0 && p.LastBNumber < phones.Count ? p.LastBNumber : 0].Raw,
            ContactInfo = new ConpeekContactInfo(phones.Select(x => x.Raw).ToList(), r.TimeZone),
            ContactIdentifier = r.ExternalId,
            ConsultantTry = attempts.Count(a => a.AgentId is not null),
            ContactTry = p.CallCount,
            Priority = r.Priority,
            ProcessNotBefore = Date(p.ScheduledAt),
            DialingMethod = (r.DialingMode ?? campaign.DialingMode).ToString(),
            ApplicationState = p.ApplicationState.ToString(),
            // DIALING while a call runs (the live result), else the last call's result.
            CallState = p.Result == CallResult.DIALING ? p.Result.ToString() : attempts.Count > 0 ? attempts[^1].Result.ToString() : null,
            State = p.State.ToString(),
            CloseReason = p.State == RecordState.CLOSED ? p.Result?.ToString() : null,
            TenantUserId = ConpeekIds.User(lastAgent),
            AssignedTenantUserId = ConpeekIds.User(p.AgentId),
            VoiceCampaignId = ConpeekIds.Campaign(campaign.Id),
            CreatedDate = Date(r.Created),
            ClosedDate = Date(p.ClosedAt),
            Note = Attribute(r, NoteAttribute),
            Custom = JsonSerializer.Serialize(custom),
            History = parts.History ? History(r, p, attempts) : null,
            CallHistory = parts.CallHistory ? attempts.Select(Call).ToList() : null,
            Dialogs = parts.Dialogs ? attempts.Where(a => a.AgentId is not null).Select(a => new ConpeekDialog(
                a.Id, ConpeekIds.User(a.AgentId), Date(a.Answered), Date(a.Ended), a.TalkSeconds, a.WrapSeconds, a.Disposition)).ToList() : null,
        };
    }

    private static string? Attribute(CallRecord r, string name) =>
        r.Attributes.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static ConpeekCall Call(Attempt a) => new(a.Id, a.NumberDialed, Date(a.Started), Date(a.Answered), Date(a.Ended), a.Result.ToString(),
        a.RingSeconds, a.TalkSeconds, a.WrapSeconds, ConpeekIds.User(a.AgentId), a.Disposition);

    private static List<ConpeekEvent> History(CallRecord r, RecordProgress p, IReadOnlyList<Attempt> attempts)
    {
        var events = new List<ConpeekEvent> { new(Date(r.Created), "CREATED") };
        foreach (var a in attempts)
            if (a.Ended is { } ended) events.Add(new ConpeekEvent(Date(ended), "CALL", a.Result.ToString()));
        if (p.State == RecordState.CLOSED && p.ClosedAt is { } closed) events.Add(new ConpeekEvent(Date(closed), "CLOSED", null, p.Result?.ToString()));
        return events;
    }
}
