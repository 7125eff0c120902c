using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private sealed class CompletedRow
    {
        public long Sequence { get; set; }
        public long CompletedUs { get; set; }
        public long Serial { get; set; }
        public string? LastPhone { get; set; }
        public double? LastCallDuration { get; set; }
        public string? LastAgent { get; set; }
        public long TotalAttempts { get; set; }
    }

    /// <remarks>Sequences come from the campaign's completion counter (migration 0016), taken by a trigger in the completing
    /// transaction: with one writer at a time their order is the commit order the contract asks for.</remarks>
    public Task<IReadOnlyList<CompletedRecord>?> GetCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        long afterSequence, int limit, CancellationToken ct) =>
        ReadCompletedAsync(tenant, campaignId, listId, since, from: null, afterSequence, limit, ct);

    /// <remarks>completed_us is taken with the sequence by the same trigger (migration 0019), so it grows in commit order too.</remarks>
    public Task<IReadOnlyList<CompletedRecord>?> GetCompletedFromAsync(long tenant, string campaignId, string? listId, DateTimeOffset from,
        int limit, CancellationToken ct) =>
        ReadCompletedAsync(tenant, campaignId, listId, since: null, from, afterSequence: 0, limit, ct);

    private async Task<IReadOnlyList<CompletedRecord>?> ReadCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        DateTimeOffset? from, long afterSequence, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var campaign = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, cancellationToken: ct));
        if (campaign is null) return null;
        long? list = null;
        if (listId is not null)
        {
            list = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT l.id FROM calling_lists l JOIN campaign_lists cl ON cl.list_id = l.id WHERE l.tenant_id = @tenant AND l.uid = @listId AND cl.campaign_id = @campaign",
                new { tenant, listId, campaign }, cancellationToken: ct));
            if (list is null) return null;
        }
        // One page in three queries whatever its size: the page with its last attempts, then its records, then their progress,
        // in one read transaction (one WAL snapshot), so a record deleted meanwhile cannot go missing between them.
        await using var snapshot = connection.BeginTransaction(deferred: true); // deferred: a reader, it takes no write lock
        // completed_us grows with completion_seq: 'from' becomes the first sequence at or after it, one index probe, so the
        // page scan starts there rather than at the campaign's first completion.
        var rows = (await connection.QueryAsync<CompletedRow>(new CommandDefinition("""
            WITH page AS (
                SELECT cr.completion_seq AS seq, cr.record_id AS rid, cr.completed_us AS us
                FROM campaign_records cr JOIN records r ON r.id = cr.record_id
                WHERE cr.campaign_id = @campaign AND cr.completion_seq > @afterSequence AND cr.state = 'CLOSED'
                  AND (@from IS NULL OR (cr.completed_us >= @from AND cr.completion_seq >= coalesce((
                      SELECT f.completion_seq FROM campaign_records f WHERE f.campaign_id = @campaign AND f.completed_us >= @from AND f.completion_seq IS NOT NULL
                      ORDER BY f.completed_us LIMIT 1), 9223372036854775807)))
                  AND (@since IS NULL OR cr.closed_at >= @since) AND (@list IS NULL OR r.list_id = @list)
                ORDER BY cr.completion_seq LIMIT @limit)
            SELECT page.seq AS Sequence, page.us AS CompletedUs, page.rid AS Serial, a.e164 AS LastPhone, a.talk_seconds AS LastCallDuration, a.agent_id AS LastAgent,
                   (SELECT count(*) FROM attempts x WHERE x.record_id = page.rid AND x.campaign_id = @campaign) AS TotalAttempts
            FROM page LEFT JOIN attempts a ON a.id = (
                SELECT l.id FROM attempts l WHERE l.record_id = page.rid AND l.campaign_id = @campaign ORDER BY l.started DESC, l.id DESC LIMIT 1)
            ORDER BY page.seq
            """, new { campaign, afterSequence, since = ToMs(since), from = ToMicros(from), list, limit }, snapshot, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Serial).ToArray();
        var records = (await connection.QueryAsync<RecordRow>(new CommandDefinition(
            $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.id IN (SELECT value FROM json_each(@ids))",
            new { ids = System.Text.Json.JsonSerializer.Serialize(ids) }, snapshot, cancellationToken: ct))).ToDictionary(r => r.Serial);
        var progress = (await connection.QueryAsync<ProgressRow>(new CommandDefinition(
            $"SELECT {ProgressColumns} FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id WHERE cr.campaign_id = @campaign AND cr.record_id IN (SELECT value FROM json_each(@ids))",
            new { campaign, ids = System.Text.Json.JsonSerializer.Serialize(ids) }, snapshot, cancellationToken: ct))).ToDictionary(p => p.RecordSerial);
        var result = new List<CompletedRecord>(rows.Count);
        foreach (var row in rows)
            result.Add(new CompletedRecord(row.Sequence, DateTimeOffset.UnixEpoch.AddTicks(row.CompletedUs * TimeSpan.TicksPerMicrosecond),
                new StoredRecord(records[row.Serial].ToRecord(), [progress[row.Serial].ToProgress()]),
                row.LastPhone, row.LastCallDuration, row.LastAgent, row.TotalAttempts));
        return result;
    }

    /// <summary>Microseconds since the epoch, rounded up: "at or after" a time between two microseconds starts at the later.</summary>
    private static long? ToMicros(DateTimeOffset? value)
    {
        if (value is not { } t) return null;
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks > 0 ? (ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond : ticks / TimeSpan.TicksPerMicrosecond;
    }
}
