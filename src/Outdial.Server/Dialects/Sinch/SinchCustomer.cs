using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Server.Dialects.Sinch;

internal sealed record SinchAnswer(string Question, string Answer);

internal sealed record SinchScript(string Name, IReadOnlyList<SinchAnswer> Answers);

/// <summary>OBI's customer entity: what GET answers and what POST takes (the fields the system sets are ignored on POST).</summary>
internal sealed record SinchCustomer
{
    public string? Id { get; init; }
    public string? ExternalId { get; init; }
    public string? Numbers { get; init; }
    public string? Result { get; init; }
    public string? CallResult { get; init; }
    public string? Classifier { get; init; }
    public int? CallCount { get; init; }
    public int? LastBNumber { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? AgentId { get; init; }
    public DialingMode? DialingMode { get; init; }
    public int? PreviewTime { get; init; }
    public int? Priority { get; init; }
    public DateTimeOffset? ModificationDate { get; init; }
    public string? TimeZone { get; init; }
    public SinchAttributes? Attributes { get; init; }
    public SinchScript? Script { get; init; }
}

internal static class SinchCustomerMapping
{
    /// <summary>A customer has at most three numbers (OBI's Phone1..Phone3).</summary>
    public const int MaxNumbers = 3;

    private static readonly string[] PhoneAttributes = ["Phone1", "Phone2", "Phone3"];

    /// <summary>The record as OBI shows a customer of the campaign: numbers as they were entered, the progress in this campaign.</summary>
    public static SinchCustomer AsSinch(this StoredRecord stored, string campaignId, bool includeScript)
    {
        var r = stored.Record;
        var p = stored.Progress.FirstOrDefault(x => x.CampaignId == campaignId);
        return new SinchCustomer
        {
            Id = r.Id,
            ExternalId = r.ExternalId,
            Numbers = string.Join(';', r.Phones.Select(phone => phone.Raw)),
            Result = p?.Result?.ToString(),
            CallResult = p?.CallResult,
            Classifier = p?.Classifier,
            CallCount = p?.CallCount ?? 0,
            LastBNumber = p?.LastBNumber ?? 0,
            Date = p?.ScheduledAt,
            AgentId = p?.AgentId,
            DialingMode = r.DialingMode,
            PreviewTime = r.PreviewTime,
            Priority = r.Priority,
            ModificationDate = p is not null && p.Modified > r.Modified ? p.Modified : r.Modified,
            TimeZone = r.TimeZone,
            Attributes = new SinchAttributes(r.Attributes.Select(a => new SinchAttribute(a.Name, a.Value)).ToList()),
            Script = includeScript && p?.Script is { } s ? new SinchScript(s.Name, s.Answers.Select(a => new SinchAnswer(a.Question, a.Answer)).ToList()) : null,
        };
    }

    /// <summary>
    /// The record a customer makes: numbers from <c>numbers</c> (";"-separated, priority order) or else from the attributes
    /// Phone1..Phone3; when <c>numbers</c> is given it wins and the Phone attributes are made from it.
    /// </summary>
    /// <returns>The fields, or null with the reason in the document's words.</returns>
    public static RecordFields? ToFields(this SinchCustomer customer, out string? error)
    {
        error = null;
        var attributes = customer.Attributes?.Attribute ?? [];
        var given = customer.Numbers?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        List<string> numbers;
        if (given.Length > 0)
        {
            numbers = [.. given];
            attributes = [.. attributes.Where(a => !IsPhone(a.Name)), .. numbers.Take(MaxNumbers).Select((n, i) => new SinchAttribute(PhoneAttributes[i], n))];
        }
        else
        {
            numbers = PhoneAttributes.Select(name => attributes.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value)
                .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        }
        if (numbers.Count == 0)
        {
            error = "Invalid numbers: give 'numbers' or the attribute Phone1";
            return null;
        }
        if (numbers.Count > MaxNumbers)
        {
            error = $"Invalid numbers: '{customer.Numbers}' : at most {MaxNumbers} numbers";
            return null;
        }
        return new RecordFields
        {
            ExternalId = customer.ExternalId,
            Numbers = numbers,
            InvalidNumbers = InvalidNumbers.KeepDigits,
            Attributes = attributes.Select(a => new RecordAttribute(a.Name, a.Value)).ToList(),
            TimeZone = customer.TimeZone,
            Priority = customer.Priority,
            DialingMode = customer.DialingMode,
            PreviewTime = customer.PreviewTime,
            ScheduledAt = customer.Date,
            AgentId = customer.AgentId,
        };
    }

    private static bool IsPhone(string name) => PhoneAttributes.Any(p => p.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The engine's reason in the document's words: an invalid number is "Invalid numbers: '&lt;numbers as sent&gt;'".</summary>
    public static string Reason(string? numbers, string error) =>
        error.StartsWith("Invalid numbers:", StringComparison.Ordinal) && numbers is { } sent && !error.Contains(" : at most", StringComparison.Ordinal)
            ? $"Invalid numbers: '{sent}'"
            : error;

    /// <summary>The customer's fields, or a <see cref="ValidationException"/> in the document's words.</summary>
    public static RecordFields ToFields(this SinchCustomer customer) =>
        customer.ToFields(out var error) ?? throw new ValidationException(error!, "numbers");
}
