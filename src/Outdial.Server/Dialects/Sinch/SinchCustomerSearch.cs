using System.Globalization;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>GET …/customers' query onto the engine's record search: field patterns, agent ids, time ranges, attribute, paging.</summary>
internal static class SinchCustomerSearch
{
    private static readonly RecordField[] Fields =
    [
        RecordField.externalId, RecordField.numbers, RecordField.result, RecordField.callResult, RecordField.classifier,
        RecordField.callCount, RecordField.lastBNumber, RecordField.dialingMode, RecordField.previewTime, RecordField.priority, RecordField.timeZone,
    ];

    private static readonly HashSet<string> Others = new(StringComparer.Ordinal)
    {
        "includeScript", "agentId", "attributeName", "attributeValue", "offset", "limit",
    };

    /// <summary>The most customers one page holds.</summary>
    public const int MaxLimit = 1000;

    public static RecordQuery Parse(IQueryCollection query, string campaignId, out bool includeScript)
    {
        var filters = new List<FieldFilter>();
        var ranges = new List<DateRange>();
        foreach (var key in query.Keys)
        {
            var value = SinchQuery.One(query, key)!;
            if (Others.Contains(key)) continue;
            if (Array.FindIndex(Fields, f => f.ToString() == key) is var i and >= 0)
            {
                SinchQuery.CheckPattern(key, value);
                if (Fields[i] is RecordField.callCount or RecordField.lastBNumber or RecordField.previewTime or RecordField.priority
                    && !SearchPattern.HasWildcards(value) && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    throw new ValidationException($"'{key}' must be an integer (or a pattern with * and ?), got '{value}'", key);
                filters.Add(new FieldFilter(Fields[i], value));
            }
            else if (key is "date" or "modificationDate")
            {
                ranges.Add(new DateRange(Enum.Parse<RecordDateField>(key), SinchQuery.Time(value, key), null));
            }
            else if (key is "dateEnd" or "modificationDateEnd")
            {
                ranges.Add(new DateRange(Enum.Parse<RecordDateField>(key[..^3]), null, SinchQuery.Time(value, key)));
            }
            else
            {
                throw new ValidationException($"unknown search field '{key}'; valid: {string.Join(", ", Fields)}, date, dateEnd, modificationDate, " +
                    $"modificationDateEnd, {string.Join(", ", Others)}", key);
            }
        }
        var attributeName = SinchQuery.One(query, "attributeName") is { Length: > 0 } name ? name : null;
        var attributeValue = SinchQuery.One(query, "attributeValue") is { Length: > 0 } v ? v : null;
        if (attributeValue is not null && attributeName is null) throw new ValidationException("'attributeValue' needs 'attributeName'", "attributeValue");
        if (attributeValue is not null) SinchQuery.CheckPattern("attributeValue", attributeValue);
        if (attributeName is { Length: > 200 }) throw new ValidationException("'attributeName' is longer than 200 characters", "attributeName");
        includeScript = SinchQuery.Flag(query, "includeScript");
        return new RecordQuery
        {
            CampaignId = campaignId,
            Filters = filters,
            DateRanges = ranges,
            AgentIds = SinchQuery.One(query, "agentId") is { } agents ? SinchIds.ParseList(agents, "agentId") : null,
            AttributeName = attributeName,
            AttributeValue = attributeValue,
            Offset = SinchQuery.Int(query, "offset", 0, 0, int.MaxValue),
            Limit = SinchQuery.Int(query, "limit", 100, 1, MaxLimit),
        };
    }
}
