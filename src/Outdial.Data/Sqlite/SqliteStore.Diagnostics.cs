using Dapper;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private const int DiagnosisBatch = 2000;

    public async Task<bool> EvaluateCampaignRecordsAsync(long tenant, string campaignId, DateTimeOffset now, Action<Callability> onRecord, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct); // one consistent snapshot
        var dialing = await LoadDialingCampaignAsync(connection, tx, tenant, campaignId, ct);
        if (dialing is null) return false;
        // Campaign-level blockers are reported apart; here each record is judged on its own merits.
        var open = dialing with { Campaign = dialing.Campaign with { Status = CampaignStatus.Active, StartDate = null, EndDate = null } };
        var nowMs = now.ToUnixTimeMilliseconds();
        long after = -1;
        while (true)
        {
            var keys = (await connection.QueryAsync<(long RecordId, long? LeaseUntil)>(new CommandDefinition($"""
                SELECT cr.record_id, CASE WHEN q.lease_owner IS NOT NULL THEN q.due END
                FROM campaign_records cr LEFT JOIN pick_queue q ON {QueueOfProgress}
                WHERE cr.campaign_id = @Serial AND cr.record_id > @after
                ORDER BY cr.record_id LIMIT @batch
                """, new { open.Serial, after, batch = DiagnosisBatch }, tx, cancellationToken: ct)))
                .Select(k => new CandidateKey(k.RecordId, k.LeaseUntil)).ToList();
            if (keys.Count == 0) return true;
            after = keys[^1].RecordId;
            var candidates = await LoadCandidatesAsync(connection, tx, open.Serial, keys, ct);
            var (dnc, recent) = await LoadNumberFactsAsync(connection, tx, tenant, open, candidates.Select(c => c.Record), nowMs, ct);
            foreach (var c in candidates)
                onRecord(Callability.Evaluate(new CallabilityInput
                {
                    Campaign = open.Campaign,
                    Record = c.Record,
                    Progress = c.Progress,
                    LeasedUntil = FromMs(c.LeaseUntil),
                    DoNotCall = dnc,
                    RecentAttempts = recent,
                }, now));
        }
    }
}
