using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Server.Features.Records;

/// <summary>A record as a client sends it. Numbers come as <c>phones</c> (a list) or <c>numbers</c> (";"-separated, OBI style).</summary>
public sealed record RecordInput(
    string? ExternalId = null, List<string>? Phones = null, string? Numbers = null, List<AttributeDto>? Attributes = null,
    string? TimeZone = null, int? Priority = null, DialingMode? DialingMode = null, int? PreviewTime = null, bool? Locked = null,
    DateTimeOffset? Date = null, string? AgentId = null, string? Country = null)
{
    public RecordFields ToFields() => new()
    {
        ExternalId = ExternalId,
        Numbers = Phones ?? SplitNumbers(Numbers),
        // A null entry stays null: the engine's check names it.
        Attributes = Attributes?.Select(a => a is null ? null! : new RecordAttribute(a.Name, a.Value)).ToList() ?? [],
        TimeZone = TimeZone,
        Priority = Priority,
        DialingMode = DialingMode,
        PreviewTime = PreviewTime,
        Locked = Locked,
        ScheduledAt = Date,
        AgentId = AgentId,
        Region = Country,
    };

    internal static List<string> SplitNumbers(string? numbers) =>
        numbers is null ? [] : numbers.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

public sealed record AttributeDto(string Name, string Value);

public sealed record ScriptAnswerDto(string Question, string Answer);

public sealed record ScriptDto(string Name, IReadOnlyList<ScriptAnswerDto> Answers);

public sealed record PhoneDto(
    string Raw, string? E164, string? Region, string? NumberType, IReadOnlyList<string> TimeZones, bool Invalid,
    string? InvalidReason, int Tries, DateTimeOffset? LastTry, DateTimeOffset? NextTry);

public sealed record ProgressDto(
    string CampaignId, CallResult? Result, string? CallResult, string? Classifier, int CallCount, int LastBNumber,
    RecordState State, ApplicationState ApplicationState, DateTimeOffset? Date, string? AgentId, decimal? Amount,
    ScriptDto? Script, DateTimeOffset? Closed, DateTimeOffset ModificationDate);

public sealed record RecordDto(
    string Id, long Serial, string ListId, string ExternalId, string Numbers, IReadOnlyList<PhoneDto> Phones,
    IReadOnlyList<AttributeDto> Attributes, string? TimeZone, int Priority, DialingMode? DialingMode, int? PreviewTime,
    bool Locked, DateTimeOffset Created, DateTimeOffset ModificationDate, IReadOnlyList<ProgressDto> Campaigns);

/// <summary>One call placed for a record.</summary>
public sealed record AttemptDto(
    string Id, string CampaignId, string RecordId, int PhoneIndex, string NumberDialed, DateTimeOffset Started, DateTimeOffset? Answered,
    DateTimeOffset? Ended, CallResult Result, double RingSeconds, double TalkSeconds, double WrapSeconds, string? AgentId, string? Disposition);

public sealed record RecordPageDto(IReadOnlyList<RecordDto> Items, string? NextCursor);

internal static class RecordMapping
{
    public static RecordDto AsDto(this StoredRecord stored)
    {
        var r = stored.Record;
        return new RecordDto(
            r.Id, r.Number, r.ListId, r.ExternalId, RecordNumbers.Join(r.Phones),
            r.Phones.Select(p => new PhoneDto(p.Raw, p.E164, p.Region, p.NumberType, p.TimeZones, p.Invalid, p.InvalidReason, p.Tries, p.LastTry, p.NextTry)).ToList(),
            r.Attributes.Select(a => new AttributeDto(a.Name, a.Value)).ToList(), r.TimeZone, r.Priority, r.DialingMode, r.PreviewTime, r.Locked, r.Created, r.Modified,
            stored.Progress.Select(p => new ProgressDto(
                p.CampaignId, p.Result, p.CallResult, p.Classifier, p.CallCount, p.LastBNumber, p.State, p.ApplicationState,
                p.ScheduledAt, p.AgentId, p.Amount,
                p.Script is { } script ? new ScriptDto(script.Name, script.Answers.Select(a => new ScriptAnswerDto(a.Question, a.Answer)).ToList()) : null,
                p.ClosedAt, p.Modified)).ToList());
    }

    public static AttemptDto AsDto(this Attempt a) => new(
        a.Id, a.CampaignId, a.RecordId, a.PhoneIndex, a.NumberDialed, a.Started, a.Answered, a.Ended, a.Result, a.RingSeconds,
        a.TalkSeconds, a.WrapSeconds, a.AgentId, a.Disposition);
}
