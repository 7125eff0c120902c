using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>Read-only snapshots (diagnostics): a deferred transaction on a pooled connection, so in WAL mode every read
/// sees the database as of the first one, and no write lock is taken.</summary>
public sealed partial class SqliteStore
{
    public async Task<ICampaignSnapshot> BeginSnapshotAsync(long tenant, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            return new Snapshot(connection, connection.BeginTransaction(deferred: true), tenant);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Snapshot(SqliteConnection connection, SqliteTransaction tx, long tenant) : ICampaignSnapshot
    {
        private (string Uid, long Serial)? _campaign;

        public async Task<Campaign?> ReadCampaignAsync(string campaignId, CancellationToken ct)
        {
            if (await SerialAsync(campaignId, ct) is not { } serial) return null;
            var row = await connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(
                $"{CampaignSelect} WHERE c.id = @serial", new { serial }, tx, cancellationToken: ct));
            return row.ToCampaign();
        }

        public async Task<IReadOnlyList<RecordInCampaign>> ReadRecordsAsync(string campaignId, long after, int limit, CancellationToken ct)
        {
            if (await SerialAsync(campaignId, ct) is not { } campaign) return [];
            // The records' rows and their progress in two set queries over one range of handles (the same snapshot: both exist).
            var progress = (await connection.QueryAsync<ProgressRow>(new CommandDefinition($"""
                SELECT {ProgressColumns}
                FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id
                WHERE cr.campaign_id = @campaign AND cr.record_id > @after
                ORDER BY cr.record_id LIMIT @limit
                """, new { campaign, after, limit }, tx, cancellationToken: ct))).ToList();
            if (progress.Count == 0) return [];
            var ids = JsonSerializer.Serialize(progress.Select(p => p.RecordSerial));
            var records = (await connection.QueryAsync<RecordRow>(new CommandDefinition(
                $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.id IN (SELECT value FROM json_each(@ids))",
                new { ids }, tx, cancellationToken: ct))).ToDictionary(r => r.Serial);
            var leases = (await connection.QueryAsync<(long RecordId, long Until)>(new CommandDefinition($"""
                SELECT cr.record_id, q.due FROM campaign_records cr JOIN pick_queue q ON {QueueOfProgress}
                WHERE cr.campaign_id = @campaign AND cr.record_id IN (SELECT value FROM json_each(@ids)) AND q.lease_owner IS NOT NULL
                """, new { campaign, ids }, tx, cancellationToken: ct))).ToDictionary(l => l.RecordId, l => l.Until);
            return progress.Select(p => new RecordInCampaign(records[p.RecordSerial].ToRecord(), p.ToProgress(),
                leases.TryGetValue(p.RecordSerial, out var until) ? FromMs(until) : null)).ToList();
        }

        public async Task<NumberFacts> ReadNumberFactsAsync(
            string campaignId, IReadOnlyCollection<string> numbers, DateTimeOffset? attemptsSince, DateTimeOffset now, CancellationToken ct)
        {
            var recent = new Dictionary<string, IReadOnlyList<NumberAttempt>>(StringComparer.Ordinal);
            if (numbers.Count == 0 || await SerialAsync(campaignId, ct) is not { } campaign) return new NumberFacts(DoNotCallList.None, recent);
            var json = JsonSerializer.Serialize(numbers);
            var blocks = await connection.QueryAsync<(string E164, long Forever, long? Until)>(new CommandDefinition(DncOfNumbers, new { tenant, json, campaign, now = now.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            var blocked = blocks.ToDictionary(b => b.E164, b => b.Forever == 1 ? DncStatus.Forever : DncStatus.BlockedUntil(FromMs(b.Until)!.Value), StringComparer.Ordinal);
            DoNotCallCheck dnc = blocked.Count == 0 ? DoNotCallList.None : e164 => blocked.TryGetValue(e164, out var s) ? s : DncStatus.Clear;
            if (attemptsSince is not { } since) return new NumberFacts(dnc, recent);
            var rows = await connection.QueryAsync<(string E164, long Started, string Result)>(new CommandDefinition(AttemptsAtNumbers, new { tenant, json, since = since.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            foreach (var g in rows.GroupBy(r => r.E164, StringComparer.Ordinal))
                recent[g.Key] = g.Select(a => new NumberAttempt(FromMs(a.Started)!.Value, Enum.Parse<CallResult>(a.Result))).ToList();
            return new NumberFacts(dnc, recent);
        }

        private async Task<long?> SerialAsync(string campaignId, CancellationToken ct)
        {
            if (_campaign is { } known && known.Uid == campaignId) return known.Serial;
            var serial = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, tx, cancellationToken: ct));
            if (serial is { } s) _campaign = (campaignId, s);
            return serial;
        }

        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync(); // a read: nothing to keep
            await connection.DisposeAsync();
        }
    }
}
