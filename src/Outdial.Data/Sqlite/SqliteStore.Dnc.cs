using Dapper;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private sealed class DncRow
    {
        public string Id { get; set; } = "";
        public string E164 { get; set; } = "";
        public string? CampaignId { get; set; }
        public string? Reason { get; set; }
        public string? Source { get; set; }
        public long Added { get; set; }
        public long? Expires { get; set; }

        public DncEntry ToEntry() => new(Id, E164, CampaignId, Reason, Source, FromMs(Added)!.Value, FromMs(Expires));
    }

    private const string DncSelect = """
        SELECT d.uid AS Id, d.e164 AS E164, c.uid AS CampaignId, d.reason AS Reason, d.source AS Source, d.added AS Added, d.expires AS Expires
        FROM dnc d LEFT JOIN campaigns c ON c.id = d.campaign_id
        """;

    public async Task<IReadOnlyList<RowOutcome>> AddDncAsync(long tenant, IReadOnlyList<DncEntry> entries, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var campaigns = new Dictionary<string, long?>(StringComparer.Ordinal);
        var outcomes = new List<RowOutcome>(entries.Count);
        var now = NowMs;
        // Numbers whose block now ends sooner, per campaign (0: tenant-wide): one re-evaluation per campaign for the batch.
        var shortened = new Dictionary<long, HashSet<string>>();
        foreach (var entry in entries)
        {
            long campaign = 0;
            if (entry.CampaignId is { } cid)
            {
                if (!campaigns.TryGetValue(cid, out var found))
                    campaigns[cid] = found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                        "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @cid", new { tenant, cid }, tx, cancellationToken: ct));
                if (found is null)
                {
                    outcomes.Add(new RowOutcome(RowStatus.Failed, null, 0, $"campaign '{cid}' does not exist"));
                    continue;
                }
                campaign = found.Value;
            }
            var expires = ToMs(entry.Expires);
            if (expires is not null)
            {
                var previous = await connection.QuerySingleOrDefaultAsync<(long Id, long? Expires)?>(new CommandDefinition(
                    "SELECT id, expires FROM dnc WHERE tenant_id = @tenant AND e164 = @E164 AND campaign_id = @campaign",
                    new { tenant, entry.E164, campaign }, tx, cancellationToken: ct));
                // An existing block now ends sooner: records parked until its old end (or for good) because of this number are
                // evaluated again (recorded with the change, done in the background).
                if (previous is { } p && (p.Expires is null || expires < p.Expires) && (p.Expires is null || p.Expires > now))
                {
                    if (!shortened.TryGetValue(campaign, out var set)) shortened[campaign] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(entry.E164);
                }
            }
            var (uid, inserted) = await connection.QuerySingleAsync<(string, long)>(new CommandDefinition("""
                INSERT INTO dnc (uid, tenant_id, campaign_id, e164, reason, source, added, expires)
                VALUES (@Id, @tenant, @campaign, @E164, @Reason, @Source, @added, @expires)
                ON CONFLICT (tenant_id, e164, campaign_id) DO UPDATE SET reason = excluded.reason, source = excluded.source,
                    added = excluded.added, expires = excluded.expires
                RETURNING uid, uid = @Id
                """, new { entry.Id, tenant, campaign, entry.E164, entry.Reason, entry.Source, added = ToMs(entry.Added), expires },
                tx, cancellationToken: ct));
            outcomes.Add(new RowOutcome(inserted == 1 ? RowStatus.Created : RowStatus.Updated, uid, 0, null));
        }
        // Tenant-wide first: a campaign's own numbers then join that campaign's marker (same reason, not started).
        foreach (var (campaign, numbers) in shortened.OrderBy(s => s.Key))
            await QueueReevaluationAsync(connection, tx, tenant, campaign == 0 ? null : campaign, now, numbers, ReasonDncShortened, now, ct);
        await tx.CommitAsync(ct);
        return outcomes;
    }

    public async Task<DncEntry?> GetDncAsync(long tenant, string id, CancellationToken ct) =>
        (await QueryAsync<DncRow>($"{DncSelect} WHERE d.tenant_id = @tenant AND d.uid = @id", new { tenant, id }, ct)).SingleOrDefault()?.ToEntry();

    public async Task<IReadOnlyList<DncEntry>> ListDncAsync(long tenant, string? campaignId, string? e164, int offset, int limit, CancellationToken ct) =>
        (await QueryAsync<DncRow>($"""
            {DncSelect} WHERE d.tenant_id = @tenant
              AND (@campaignId IS NULL OR c.uid = @campaignId)
              AND (@e164 IS NULL OR d.e164 = @e164)
            ORDER BY d.id LIMIT @limit OFFSET @offset
            """, new { tenant, campaignId, e164, offset, limit }, ct)).Select(r => r.ToEntry()).ToList();

    public async Task<bool> DeleteDncAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var deleted = await connection.QuerySingleOrDefaultAsync<(long Campaign, string E164, long? Expires)?>(new CommandDefinition(
            "DELETE FROM dnc WHERE tenant_id = @tenant AND uid = @id RETURNING campaign_id, e164, expires", new { tenant, id }, tx, cancellationToken: ct));
        if (deleted is not { } d) return false;
        // Records parked as "never callable" (or until the entry's end) because of this number are evaluated again: only the
        // records that have it, in the entry's campaign or every campaign of the tenant. Recorded with the delete, done in
        // the background (RunPendingReevaluationsAsync).
        var now = NowMs;
        if (d.Expires is null || d.Expires > now)
            await QueueReevaluationAsync(connection, tx, tenant, d.Campaign == 0 ? null : d.Campaign, now, [d.E164], ReasonDncRemoved, now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlySet<string>> BlockedNumbersAsync(long tenant, string campaignId, IReadOnlyCollection<string> e164s, DateTimeOffset now, CancellationToken ct)
    {
        if (e164s.Count == 0) return new HashSet<string>();
        var blocked = await QueryAsync<string>("""
            SELECT DISTINCT d.e164 FROM dnc d
            WHERE d.tenant_id = @tenant AND d.e164 IN (SELECT value FROM json_each(@numbers))
              AND (d.campaign_id = 0 OR d.campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId))
              AND (d.expires IS NULL OR d.expires > @now)
            """, new { tenant, campaignId, numbers = System.Text.Json.JsonSerializer.Serialize(e164s), now = now.ToUnixTimeMilliseconds() }, ct);
        return blocked.ToHashSet(StringComparer.Ordinal);
    }
}
