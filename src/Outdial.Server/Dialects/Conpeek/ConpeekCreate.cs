using System.Globalization;
using System.Text.Json;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;

namespace Outdial.Server.Dialects.Conpeek;

/// <summary>
/// A POST's <c>{"data": {name, contact_number, contact_identifier, note, custom, priority, process_not_before}}</c> as the
/// record's fields: contact_identifier is the externalId, name and note are attributes of those names, each custom field an
/// attribute. Other members of <c>data</c> (fields Conpeek sets itself) are ignored; a member of the wrong type is a 400.
/// </summary>
internal static class ConpeekCreate
{
    public static async Task<RecordFields> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            throw Bad($"the body is not JSON: {e.Message}", "data");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                throw Bad("the body must be {\"data\": {\"contact_number\": …}}", "data");
            return ToFields(data);
        }
    }

    private static RecordFields ToFields(JsonElement data)
    {
        var attributes = new List<RecordAttribute>();
        if (Text(data, "name") is { } name) attributes.Add(new RecordAttribute(ConpeekMapping.NameAttribute, name));
        if (Text(data, "note") is { } note) attributes.Add(new RecordAttribute(ConpeekMapping.NoteAttribute, note));
        attributes.AddRange(CustomOf(data));
        var number = Text(data, "contact_number") ?? throw Bad("data.contact_number is required", "contact_number");
        return new RecordFields
        {
            ExternalId = Text(data, "contact_identifier"),
            Numbers = [number],
            Attributes = attributes,
            Priority = Member(data, "priority") is { } p
                ? p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n : throw Bad($"data.priority must be an integer, got {p.GetRawText()}", "priority")
                : null,
            ScheduledAt = Member(data, "process_not_before") is { } t
                ? t.ValueKind == JsonValueKind.String && TryTime(t.GetString()!, out var at) ? at
                    : throw Bad($"data.process_not_before must be a date 'YYYY-MM-DD HH:mm:ss' (UTC), got {t.GetRawText()}", "process_not_before")
                : null,
        };
    }

    /// <summary>The custom fields: an object of scalars, or that object as a JSON string (as a request answers it).</summary>
    private static IEnumerable<RecordAttribute> CustomOf(JsonElement data)
    {
        if (Member(data, "custom") is not { } custom) return [];
        if (custom.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(custom.GetString()!);
                return Fields(inner.RootElement.Clone());
            }
            catch (JsonException)
            {
                throw Bad("data.custom must be an object of custom fields (or that object as a JSON string)", "custom");
            }
        }
        return Fields(custom);
    }

    private static List<RecordAttribute> Fields(JsonElement custom)
    {
        if (custom.ValueKind != JsonValueKind.Object) throw Bad("data.custom must be an object of custom fields (or that object as a JSON string)", "custom");
        var fields = new List<RecordAttribute>();
        foreach (var field in custom.EnumerateObject())
        {
            if (!ConpeekMapping.IsCustom(field.Name)) throw Bad($"data.custom.{field.Name}: '{field.Name}' is a field of the request, not a custom field", "custom");
            fields.Add(new RecordAttribute(field.Name, Scalar(field.Value) ?? throw Bad($"data.custom.{field.Name} must be a string, number or boolean", "custom")));
        }
        return fields;
    }

    private static JsonElement? Member(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement data, string name) =>
        Member(data, name) is { } value
            ? value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? Scalar(value) : throw Bad($"data.{name} must be a string, got {value.GetRawText()}", name)
            : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, ConpeekMapping.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static ValidationException Bad(string message, string field) => new(message, field);
}
