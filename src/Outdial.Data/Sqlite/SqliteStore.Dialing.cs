using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>
/// The pick order and leases (what DialCycle's claims read and write). The pick queue (pick_queue, migration 0005) orders candidates by (lane, priority, due); a
/// claim walks the (lane, priority) groups with one seek each and takes a range of due rows, so its cost does not grow
/// with the campaign, and its writes stay on a few adjacent queue pages whichever records it picks.
/// </summary>
/// <remarks>
/// A lease sets due to the lease expiry: a leased record drops out of the due range by itself, and comes back when the
/// lease expires. Every write is conditional on the row being as read (due, owner) and its row count is checked; SQLite's
/// single writer (BEGIN IMMEDIATE) serializes claims on top of that.
/// </remarks>
public sealed partial class SqliteStore
{
    /// <summary>Stored in next_eligible_at when only a change of data can make the record callable.</summary>
    internal const long NeverMs = long.MaxValue;

    private const string GroupNext = """
        SELECT priority FROM pick_queue
        WHERE campaign_id = $campaign AND lane = $lane AND priority < $below
        ORDER BY priority DESC LIMIT 1
        """;

    // One index range (never evaluated = 0 first, then the longest due). CROSS JOIN keeps the candidates as the outer
    // loop, so the joins are lookups by key.
    private const string CandidatesWithRows = """
        WITH k AS (
            SELECT base, record_id, due FROM pick_queue INDEXED BY ix_pick_queue_due
            WHERE campaign_id = $campaign AND lane = $lane AND priority = $priority AND due <= $now
            ORDER BY due LIMIT $limit)
        SELECT cr.record_id, k.base, k.due, r.uid, l.uid, r.external_id, r.time_zone, r.priority, r.dialing_mode,
               r.preview_time, r.locked, r.phones, r.attributes, r.created, r.modified,
               cr.state, cr.app_state, cr.result, cr.call_result, cr.classifier, cr.call_count, cr.last_b_number, cr.scheduled_at,
               cr.agent_id, cr.amount, cr.script, cr.closed_at, cr.modified
        FROM k CROSS JOIN campaign_records cr CROSS JOIN records r CROSS JOIN calling_lists l
        WHERE cr.campaign_id = $campaign AND cr.record_id = k.record_id AND r.id = k.record_id AND l.id = r.list_id
        """;

    /// <summary>The queue row of one record in one campaign, found from its progress row (the key derives from it).</summary>
    internal static string QueueRowOf(string campaign, string record) => $"""
        (campaign_id, lane, priority, base, record_id) = (
            SELECT campaign_id, app_state <> 'RECALL', priority, coalesce(next_eligible_at, 0), record_id
            FROM campaign_records WHERE campaign_id = {campaign} AND record_id = {record})
        """;

    /// <summary>
    /// Queue rows for progress rows just inserted (open ones): writers of campaign_records call it with a condition on
    /// campaign_records selecting their new rows. No trigger does it (see migration 0005). A row edited since its insert
    /// (an import overwriting a record it created) was queued by the update trigger already: the same key, left alone.
    /// </summary>
    internal static string QueueNewProgress(string where) => $"""
        INSERT INTO pick_queue (campaign_id, lane, priority, base, record_id, due)
        SELECT campaign_id, app_state <> 'RECALL', priority, coalesce(next_eligible_at, 0), record_id, coalesce(next_eligible_at, 0)
        FROM campaign_records WHERE state <> 'CLOSED' AND {where}
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// Counts <c>$n</c> progress rows just inserted into campaign <c>$campaign</c> in campaign_tallies (0014): writers of
    /// campaign_records add what they inserted, as they queue it (<see cref="QueueNewProgress"/>). Every writer inserts
    /// with the defaults: OPEN, NEW (no callback), no result, no calls.
    /// </summary>
    internal const string TallyNewProgress = """
        INSERT INTO campaign_tallies (campaign_id, state, recall, result, call_result, classifier, call_count, n)
        VALUES ($campaign, 'OPEN', 0, '', '', '', 0, $n)
        ON CONFLICT DO UPDATE SET n = n + excluded.n
        """;

    private const string CampaignOfLease = "(SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @CampaignId)";

    /// <summary>Joins pick_queue q to campaign_records cr (the queue row of a progress row).</summary>
    internal const string QueueOfProgress = """
        q.campaign_id = cr.campaign_id AND q.lane = (cr.app_state <> 'RECALL') AND q.priority = cr.priority
        AND q.base = coalesce(cr.next_eligible_at, 0) AND q.record_id = cr.record_id
        """;

    public async Task<bool> ReleaseLeaseAsync(long tenant, RecordLease lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var args = new { tenant, lease.CampaignId, lease.RecordSerial, lease.Owner, until = lease.Until.ToUnixTimeMilliseconds() };
        var released = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE pick_queue SET lease_owner = NULL, due = 0
            WHERE {QueueRowOf(CampaignOfLease, "@RecordSerial")} AND lease_owner = @Owner AND due = @until AND attempt_id IS NULL
            """, args, tx, cancellationToken: ct)) == 1;
        // A record closed while it was leased leaves the queue with its lease.
        if (released)
            await connection.ExecuteAsync(new CommandDefinition($"""
                DELETE FROM pick_queue WHERE {QueueRowOf(CampaignOfLease, "@RecordSerial")}
                  AND EXISTS (SELECT 1 FROM campaign_records WHERE campaign_id = {CampaignOfLease} AND record_id = @RecordSerial AND state = 'CLOSED')
                """, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return released;
    }

    public async Task<RecordLease?> RenewLeaseAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var until = now + leaseFor;
        await using var connection = await OpenAsync(ct);
        var renewed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE pick_queue SET due = @untilMs
            WHERE {QueueRowOf(CampaignOfLease, "@RecordSerial")} AND lease_owner = @Owner AND due = @held AND due > @nowMs
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
}
