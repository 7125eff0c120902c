using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>
/// Claiming callable records. The pick index orders candidates by (lane, priority, next_eligible_at); a claim walks the
/// (lane, priority) groups with one seek each and takes a range of due rows, so its cost does not grow with the campaign.
/// </summary>
/// <remarks>
/// A lease sets next_eligible_at to the lease expiry: a leased record drops out of the due range by itself, and comes
/// back when the lease expires. Every write is conditional on the lease being free (or still ours) and its row count is
/// checked; SQLite's single writer (BEGIN IMMEDIATE) serializes claims on top of that.
/// </remarks>
public sealed partial class SqliteStore
{
    // Bounds the work of one claim when most candidates turn out not callable (e.g. after an invalidation).
    private const int EvaluationsPerClaimed = 8;
    private const int MinEvaluations = 256;

    private const string GroupNext = """
        SELECT priority FROM campaign_records
        WHERE campaign_id = $campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = $lane AND priority < $below
        ORDER BY priority DESC LIMIT 1
        """;

    // Never evaluated first (NULL), then the longest due: each half is one index range. CROSS JOIN keeps the candidates
    // as the outer loop, so the joins are lookups by key.
    private const string CandidatesWithRows = """
        WITH k AS (
            SELECT record_id FROM (
                SELECT record_id FROM campaign_records
                WHERE campaign_id = $campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = $lane AND priority = $priority
                  AND next_eligible_at IS NULL
                LIMIT $limit)
            UNION ALL
            SELECT record_id FROM (
                SELECT record_id FROM campaign_records
                WHERE campaign_id = $campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = $lane AND priority = $priority
                  AND next_eligible_at <= $now
                ORDER BY next_eligible_at LIMIT $limit)
            LIMIT $limit)
        SELECT cr.record_id, cr.lease_until, cr.next_eligible_at, r.uid, l.uid, r.external_id, r.time_zone, r.priority, r.dialing_mode,
               r.preview_time, r.locked, r.phones, r.attributes, r.created, r.modified,
               cr.state, cr.app_state, cr.result, cr.call_result, cr.classifier, cr.call_count, cr.last_b_number, cr.scheduled_at,
               cr.agent_id, cr.amount, cr.script, cr.closed_at, cr.modified
        FROM k CROSS JOIN campaign_records cr CROSS JOIN records r CROSS JOIN calling_lists l
        WHERE cr.campaign_id = $campaign AND cr.record_id = k.record_id AND r.id = k.record_id AND l.id = r.list_id
        """;

    private const string LeaseFree = "(lease_until IS NULL OR lease_until <= $now)";

    public async Task<IReadOnlyList<ClaimedRecord>> ClaimCallableAsync(
        long tenant, string campaignId, int max, string leaseOwner, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct,
        bool callbacksOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentException.ThrowIfNullOrEmpty(leaseOwner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        return await Claims.ClaimAsync(tenant, campaignId, max, leaseOwner, leaseFor, now, ct, callbacksOnly);
    }

    public async Task<bool> ReleaseLeaseAsync(long tenant, RecordLease lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_records SET lease_owner = NULL, lease_until = NULL, next_eligible_at = NULL
            WHERE campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @CampaignId)
              AND record_id = @RecordSerial AND lease_owner = @Owner AND lease_until = @until AND attempt_id IS NULL
            """, new { tenant, lease.CampaignId, lease.RecordSerial, lease.Owner, until = lease.Until.ToUnixTimeMilliseconds() },
            cancellationToken: ct)) == 1;
    }

    public async Task<RecordLease?> RenewLeaseAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var until = now + leaseFor;
        await using var connection = await OpenAsync(ct);
        var renewed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_records SET lease_until = @untilMs, next_eligible_at = @untilMs
            WHERE campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @CampaignId)
              AND record_id = @RecordSerial AND lease_owner = @Owner AND lease_until = @held AND lease_until > @nowMs
            """, new
        {
            tenant,
            lease.CampaignId,
            lease.RecordSerial,
            lease.Owner,
            held = lease.Until.ToUnixTimeMilliseconds(),
            untilMs = until.ToUnixTimeMilliseconds(),
            nowMs = now.ToUnixTimeMilliseconds(),
        }, cancellationToken: ct));
        return renewed == 1 ? lease with { Until = until } : null;
    }

    // Rows reset per transaction: a large campaign is reset in short steps, so claims are never held up for long.
    private const int InvalidateChunk = 5000;

    public async Task<long> InvalidateEligibilityAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var campaign = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, cancellationToken: ct));
        if (campaign is null) return 0;
        var nowMs = now.ToUnixTimeMilliseconds();
        long reset = 0;
        for (var lane = 0L; lane <= 1; lane++)
        {
            var below = long.MaxValue;
            // Skip-scan over the pick index: one seek per priority present.
            while (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InvalidateNextGroup, new { campaign, lane, below }, cancellationToken: ct)) is long priority)
            {
                reset += await InvalidateGroupAsync(connection, campaign.Value, lane, priority, nowMs, ct);
                below = priority;
            }
        }
        return reset;
    }

    private const string InvalidateNextGroup = """
        SELECT priority FROM campaign_records
        WHERE campaign_id = @campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = @lane AND priority < @below
        ORDER BY priority DESC LIMIT 1
        """;

    /// <summary>Resets a group's waiting rows in steps, walking its range once: a cursor on next_eligible_at skips leased rows already seen.</summary>
    private static async Task<long> InvalidateGroupAsync(SqliteConnection connection, long campaign, long lane, long priority, long nowMs, CancellationToken ct)
    {
        long reset = 0;
        var after = nowMs + 1;
        while (true)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var rows = (await connection.QueryAsync<(long RecordId, long Next)>(new CommandDefinition(InvalidateStep,
                new { campaign, lane, priority, after, chunk = InvalidateChunk }, tx, cancellationToken: ct))).AsList();
            var ids = rows.Where(r => r.RecordId != 0).Select(r => r.RecordId).ToList();
            if (ids.Count > 0)
            {
                reset += await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE campaign_records SET next_eligible_at = NULL
                    WHERE campaign_id = @campaign AND record_id IN (SELECT value FROM json_each(@ids)) AND lease_owner IS NULL
                    """, new { campaign, ids = System.Text.Json.JsonSerializer.Serialize(ids) }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            if (rows.Count < InvalidateChunk) return reset;
            // Ties at the boundary are seen again (reset rows have left the range); a chunk of leased ties alone must not stall.
            after = ids.Count == 0 && rows[^1].Next == after ? after + 1 : rows[^1].Next;
        }
    }

    // Leased rows are returned with record 0 so the cursor moves past them too.
    private const string InvalidateStep = """
        SELECT CASE WHEN lease_owner IS NULL THEN record_id ELSE 0 END, next_eligible_at FROM campaign_records
        WHERE campaign_id = @campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = @lane AND priority = @priority
          AND next_eligible_at >= @after
        ORDER BY next_eligible_at LIMIT @chunk
        """;
}
