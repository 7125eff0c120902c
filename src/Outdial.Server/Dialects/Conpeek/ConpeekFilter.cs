using System.Globalization;
using System.Text.Json;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Phones;
using Outdial.Engine.Records;

namespace Outdial.Server.Dialects.Conpeek;

/// <summary>A GET's query: the store's criteria, the tenant user ids still to resolve to agents, the parts to answer.</summary>
internal sealed record ConpeekSearch(RecordQuery Query, IReadOnlyList<long>? TenantUsers, IReadOnlyList<long>? AssignedUsers, ConpeekParts Parts);

/// <summary>
/// Conpeek's <c>limit</c>, <c>offset</c>, <c>filter</c> and <c>exclude</c> onto the engine's record query. Each filter
/// object is one criterion and all of them must hold; a value given as a list matches any of its items. A malformed
/// filter, an unknown property, operator or excluded part, or a value of the wrong type is a 400 that names it.
/// </summary>
internal static class ConpeekFilter
{
    public const int DefaultLimit = 1000, MaxLimit = 10000;

    private static readonly string[] Dates = ["created_date", "closed_date", "process_not_before"];
    private static readonly string[] Counts = ["priority", "consultant_try", "contact_try"];
    private static readonly string[] Properties =
    [
        .. Dates, "state", "application_state", "contact_number", "dialing_method", "tenant_user_id", "assigned_tenant_user_id",
        "close_reason", "custom_fields", .. Counts,
    ];
    private static readonly string[] Parts = ["history", "call_history", "dialogs"];

    public static ConpeekSearch Parse(IQueryCollection query, string campaignId)
    {
        var limit = Int(query, "limit", DefaultLimit, 1, MaxLimit);
        var offset = Int(query, "offset", 0, 0, int.MaxValue);
        var parts = Exclude(query["exclude"].ToString());
        var filters = query["filter"].ToString();
        var builder = new Builder();
        if (filters.Length > 0) builder.AddAll(filters);
        return new ConpeekSearch(new RecordQuery
        {
            CampaignId = campaignId,
            Limit = limit,
            Offset = offset,
            AnyOf = builder.AnyOf,
            Comparisons = builder.Comparisons,
            DateRanges = builder.Ranges,
            AttributesAnyOf = builder.Attributes,
        }, builder.TenantUsers, builder.AssignedUsers, parts);
    }

    /// <summary>Numbers as a record of the campaign holds them: E.164 where the campaign's region reads them so, else as given.</summary>
    public static RecordQuery NumbersIn(RecordQuery query, string? region) => query with
    {
        AnyOf = query.AnyOf.Select(f => f.Field != RecordField.numbers ? f : f with
        {
            Values = f.Values.Select(v => PhoneNormalizer.Normalize(v, region) is { E164: { } e164 } ? e164 : v).ToList(),
        }).ToList(),
    };

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = query[name].ToString();
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ValidationException($"'{name}' must be an integer from {min} to {max}, got '{text}'", name);
    }

    private static ConpeekParts Exclude(string text)
    {
        if (text.Length == 0) return ConpeekParts.All;
        var names = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.String) names.Add(doc.RootElement.GetString()!);
            else if (doc.RootElement.ValueKind == JsonValueKind.Array)
                foreach (var item in doc.RootElement.EnumerateArray())
                    names.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad("'exclude' must be a JSON list of names", "exclude"));
            else throw Bad("'exclude' must be a JSON list of names", "exclude");
        }
        catch (JsonException e)
        {
            throw Bad($"'exclude' is not JSON: {e.Message}", "exclude");
        }
        foreach (var name in names)
            if (!Parts.Contains(name)) throw Bad($"'exclude' names '{name}'; valid: {string.Join(", ", Parts)}", "exclude");
        return new ConpeekParts(!names.Contains("history"), !names.Contains("call_history"), !names.Contains("dialogs"));
    }

    internal static ValidationException Bad(string message, string field = "filter") => new(message, field);

    private sealed class Builder
    {
        public List<FieldValues> AnyOf { get; } = [];
        public List<CountComparison> Comparisons { get; } = [];
        public List<DateRange> Ranges { get; } = [];
        public List<AttributeValues> Attributes { get; } = [];
        public List<long>? TenantUsers { get; private set; }
        public List<long>? AssignedUsers { get; private set; }

        public void AddAll(string text)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw Bad($"'filter' is not JSON: {e.Message}");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object) Add(root, "filter[0]");
                else if (root.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in root.EnumerateArray())
                        Add(item.ValueKind == JsonValueKind.Object ? item : throw Bad($"filter[{i}] must be an object {{property, value, operator?, key?}}"), $"filter[{i++}]");
                }
                else throw Bad("'filter' must be a JSON list of {property, value, operator?, key?} objects");
            }
        }

        private void Add(JsonElement item, string at)
        {
            string? property = null, op = null, key = null;
            JsonElement? value = null;
            foreach (var member in item.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "property": property = Text(member.Value, $"{at}.property"); break;
                    case "operator": op = member.Value.ValueKind == JsonValueKind.Null ? null : Text(member.Value, $"{at}.operator"); break;
                    case "key": key = member.Value.ValueKind == JsonValueKind.Null ? null : Text(member.Value, $"{at}.key"); break;
                    case "value": value = member.Value; break;
                    default: throw Bad($"{at} has an unknown member '{member.Name}'; valid: property, value, operator, key");
                }
            }
            if (property is null) throw Bad($"{at} has no 'property'");
            if (!Properties.Contains(property)) throw Bad($"{at}.property '{property}' is unknown; valid: {string.Join(", ", Properties)}");
            if (value is not { } v || v.ValueKind == JsonValueKind.Null) throw Bad($"{at} ({property}) has no 'value'");
            if (key is not null && property != "custom_fields") throw Bad($"{at}: 'key' is only for custom_fields, not {property}");
            var allowed = Dates.Contains(property) ? ["gte", "lte"] : Counts.Contains(property) ? Enum.GetNames<Comparison>() : Array.Empty<string>();
            if (op is not null && !allowed.Contains(op))
                throw Bad(allowed.Length == 0
                    ? $"{at}: {property} takes no operator, got '{op}'"
                    : $"{at}: operator '{op}' is unknown for {property}; valid: {string.Join(", ", allowed)}");
            var name = $"{at}.value ({property})";
            switch (property)
            {
                case "created_date": Range(RecordDateField.created, op, v, name); break;
                case "closed_date": Range(RecordDateField.closed, op, v, name); break;
                case "process_not_before": Range(RecordDateField.date, op, v, name); break;
                case "state": AnyOf.Add(new FieldValues(RecordField.state, Names(v, name, Enum.GetNames<RecordState>()))); break;
                case "application_state": AnyOf.Add(new FieldValues(RecordField.applicationState, Names(v, name, Enum.GetNames<ApplicationState>()))); break;
                case "dialing_method": AnyOf.Add(new FieldValues(RecordField.dialingMode, Names(v, name, Enum.GetNames<DialingMode>()))); break;
                case "close_reason":
                    // A close reason is the result a CLOSED request ended with.
                    AnyOf.Add(new FieldValues(RecordField.state, [nameof(RecordState.CLOSED)]));
                    AnyOf.Add(new FieldValues(RecordField.result, Names(v, name, Enum.GetNames<CallResult>())));
                    break;
                case "contact_number": AnyOf.Add(new FieldValues(RecordField.numbers, Strings(v, name))); break;
                case "custom_fields":
                    Attributes.Add(new AttributeValues(key ?? throw Bad($"{at}: custom_fields needs 'key' (the custom field's name)"), Strings(v, name)));
                    break;
                case "tenant_user_id": TenantUsers = Both(TenantUsers, Longs(v, name)); break;
                case "assigned_tenant_user_id": AssignedUsers = Both(AssignedUsers, Longs(v, name)); break;
                default: Count(property, op, v, name); break;
            }
        }

        // Two filters on the same user property AND together: a request has one user of each kind, so only those in both match.
        private static List<long> Both(List<long>? before, List<long> values) => before is null ? values : [.. before.Intersect(values)];

        private void Count(string property, string? op, JsonElement v, string name)
        {
            var field = property switch { "priority" => RecordCount.priority, "contact_try" => RecordCount.callCount, _ => RecordCount.agentCallCount };
            var comparison = op is null ? Comparison.eq : Enum.Parse<Comparison>(op);
            var values = Longs(v, name);
            if (values.Count != 1 && comparison is not (Comparison.eq or Comparison.ne))
                throw Bad($"{name} must be one integer for operator '{op}'");
            Comparisons.Add(new CountComparison(field, comparison, values));
        }

        private void Range(RecordDateField field, string? op, JsonElement v, string name)
        {
            var time = v.ValueKind == JsonValueKind.String && TryDate(v.GetString()!, out var t) ? t
                : throw Bad($"{name} must be a date 'YYYY-MM-DD HH:mm:ss' (UTC), got {v.GetRawText()}");
            Ranges.Add(op switch
            {
                "gte" => new DateRange(field, time, null),
                "lte" => new DateRange(field, null, time),
                _ => new DateRange(field, time, time > DateTimeOffset.MaxValue.AddSeconds(-1) ? DateTimeOffset.MaxValue : time.AddSeconds(1).AddTicks(-TimeSpan.TicksPerMillisecond)), // that second
            });
        }

        private static bool TryDate(string text, out DateTimeOffset time) =>
            DateTimeOffset.TryParseExact(text, [ConpeekMapping.DateFormat, "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

        private static string Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad($"{name} must be a string, got {e.GetRawText()}");

        private static IEnumerable<JsonElement> Items(JsonElement v, string name)
        {
            if (v.ValueKind != JsonValueKind.Array) return [v];
            if (v.GetArrayLength() == 0) throw Bad($"{name} is an empty list");
            return v.EnumerateArray().ToList();
        }

        private static List<string> Strings(JsonElement v, string name) => Items(v, name).Select(e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number => e.GetRawText(),
            _ => throw Bad($"{name} must be a string or a number (or a list of them), got {e.GetRawText()}"),
        }).Select(s => s.Length <= SearchPattern.MaxLength ? s : throw Bad($"{name} is longer than {SearchPattern.MaxLength} characters")).ToList();

        private static List<string> Names(JsonElement v, string name, string[] valid) => Strings(v, name).Select(s =>
            valid.FirstOrDefault(x => x.Equals(s, StringComparison.OrdinalIgnoreCase))
            ?? throw Bad($"{name} '{s}' is unknown; valid: {string.Join(", ", valid)}")).ToList();

        private static List<long> Longs(JsonElement v, string name) => Items(v, name).Select(e =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n
            : e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n) ? n
            : throw Bad($"{name} must be an integer (or a list of integers), got {e.GetRawText()}")).ToList();
    }
}
