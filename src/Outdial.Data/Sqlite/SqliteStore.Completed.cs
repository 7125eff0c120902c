using Dapper;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private sealed class CompletedRow
    {
        public long Sequence { get; set; }
        public long Serial { get; set; }
        public string? LastPhone { get; set; }
        public double? LastCallDuration { get; set; }
        public string? LastAgent { get; set; }
        public long TotalAttempts { get; set; }
    }

    public async Task<IReadOnlyList<CompletedRecord>?> GetCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        long afterSequence, int limit, CancellationToken ct)
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
        var rows = (await connection.QueryAsync<CompletedRow>(new CommandDefinition("""
            SELECT cr.completion_seq AS Sequence, cr.record_id AS Serial,
                   (SELECT a.e164 FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id ORDER BY a.started DESC, a.id DESC LIMIT 1) AS LastPhone,
                   (SELECT a.talk_seconds FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id ORDER BY a.started DESC, a.id DESC LIMIT 1) AS LastCallDuration,
                   (SELECT a.agent_id FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id ORDER BY a.started DESC, a.id DESC LIMIT 1) AS LastAgent,
                   (SELECT count(*) FROM attempts a WHERE a.record_id = cr.record_id AND a.campaign_id = cr.campaign_id) AS TotalAttempts
            FROM campaign_records cr JOIN records r ON r.id = cr.record_id
            WHERE cr.campaign_id = @campaign AND cr.completion_seq > @afterSequence AND cr.state = 'CLOSED'
              AND (@since IS NULL OR cr.closed_at >= @since) AND (@list IS NULL OR r.list_id = @list)
            ORDER BY cr.completion_seq LIMIT @limit
            """, new { campaign, afterSequence, since = ToMs(since), list, limit }, cancellationToken: ct))).AsList();
        var result = new List<CompletedRecord>(rows.Count);
        foreach (var row in rows)
        {
            var record = await connection.QuerySingleAsync<RecordRow>(new CommandDefinition(
                $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.id = @Serial", new { row.Serial }, cancellationToken: ct));
            var progress = await connection.QuerySingleAsync<ProgressRow>(new CommandDefinition(
                $"SELECT {ProgressColumns} FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id WHERE cr.record_id = @Serial AND cr.campaign_id = @campaign",
                new { row.Serial, campaign }, cancellationToken: ct));
            result.Add(new CompletedRecord(row.Sequence, new StoredRecord(record.ToRecord(), [progress.ToProgress()]),
                row.LastPhone, row.LastCallDuration, row.LastAgent, row.TotalAttempts));
        }
        return result;
    }
}
