using System.Text;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private static string Column(RecordField field) => field switch
    {
        RecordField.externalId => "r.external_id",
        RecordField.numbers => "r.numbers",
        RecordField.timeZone => "r.time_zone",
        RecordField.priority => "r.priority",
        RecordField.dialingMode => "r.dialing_mode",
        RecordField.previewTime => "r.preview_time",
        RecordField.locked => "r.locked",
        RecordField.result => LiveResult,
        RecordField.callResult => "cr.call_result",
        RecordField.classifier => "cr.classifier",
        RecordField.callCount => "cr.call_count",
        RecordField.lastBNumber => "cr.last_b_number",
        RecordField.state => LiveState,
        RecordField.applicationState => "cr.app_state",
        RecordField.agentId => "cr.agent_id",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static string Column(RecordDateField field) => field switch
    {
        RecordDateField.created => "r.created",
        RecordDateField.modificationDate => "r.modified",
        RecordDateField.date => "cr.scheduled_at",
        RecordDateField.closed => "cr.closed_at",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static string Column(RecordSortField field) => field switch
    {
        RecordSortField.id => "r.id",
        RecordSortField.externalId => "r.external_id",
        RecordSortField.priority => "r.priority",
        RecordSortField.created => "r.created",
        RecordSortField.modificationDate => "r.modified",
        RecordSortField.date => "cr.scheduled_at",
        RecordSortField.callCount => "cr.call_count",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Translates a user pattern (<c>*</c>, <c>?</c>) into LIKE with <c>\</c> escaping the LIKE metacharacters.</summary>
    internal static string ToLike(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 4);
        foreach (var ch in pattern)
            sb.Append(ch switch { '*' => "%", '?' => "_", '%' => "\\%", '_' => "\\_", '\\' => "\\\\", _ => ch.ToString() });
        return sb.ToString();
    }

    /// <remarks>In the default order a page is a keyset seek (<c>id &gt; after</c>, <c>LIMIT</c>): a campaign's page walks
    /// its progress rows by <c>ix_campaign_records_campaign</c>, a list's page its records by <c>ix_records_list</c>
    /// (0017), so a page costs the same at the start and at the end of a campaign of any size.</remarks>
    public async Task<RecordPage> SearchRecordsAsync(long tenant, RecordQuery query, CancellationToken ct)
    {
        var args = new Dictionary<string, object?> { ["tenant"] = tenant };
        var sql = new StringBuilder($"SELECT {RecordColumns} ");
        // The key the page is ordered and sought by: the progress row's when a campaign drives the walk.
        var key = "r.id";
        if (query.CampaignId is not null)
        {
            // The campaign's progress comes in the same rows: one statement, no second look-up by ids.
            sql.Append($", {ProgressColumnsLive} FROM campaign_records cr JOIN records r ON r.id = cr.record_id JOIN calling_lists l ON l.id = r.list_id");
            sql.Append(" JOIN campaigns c ON c.id = cr.campaign_id");
            sql.Append(" WHERE cr.campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaign) AND r.tenant_id = @tenant");
            args["campaign"] = query.CampaignId;
            key = "cr.record_id";
        }
        else
            sql.Append("FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.tenant_id = @tenant");
        if (query.ListId is not null)
        {
            sql.Append(" AND r.list_id = (SELECT id FROM calling_lists WHERE tenant_id = @tenant AND uid = @list)");
            args["list"] = query.ListId;
        }
        var n = 0;
        foreach (var filter in query.Filters)
        {
            var p = $"f{n++}";
            var column = Column(filter.Field);
            if (filter.Field == RecordField.numbers && !SearchPattern.HasWildcards(filter.Pattern))
            {
                // One number matches any of the record's numbers.
                sql.Append($" AND (';' || r.numbers || ';') LIKE @{p} ESCAPE '\\'");
                args[p] = "%;" + ToLike(filter.Pattern) + ";%";
            }
            else if (SearchPattern.HasWildcards(filter.Pattern))
            {
                sql.Append($" AND {column} LIKE @{p} ESCAPE '\\'");
                args[p] = ToLike(filter.Pattern);
            }
            else
            {
                sql.Append($" AND {column} = @{p} COLLATE NOCASE");
                args[p] = filter.Field is RecordField.priority or RecordField.previewTime or RecordField.callCount or RecordField.lastBNumber or RecordField.locked
                    ? long.Parse(filter.Pattern, System.Globalization.CultureInfo.InvariantCulture)
                    : filter.Pattern;
            }
        }
        if (query.AgentIds is { } agents && query.CampaignId is not null)
        {
            sql.Append(" AND cr.agent_id IN (SELECT value FROM json_each(@agents))");
            args["agents"] = System.Text.Json.JsonSerializer.Serialize(agents);
        }
        AppendSets(query, sql, args, ref n);
        foreach (var range in query.DateRanges)
        {
            var column = Column(range.Field);
            if (range.From is { } from) { var p = $"f{n++}"; sql.Append($" AND {column} >= @{p}"); args[p] = from.ToUnixTimeMilliseconds(); }
            if (range.To is { } to) { var p = $"f{n++}"; sql.Append($" AND {column} <= @{p}"); args[p] = to.ToUnixTimeMilliseconds(); }
        }
        if (query.AttributeName is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM json_each(r.attributes) a WHERE json_extract(a.value, '$.name') = @attrName COLLATE NOCASE");
            args["attrName"] = query.AttributeName;
            if (query.AttributeValue is not null)
            {
                sql.Append(SearchPattern.HasWildcards(query.AttributeValue)
                    ? " AND json_extract(a.value, '$.value') LIKE @attrValue ESCAPE '\\'"
                    : " AND json_extract(a.value, '$.value') = @attrValue COLLATE NOCASE");
                args["attrValue"] = SearchPattern.HasWildcards(query.AttributeValue) ? ToLike(query.AttributeValue) : query.AttributeValue;
            }
            sql.Append(')');
        }
        if (query.After is { } after)
        {
            sql.Append(query.Descending ? $" AND {key} < @after" : $" AND {key} > @after");
            args["after"] = after;
        }
        var direction = query.Descending ? "DESC" : "ASC";
        var offset = query.After is null ? query.Offset : 0;
        if (offset > 0 && query.CampaignId is not null && query.Sort == RecordSortField.id && args.Count == 2)
        {
            // No filter: skip by the covering index alone (the page's own rows read the progress table, skipped ones need not).
            sql.Append($" AND cr.record_id {(query.Descending ? "<=" : ">=")} (SELECT record_id FROM campaign_records WHERE campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaign)");
            sql.Append($" ORDER BY record_id {direction} LIMIT 1 OFFSET @offset)");
            args["offset"] = offset;
            offset = 0;
        }
        sql.Append($" ORDER BY {(query.Sort == RecordSortField.id ? key : Column(query.Sort))} {direction}");
        if (query.Sort != RecordSortField.id) sql.Append($", {key} ASC"); // ties keep insertion order
        sql.Append(" LIMIT @limit OFFSET @skip");
        args["limit"] = query.Limit + 1;
        args["skip"] = offset;

        // On a kept connection: the statement of each query shape is prepared once, not on every page.
        await using var connection = await _reads.RentAsync(ct);
        List<StoredRecord> items;
        bool hasMore;
        if (query.CampaignId is not null)
        {
            var rows = await connection.QueryAsync(sql.ToString(), args, r => (Item1: RecordRow.Read(r), Item2: ProgressRow.Read(r, RecordColumnCount)), ct);
            items = rows.Take(query.Limit).Select(r => new StoredRecord(r.Item1.ToRecord(), [r.Item2.ToProgress()])).ToList();
            hasMore = rows.Count > query.Limit;
        }
        else
        {
            await connection.BeginSnapshotAsync(ct); // the page and its progress rows as of one moment
            var rows = await connection.QueryAsync(sql.ToString(), args, RecordRow.Read, ct);
            var page = rows.Take(query.Limit).ToList();
            var progress = new Dictionary<long, List<Engine.Domain.RecordProgress>>();
            if (page.Count > 0)
            {
                var found = await connection.QueryAsync<ProgressRow>(
                    $"SELECT {ProgressColumnsLive} FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id WHERE cr.record_id IN (SELECT value FROM json_each(@ids))",
                    new { ids = "[" + string.Join(',', page.Select(r => r.Serial)) + "]" }, ct);
                foreach (var p in found)
                {
                    if (!progress.TryGetValue(p.RecordSerial, out var list)) progress[p.RecordSerial] = list = [];
                    list.Add(p.ToProgress());
                }
            }
            items = page.Select(r => new StoredRecord(r.ToRecord(), progress.TryGetValue(r.Serial, out var p) ? p : [])).ToList();
            hasMore = rows.Count > query.Limit;
        }
        return new RecordPage(items, hasMore && query.Sort == RecordSortField.id ? items[^1].Record.Number : null);
    }
}
