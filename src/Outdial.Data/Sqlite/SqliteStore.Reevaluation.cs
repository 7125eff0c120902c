using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>
/// Durable re-evaluation of waiting pick-queue rows (migration 0008). A change that may make waiting records callable
/// sooner records a marker (pick_reevaluations) in its own transaction; <see cref="RunPendingReevaluationsAsync"/> (the
/// server's background worker) resets the rows in its scope to "not evaluated" (due = 0) in bounded transactions, keeping
/// its position in the marker, and deletes the marker at the end. Stored eligibility is only ever too late, never too
/// early, and everything that writes a due back (claim, start, finish) reads the campaign and the DNC entries inside its
/// own transaction, after the change committed: while a marker is pending, rows it has not reached yet are at worst
/// picked late, never dialed against the new rules.
/// </summary>
public sealed partial class SqliteStore
{
    // Rows walked per transaction: a large campaign is reset in short steps, so claims are never held up for long.
    private const int InvalidateChunk = 5000;

    /// <summary>Rows walked per transaction (tests make it small to see the steps).</summary>
    internal int ReevaluationStep { get; set; } = InvalidateChunk;

    internal const string ReasonCampaignChange = "campaign window, dates, status or caps changed";
    internal const string ReasonRetryCountRaised = "RetryCount raised";
    internal const string ReasonDncRemoved = "do-not-call entry removed";
    internal const string ReasonDncShortened = "do-not-call entry shortened";
    internal const string ReasonRequested = "requested";

    /// <summary>
    /// Records a re-evaluation of the waiting rows (due after <paramref name="after"/>; only the records that have one of
    /// <paramref name="numbers"/> when given) of one campaign, or of every campaign of the tenant when
    /// <paramref name="campaign"/> is null, in the caller's transaction: one marker per campaign, whatever the count of
    /// numbers. A marker not started yet that covers it (same campaign, earlier or equal after, every row) makes it
    /// unnecessary; one not started yet with a set of numbers for the same reason takes the new numbers (a burst of DNC
    /// changes, or the batches of one bulk import, cost one walk).
    /// </summary>
    private static async Task QueueReevaluationAsync(SqliteConnection connection, DbTransaction tx, long tenant, long? campaign,
        long after, IReadOnlyCollection<string>? numbers, string reason, long now, CancellationToken ct)
    {
        if (numbers is { Count: 0 }) return;
        var json = numbers is null ? null : JsonSerializer.Serialize(numbers);
        var campaigns = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND (@campaign IS NULL OR id = @campaign)", new { tenant, campaign }, tx, cancellationToken: ct));
        foreach (var c in campaigns)
        {
            var covering = await connection.QuerySingleOrDefaultAsync<(long Id, long Numbers)?>(new CommandDefinition("""
                SELECT id, numbers FROM pick_reevaluations
                WHERE campaign_id = @c AND lane IS NULL AND after <= @after AND (numbers = 0 OR (@numbered AND reason = @reason))
                ORDER BY numbers, id LIMIT 1
                """, new { c, after, numbered = json is not null, reason }, tx, cancellationToken: ct));
            if (covering is { Numbers: 0 }) continue; // every row is walked anyway
            var marker = covering?.Id ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO pick_reevaluations (campaign_id, after, reason, created) VALUES (@c, @after, @reason, @now) RETURNING id
                """, new { c, after, reason, now }, tx, cancellationToken: ct));
            if (json is null) continue;
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO pick_reevaluation_numbers (reevaluation_id, e164) SELECT @marker, value FROM json_each(@json) WHERE true
                ON CONFLICT DO NOTHING;
                UPDATE pick_reevaluations SET numbers = (SELECT count(*) FROM pick_reevaluation_numbers WHERE reevaluation_id = @marker)
                WHERE id = @marker;
                """, new { marker, json }, tx, cancellationToken: ct));
        }
    }

    public async Task<long> InvalidateEligibilityAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        long? id;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                INSERT INTO pick_reevaluations (campaign_id, after, reason, created)
                SELECT id, @after, @reason, @created FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId
                RETURNING id
                """, new { tenant, campaignId, after = now.ToUnixTimeMilliseconds(), reason = ReasonRequested, created = NowMs }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        return id is { } marker ? await RunReevaluationAsync(connection, marker, ReevaluationStep, new StepBudget(int.MaxValue), ct) : 0;
    }

    public Task<long> RunPendingReevaluationsAsync(CancellationToken ct) => RunPendingReevaluationsAsync(int.MaxValue, ct);

    /// <summary>At most <paramref name="maxSteps"/> transactions (a test stops it half-way, as a crash would).</summary>
    internal async Task<long> RunPendingReevaluationsAsync(int maxSteps, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        long reset = 0;
        long last = 0;
        var budget = new StepBudget(maxSteps);
        // Oldest first; each marker to its end (another process's worker may share the work: the cursor is read and written
        // in every step's transaction).
        while (budget.Left > 0 && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(id) FROM pick_reevaluations WHERE id > @last", new { last }, cancellationToken: ct)) is long id)
        {
            reset += await RunReevaluationAsync(connection, id, ReevaluationStep, budget, ct);
            last = id;
        }
        return reset;
    }

    public async Task<PendingReevaluation?> GetPendingReevaluationAsync(long tenant, string campaignId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Created, string Reason)>(new CommandDefinition("""
            SELECT p.created, p.reason FROM pick_reevaluations p JOIN campaigns c ON c.id = p.campaign_id
            WHERE c.tenant_id = @tenant AND c.uid = @campaignId ORDER BY p.id
            """, new { tenant, campaignId }, cancellationToken: ct))).AsList();
        return rows.Count == 0 ? null
            : new PendingReevaluation(FromMs(rows.Min(r => r.Created))!.Value, rows.Count, rows.Select(r => r.Reason).Distinct(StringComparer.Ordinal).ToList());
    }

    private sealed class MarkerRow
    {
        public long CampaignId { get; set; }
        public long After { get; set; }
        public long Numbers { get; set; }
        public long? Lane { get; set; }
        public long? Priority { get; set; }
        public long? Due { get; set; }
        public long? Base { get; set; }
        public long? RecordId { get; set; }
    }

    /// <summary>
    /// Works through one marker: per (lane, priority) group, a step of <see cref="InvalidateChunk"/> rows along the due index
    /// (a cursor on due, base, record, so a run of equal due values is split too) per transaction. Reset rows leave the
    /// range (due 0); leased ones are stepped over (their lease's end brings them back to a claim, which evaluates them).
    /// </summary>
    private static async Task<long> RunReevaluationAsync(SqliteConnection connection, long id, int step, StepBudget budget, CancellationToken ct)
    {
        long reset = 0;
        HashSet<string>? numbers = null;
        for (; budget.Left > 0; budget.Left--)
        {
            ct.ThrowIfCancellationRequested();
            await using var tx = await connection.BeginTransactionAsync(ct);
            var m = await connection.QuerySingleOrDefaultAsync<MarkerRow>(new CommandDefinition("""
                SELECT campaign_id AS CampaignId, after AS After, numbers AS Numbers, lane AS Lane, priority AS Priority, due AS Due,
                       base AS Base, record_id AS RecordId
                FROM pick_reevaluations WHERE id = @id
                """, new { id }, tx, cancellationToken: ct));
            if (m is null) return reset; // done (by another worker, or its campaign deleted)
            var group = m.Lane is { } lane ? (lane, m.Priority!.Value) : await NextGroupAsync(connection, tx, m.CampaignId, 0, long.MaxValue, ct);
            if (group is not { } current)
            {
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM pick_reevaluations WHERE id = @id", new { id }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                return reset;
            }
            var (l, p) = current;
            (long Due, long Base, long Record) from = m.Lane is null ? (m.After, long.MaxValue, long.MaxValue) : (m.Due!.Value, m.Base!.Value, m.RecordId!.Value);
            var range = new { campaign = m.CampaignId, lane = l, priority = p, d0 = from.Due, b0 = from.Base, r0 = from.Record };
            // The step's last row; the rest of the group when fewer are left.
            var to = await connection.QuerySingleOrDefaultAsync<(long Due, long Base, long Record)?>(new CommandDefinition("""
                SELECT due, base, record_id FROM pick_queue
                WHERE campaign_id = @campaign AND lane = @lane AND priority = @priority AND (due, base, record_id) > (@d0, @b0, @r0)
                ORDER BY due, base, record_id LIMIT 1 OFFSET @skip
                """, new { range.campaign, range.lane, range.priority, range.d0, range.b0, range.r0, skip = step - 1 }, tx, cancellationToken: ct));
            var end = to ?? (long.MaxValue, long.MaxValue, long.MaxValue);
            if (m.Numbers == 0)
                reset += await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE pick_queue SET due = 0
                    WHERE campaign_id = @campaign AND lane = @lane AND priority = @priority
                      AND (due, base, record_id) > (@d0, @b0, @r0) AND (due, base, record_id) <= (@d1, @b1, @r1) AND lease_owner IS NULL
                    """, new { range.campaign, range.lane, range.priority, range.d0, range.b0, range.r0, d1 = end.Due, b1 = end.Base, r1 = end.Record },
                    tx, cancellationToken: ct));
            else
            {
                // A DNC marker (entries gone or shortened) resets only the rows of records that have one of its numbers. The set
                // is read once: numbers are only added to a marker that has not started.
                numbers ??= (await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT e164 FROM pick_reevaluation_numbers WHERE reevaluation_id = @id", new { id }, tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
                reset += await ResetHoldersAsync(connection, tx, range.campaign, l, p, from, end, numbers, ct);
            }
            (long Lane, long Priority, long Due, long Base, long Record)? next = null;
            if (to is { } t) next = (l, p, t.Due, t.Base, t.Record);
            else if (await NextGroupAsync(connection, tx, m.CampaignId, l, p, ct) is { } g) next = (g.Lane, g.Priority, m.After, long.MaxValue, long.MaxValue);
            await connection.ExecuteAsync(new CommandDefinition(next is not null
                ? "UPDATE pick_reevaluations SET lane = @Lane, priority = @Priority, due = @Due, base = @Base, record_id = @Record WHERE id = @id"
                : "DELETE FROM pick_reevaluations WHERE id = @id",
                new { id, Lane = next?.Lane, Priority = next?.Priority, Due = next?.Due, Base = next?.Base, Record = next?.Record }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            if (next is null) return reset;
        }
        return reset;
    }

    /// <summary>
    /// Resets the waiting rows of one step (after <paramref name="from"/>, up to <paramref name="to"/>) whose records have one
    /// of <paramref name="numbers"/>: the step's rows are read with their records' numbers (the ";"-joined search column) and
    /// matched here, so the cost per row does not grow with the set (no index leads from a number to its records).
    /// </summary>
    private static async Task<long> ResetHoldersAsync(SqliteConnection connection, DbTransaction tx, long campaign, long lane, long priority,
        (long Due, long Base, long Record) from, (long Due, long Base, long Record) to, HashSet<string> numbers, CancellationToken ct)
    {
        var holders = new List<(long Due, long Base, long Record)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = (SqliteTransaction)tx;
            read.CommandText = """
                SELECT q.due, q.base, q.record_id, r.numbers FROM pick_queue q INDEXED BY ix_pick_queue_due CROSS JOIN records r
                WHERE q.campaign_id = $campaign AND q.lane = $lane AND q.priority = $priority
                  AND (q.due, q.base, q.record_id) > ($d0, $b0, $r0) AND (q.due, q.base, q.record_id) <= ($d1, $b1, $r1)
                  AND q.lease_owner IS NULL AND r.id = q.record_id
                """;
            read.Parameters.AddWithValue("$campaign", campaign);
            read.Parameters.AddWithValue("$lane", lane);
            read.Parameters.AddWithValue("$priority", priority);
            read.Parameters.AddWithValue("$d0", from.Due);
            read.Parameters.AddWithValue("$b0", from.Base);
            read.Parameters.AddWithValue("$r0", from.Record);
            read.Parameters.AddWithValue("$d1", to.Due);
            read.Parameters.AddWithValue("$b1", to.Base);
            read.Parameters.AddWithValue("$r1", to.Record);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                foreach (var number in r.GetString(3).Split(';'))
                {
                    if (!numbers.Contains(number)) continue;
                    holders.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
                    break;
                }
            }
        }
        if (holders.Count == 0) return 0;
        await using var reset = connection.CreateCommand();
        reset.Transaction = (SqliteTransaction)tx;
        reset.CommandText = """
            UPDATE pick_queue SET due = 0
            WHERE campaign_id = $campaign AND lane = $lane AND priority = $priority AND base = $base AND record_id = $record AND due = $due
              AND lease_owner IS NULL
            """;
        reset.Parameters.AddWithValue("$campaign", campaign);
        reset.Parameters.AddWithValue("$lane", lane);
        reset.Parameters.AddWithValue("$priority", priority);
        var (due, queueBase, record) = (reset.Parameters.Add("$due", SqliteType.Integer), reset.Parameters.Add("$base", SqliteType.Integer), reset.Parameters.Add("$record", SqliteType.Integer));
        long done = 0;
        foreach (var h in holders)
        {
            (due.Value, queueBase.Value, record.Value) = (h.Due, h.Base, h.Record);
            done += await reset.ExecuteNonQueryAsync(ct);
        }
        return done;
    }

    private sealed class StepBudget(int left)
    {
        public int Left { get; set; } = left;
    }

    /// <summary>The group after (lane, priority) in pick order (lane first, then high priority first); from the start with (0, max).</summary>
    private static async Task<(long Lane, long Priority)?> NextGroupAsync(
        SqliteConnection connection, DbTransaction tx, long campaign, long lane, long below, CancellationToken ct)
    {
        for (; lane <= 1; lane++, below = long.MaxValue)
        {
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                GroupNext.Replace('$', '@'), new { campaign, lane, below }, tx, cancellationToken: ct)) is long priority)
                return (lane, priority);
        }
        return null;
    }
}
