using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Outdial.Engine.Records;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    // Attempts of the record in the campaign (ix_attempts_record): counted or read only for the rows a filter looks at.
    private const string AgentCalls =
        "(SELECT COUNT(*) FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id AND a.agent_id IS NOT NULL)";

    private const string LastAgent =
        "(SELECT a.agent_id FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id AND a.agent_id IS NOT NULL ORDER BY a.started DESC, a.id DESC LIMIT 1)";

    private static string Column(RecordCount field) => field switch
    {
        RecordCount.priority => "r.priority",
        RecordCount.callCount => "cr.call_count",
        RecordCount.agentCallCount => AgentCalls,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static string Operator(Comparison op) => op switch
    {
        Comparison.gt => ">",
        Comparison.gte => ">=",
        Comparison.lte => "<=",
        Comparison.lt => "<",
        Comparison.eq => "=",
        Comparison.ne => "<>",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The "one of", comparison, attribute and last-agent criteria of <paramref name="query"/>, ANDed to the page query.</summary>
    private static void AppendSets(RecordQuery query, StringBuilder sql, Dictionary<string, object?> args, ref int n)
    {
        foreach (var set in query.AnyOf)
        {
            var p = $"f{n++}";
            if (set.Field == RecordField.numbers)
            {
                // Any of the values, as one JSON parameter: a LIKE per value joined by OR hits SQLite's expression depth
                // limit (1000) with a long list.
                sql.Append(set.Values.Count == 0 ? " AND 0"
                    : $" AND EXISTS (SELECT 1 FROM json_each(@{p}) v WHERE (';' || r.numbers || ';') LIKE '%;' || v.value || ';%' ESCAPE '\\')");
                args.Add(p, JsonSerializer.Serialize(set.Values.Select(ToLike)));
                continue;
            }
            var column = set.Field == RecordField.dialingMode && query.CampaignId is not null
                ? "COALESCE(r.dialing_mode, (SELECT dialing_mode FROM campaigns WHERE id = cr.campaign_id))"
                : Column(set.Field);
            sql.Append($" AND {column} IN (SELECT value FROM json_each(@{p}))");
            args.Add(p, JsonSerializer.Serialize(set.Values));
        }
        foreach (var c in query.Comparisons)
        {
            var p = $"f{n++}";
            if (c.Values.Count == 1)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {Column(c.Field)} {Operator(c.Operator)} @{p}");
                args.Add(p, c.Values[0]);
                continue;
            }
            var not = c.Operator switch
            {
                Comparison.eq => "",
                Comparison.ne => "NOT ",
                _ => throw new ArgumentException($"{c.Operator} compares with one value", nameof(query)),
            };
            sql.Append($" AND {Column(c.Field)} {not}IN (SELECT value FROM json_each(@{p}))");
            args.Add(p, JsonSerializer.Serialize(c.Values));
        }
        foreach (var attribute in query.AttributesAnyOf)
        {
            var (name, values) = ($"f{n++}", $"f{n++}");
            sql.Append($" AND EXISTS (SELECT 1 FROM json_each(r.attributes) a WHERE json_extract(a.value, '$.name') = @{name} COLLATE NOCASE");
            sql.Append($" AND lower(json_extract(a.value, '$.value')) IN (SELECT lower(value) FROM json_each(@{values})))");
            args.Add(name, attribute.Name);
            args.Add(values, JsonSerializer.Serialize(attribute.Values));
        }
        if (query.LastAgentIds is { } agents && query.CampaignId is not null)
        {
            var p = $"f{n++}";
            sql.Append($" AND {LastAgent} IN (SELECT value FROM json_each(@{p}))");
            args.Add(p, JsonSerializer.Serialize(agents));
        }
    }
}
