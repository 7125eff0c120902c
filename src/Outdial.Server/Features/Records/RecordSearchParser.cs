using System.Globalization;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Records;

/// <summary>Reads a record search from the query string; anything unknown or malformed is a 400 naming it.</summary>
internal static class RecordSearchParser
{
    private static readonly HashSet<string> Paging = new(StringComparer.Ordinal) { "offset", "limit", "sort", "cursor", "attributeName", "attributeValue" };

    public static RecordQuery Parse(IQueryCollection query, string? listId, string? campaignId)
    {
        var filters = new List<FieldFilter>();
        var ranges = new Dictionary<RecordDateField, (DateTimeOffset? From, DateTimeOffset? To)>();
        foreach (var (key, values) in query)
        {
            if (Paging.Contains(key)) continue;
            var value = values.ToString();
            if (Enum.TryParse<RecordField>(key, ignoreCase: false, out var field) && Enum.IsDefined(field))
            {
                if (RecordFieldScope.IsProgressField(field) && campaignId is null)
                    throw new ValidationException($"'{key}' is a per-campaign field: search the records of a campaign to filter on it");
                if (SearchPattern.Check(value) is { } problem) throw new ValidationException($"'{key}': {problem}");
                if (IsInteger(field) && !SearchPattern.HasWildcards(value) && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    throw new ValidationException($"'{key}' must be an integer, got '{value}'");
                filters.Add(new FieldFilter(field, value));
                continue;
            }
            var isEnd = key.EndsWith("End", StringComparison.Ordinal);
            var dateKey = isEnd ? key[..^3] : key;
            if (Enum.TryParse<RecordDateField>(dateKey, ignoreCase: false, out var dateField) && Enum.IsDefined(dateField))
            {
                if (dateField is RecordDateField.date or RecordDateField.closed && campaignId is null)
                    throw new ValidationException($"'{key}' is a per-campaign field: search the records of a campaign to filter on it");
                var instant = ParseDate(key, value);
                ranges.TryGetValue(dateField, out var range);
                ranges[dateField] = isEnd ? range with { To = instant } : range with { From = instant };
                continue;
            }
            throw new ValidationException(
                $"unknown filter field '{key}'; valid: {string.Join(", ", Enum.GetNames<RecordField>())}, " +
                $"{string.Join(", ", Enum.GetNames<RecordDateField>().SelectMany(d => new[] { d, d + "End" }))}, {string.Join(", ", Paging)}");
        }

        var attributeName = query["attributeName"].ToString() is { Length: > 0 } an ? an : null;
        var attributeValue = query["attributeValue"].ToString() is { Length: > 0 } av ? av : null;
        if (attributeValue is not null && attributeName is null) throw new ValidationException("'attributeValue' needs 'attributeName'");
        if (attributeValue is not null && SearchPattern.Check(attributeValue) is { } p) throw new ValidationException($"'attributeValue': {p}");
        if (attributeName is { Length: > 200 }) throw new ValidationException("'attributeName' is longer than 200 characters");

        var (sort, descending) = ParseSort(query["sort"].ToString());
        if (sort is RecordSortField.date or RecordSortField.callCount && campaignId is null)
            throw new ValidationException($"sorting by '{sort}' needs a campaign");
        long? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (sort != RecordSortField.id) throw new ValidationException("'cursor' pages only in the default order (sort=id or sort=-id)");
            after = DecodeCursor(cursor);
        }
        return new RecordQuery
        {
            ListId = listId,
            CampaignId = campaignId,
            Filters = filters,
            DateRanges = ranges.Select(r => new DateRange(r.Key, r.Value.From, r.Value.To)).ToList(),
            AttributeName = attributeName,
            AttributeValue = attributeValue,
            Sort = sort,
            Descending = descending,
            Offset = Int(query, "offset", 0, 0, int.MaxValue),
            Limit = Int(query, "limit", 100, 1, 1000),
            After = after,
        };
    }

    private static bool IsInteger(RecordField f) =>
        f is RecordField.priority or RecordField.previewTime or RecordField.callCount or RecordField.lastBNumber or RecordField.locked;

    private static DateTimeOffset ParseDate(string key, string value)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            throw new ValidationException($"'{key}' must be an ISO 8601 time, got '{value}'");
        if (instant.Year is < 1900 or > 9999) throw new ValidationException($"'{key}' is out of range (1900 to 9999)");
        return instant;
    }

    private static (RecordSortField, bool) ParseSort(string sort)
    {
        if (sort.Length == 0) return (RecordSortField.id, false);
        var descending = sort.StartsWith('-');
        var name = descending ? sort[1..] : sort;
        return Enum.TryParse<RecordSortField>(name, ignoreCase: false, out var field) && Enum.IsDefined(field)
            ? (field, descending)
            : throw new ValidationException($"unknown sort field '{name}'; valid: {string.Join(", ", Enum.GetNames<RecordSortField>())} (prefix '-' for descending)");
    }

    private static int Int(IQueryCollection query, string key, int fallback, int min, int max)
    {
        var text = query[key].ToString();
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ValidationException($"'{key}' must be an integer between {min} and {max}, got '{text}'");
    }

    public static string EncodeCursor(long after) => "s" + after.ToString(CultureInfo.InvariantCulture);

    private static long DecodeCursor(string cursor) =>
        cursor.StartsWith('s') && long.TryParse(cursor.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ValidationException($"'cursor' is not a cursor this server issued: '{cursor}'");
}
