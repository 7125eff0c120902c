using System.Data.Common;
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

    // Never evaluated first (NULL), then the longest due; each half is one index range.
    private const string GroupCandidates = """
        SELECT record_id, lease_until FROM (
            SELECT record_id, lease_until FROM campaign_records
            WHERE campaign_id = $campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = $lane AND priority = $priority
              AND next_eligible_at IS NULL
            LIMIT $limit)
        UNION ALL
        SELECT record_id, lease_until FROM (
            SELECT record_id, lease_until FROM campaign_records
            WHERE campaign_id = $campaign AND state <> 'CLOSED' AND (app_state <> 'RECALL') = $lane AND priority = $priority
              AND next_eligible_at <= $now
            ORDER BY next_eligible_at LIMIT $limit)
        LIMIT $limit
        """;

    private const string LeaseFree = "(lease_until IS NULL OR lease_until <= $now)";

    public async Task<IReadOnlyList<ClaimedRecord>> ClaimCallableAsync(
        long tenant, string campaignId, int max, string leaseOwner, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentException.ThrowIfNullOrEmpty(leaseOwner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        await using var connection = await OpenAsync(ct);
        var campaign = await LoadDialingCampaignAsync(connection, null, tenant, campaignId, ct);
        if (campaign is null || !CampaignOpen(campaign.Campaign, now)) return [];

        var nowMs = now.ToUnixTimeMilliseconds();
        var until = now + leaseFor;
        var untilMs = until.ToUnixTimeMilliseconds();
        var claimed = new List<ClaimedRecord>(max);
        var budget = Math.Max(MinEvaluations, max * EvaluationsPerClaimed);

        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        using var lease = Command(connection, tx, $"""
            UPDATE campaign_records SET lease_owner = $owner, lease_until = $until, next_eligible_at = $until, attempt_id = NULL
            WHERE campaign_id = $campaign AND record_id = $record AND {LeaseFree}
            """, ("$owner", leaseOwner), ("$until", untilMs), ("$campaign", campaign.Serial), ("$record", 0L), ("$now", nowMs));
        using var defer = Command(connection, tx, $"""
            UPDATE campaign_records SET next_eligible_at = $next, lease_owner = NULL, lease_until = NULL, attempt_id = NULL
            WHERE campaign_id = $campaign AND record_id = $record AND {LeaseFree}
            """, ("$next", 0L), ("$campaign", campaign.Serial), ("$record", 0L), ("$now", nowMs));

        foreach (var (lane, priority) in await GroupsAsync(connection, tx, campaign.Serial, ct))
        {
            while (claimed.Count < max && budget > 0)
            {
                var keys = await CandidatesAsync(connection, tx, campaign.Serial, lane, priority, nowMs, Math.Min(max - claimed.Count, budget), ct);
                if (keys.Count == 0) break;
                budget -= keys.Count;
                var candidates = await LoadCandidatesAsync(connection, tx, campaign.Serial, keys, ct);
                var (dnc, recent) = await LoadNumberFactsAsync(connection, tx, tenant, campaign, candidates.Select(c => c.Record), nowMs, ct);
                foreach (var c in candidates)
                {
                    var callability = Callability.Evaluate(new CallabilityInput
                    {
                        Campaign = campaign.Campaign, Record = c.Record, Progress = c.Progress,
                        LeasedUntil = FromMs(c.LeaseUntil), DoNotCall = dnc, RecentAttempts = recent,
                    }, now);
                    if (callability is { Callable: true, PhoneIndex: { } phone })
                    {
                        lease.Parameters["$record"].Value = c.Record.Number;
                        if (await lease.ExecuteNonQueryAsync(ct) == 1)
                            claimed.Add(new ClaimedRecord(new RecordLease(campaignId, c.Record.Number, leaseOwner, until), c.Record, c.Progress, phone));
                    }
                    else
                    {
                        defer.Parameters["$next"].Value = EligibleMs(callability);
                        defer.Parameters["$record"].Value = c.Record.Number;
                        await defer.ExecuteNonQueryAsync(ct);
                    }
                }
                // A row neither leased nor deferred (its lease is held) would come back at once: stop this group.
                if (candidates.Count < keys.Count || keys.Any(k => k.LeaseUntil > nowMs)) break;
            }
            if (claimed.Count >= max || budget <= 0) break;
        }
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>The (lane, priority) groups with open records, in pick order: callbacks first, then high priority first.</summary>
    private static async Task<List<(long Lane, long Priority)>> GroupsAsync(SqliteConnection connection, SqliteTransaction tx, long campaign, CancellationToken ct)
    {
        var groups = new List<(long, long)>();
        using var next = Command(connection, tx, GroupNext, ("$campaign", campaign), ("$lane", 0L), ("$below", long.MaxValue));
        for (var lane = 0L; lane <= 1; lane++)
        {
            next.Parameters["$lane"].Value = lane;
            next.Parameters["$below"].Value = long.MaxValue;
            while (await next.ExecuteScalarAsync(ct) is long priority)
            {
                groups.Add((lane, priority));
                next.Parameters["$below"].Value = priority;
            }
        }
        return groups;
    }

    private static async Task<List<CandidateKey>> CandidatesAsync(
        SqliteConnection connection, SqliteTransaction tx, long campaign, long lane, long priority, long nowMs, int limit, CancellationToken ct)
    {
        using var query = Command(connection, tx, GroupCandidates,
            ("$campaign", campaign), ("$lane", lane), ("$priority", priority), ("$now", nowMs), ("$limit", (long)limit));
        var keys = new List<CandidateKey>(limit);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            keys.Add(new CandidateKey(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        return keys;
    }

    public async Task<bool> ReleaseLeaseAsync(long tenant, RecordLease lease, DateTimeOffset now, CancellationToken ct)
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

    public async Task<long> InvalidateEligibilityAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var reset = await InvalidateEligibilityAsync(connection, tx, tenant, campaignId, now.ToUnixTimeMilliseconds(), ct);
        await tx.CommitAsync(ct);
        return reset;
    }

    /// <summary>Waiting, unleased records of the campaign become candidates again (next_eligible_at NULL).</summary>
    internal static async Task<long> InvalidateEligibilityAsync(
        SqliteConnection connection, DbTransaction tx, long tenant, string campaignId, long nowMs, CancellationToken ct)
    {
        var campaign = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, tx, cancellationToken: ct));
        if (campaign is null) return 0;
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_records SET next_eligible_at = NULL
            WHERE campaign_id = @campaign AND state <> 'CLOSED' AND next_eligible_at > @nowMs AND lease_owner IS NULL
            """, new { campaign, nowMs }, tx, cancellationToken: ct));
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
