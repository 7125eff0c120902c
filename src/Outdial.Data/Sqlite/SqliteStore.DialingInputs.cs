using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;

namespace Outdial.Data.Sqlite;

/// <summary>Loading what <see cref="Callability.Evaluate"/> needs for a batch of records, in a few set queries.</summary>
public sealed partial class SqliteStore
{
    /// <summary>Stored in next_eligible_at when only a change of data can make the record callable.</summary>
    internal const long NeverMs = long.MaxValue;

    internal sealed record DialingCampaign(long Serial, Campaign Campaign);

    internal sealed record Candidate(CallRecord Record, RecordProgress Progress, long? LeaseUntil);

    private static async Task<DialingCampaign?> LoadDialingCampaignAsync(
        SqliteConnection connection, DbTransaction? tx, long tenant, string campaignId, CancellationToken ct)
    {
        var serial = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, tx, cancellationToken: ct));
        if (serial is null) return null;
        var row = await connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(
            $"{CampaignSelect} WHERE c.id = @serial", new { serial }, tx, cancellationToken: ct));
        return new DialingCampaign(serial.Value, row.ToCampaign());
    }

    /// <summary>Records and their progress in the campaign, in the order given; missing rows are left out.</summary>
    private static async Task<List<Candidate>> LoadCandidatesAsync(
        SqliteConnection connection, DbTransaction tx, long campaign, IReadOnlyList<CandidateKey> keys, CancellationToken ct)
    {
        var ids = JsonSerializer.Serialize(keys.Select(k => k.RecordId));
        var records = (await connection.QueryAsync<RecordRow>(new CommandDefinition(
            $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.id IN (SELECT value FROM json_each(@ids))",
            new { ids }, tx, cancellationToken: ct))).ToDictionary(r => r.Serial);
        var progress = await connection.QueryAsync<ProgressRow>(new CommandDefinition($"""
            SELECT {ProgressColumns}
            FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id
            WHERE cr.campaign_id = @campaign AND cr.record_id IN (SELECT value FROM json_each(@ids))
            """, new { campaign, ids }, tx, cancellationToken: ct));
        var byRecord = progress.ToDictionary(p => p.RecordSerial);
        var result = new List<Candidate>(keys.Count);
        foreach (var key in keys)
        {
            if (records.TryGetValue(key.RecordId, out var r) && byRecord.TryGetValue(key.RecordId, out var p))
                result.Add(new Candidate(r.ToRecord(), p.ToProgress(), key.LeaseUntil));
        }
        return result;
    }

    /// <summary>A candidate row as the pick index finds it.</summary>
    internal readonly record struct CandidateKey(long RecordId, long? LeaseUntil);

    /// <summary>The DNC check and recent attempts for every number of <paramref name="records"/>, as of now.</summary>
    private static async Task<(DoNotCallCheck Dnc, IReadOnlyDictionary<string, IReadOnlyList<NumberAttempt>> Recent)> LoadNumberFactsAsync(
        SqliteConnection connection, DbTransaction tx, long tenant, DialingCampaign campaign, IEnumerable<CallRecord> records, long now, CancellationToken ct)
    {
        var numbers = records.SelectMany(r => r.Phones).Select(p => p.E164).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count == 0) return (DoNotCallList.None, new Dictionary<string, IReadOnlyList<NumberAttempt>>());
        var json = JsonSerializer.Serialize(numbers);

        var blocks = await connection.QueryAsync<(string E164, long Forever, long? Until)>(new CommandDefinition("""
            SELECT e164, max(expires IS NULL), max(expires) FROM dnc
            WHERE tenant_id = @tenant AND e164 IN (SELECT value FROM json_each(@json)) AND campaign_id IN (0, @campaign)
              AND (expires IS NULL OR expires > @now)
            GROUP BY e164
            """, new { tenant, json, campaign = campaign.Serial, now }, tx, cancellationToken: ct));
        var blocked = blocks.ToDictionary(b => b.E164, b => b.Forever == 1 ? DncStatus.Forever : DncStatus.BlockedUntil(FromMs(b.Until)!.Value), StringComparer.Ordinal);
        DoNotCallCheck dnc = blocked.Count == 0 ? DoNotCallList.None : e164 => blocked.TryGetValue(e164, out var s) ? s : DncStatus.Clear;

        var c = campaign.Campaign;
        var hours = Math.Max(c.RollingCapCalls > 0 ? c.RollingCapHours ?? 0 : 0, c.NoRedialAfterAbandonHours);
        var recent = new Dictionary<string, IReadOnlyList<NumberAttempt>>(StringComparer.Ordinal);
        if (hours > 0)
        {
            var since = now - (long)TimeSpan.FromHours(hours).TotalMilliseconds;
            var rows = await connection.QueryAsync<(string E164, long Started, string Result)>(new CommandDefinition("""
                SELECT e164, started, result FROM attempts
                WHERE tenant_id = @tenant AND e164 IN (SELECT value FROM json_each(@json)) AND started > @since
                """, new { tenant, json, since }, tx, cancellationToken: ct));
            foreach (var g in rows.GroupBy(r => r.E164, StringComparer.Ordinal))
                recent[g.Key] = g.Select(a => new NumberAttempt(FromMs(a.Started)!.Value, Enum.Parse<CallResult>(a.Result))).ToList();
        }
        return (dnc, recent);
    }
}
