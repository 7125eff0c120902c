using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>
    /// The prepared statements of the dial cycle's primitives besides the claim's (SqliteStore.DialingTransaction.cs):
    /// campaign, record and progress reads, and the start's and finish's conditional writes.
    /// </summary>
    private sealed partial class DialingConnection
    {
        private SqliteCommand _campaignSerial = null!, _campaignRow = null!, _record = null!, _progress = null!,
            _startHeld = null!, _startDrop = null!, _startDefer = null!, _startInsert = null!, _startLease = null!,
            _finishKey = null!, _finishAttempt = null!, _finishPhones = null!, _finishProgress = null!, _finishDrop = null!, _finishEnd = null!;

        private void PrepareDialCycle(SqliteConnection connection)
        {
            _campaignSerial = Prepare(connection, "SELECT id FROM campaigns WHERE tenant_id = $tenant AND uid = $uid");
            _campaignRow = Prepare(connection, $"{CampaignSelect} WHERE c.id = $serial");
            _record = Prepare(connection, $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.id = $record");
            _progress = Prepare(connection, $"""
                SELECT {ProgressColumns}
                FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id
                WHERE cr.campaign_id = $campaign AND cr.record_id = $record
                """);

            _startHeld = Prepare(connection, $"""
                SELECT count(*) FROM pick_queue
                WHERE {QueueRowOf("$campaign", "$record")} AND lease_owner = $owner AND due = $held AND due > $now AND attempt_id IS NULL
                """);
            // A record closed while leased loses its queue row with the lease.
            _startDrop = Prepare(connection, $"DELETE FROM pick_queue WHERE {QueueRowOf("$campaign", "$record")} AND lease_owner = $owner AND due = $held");
            _startDefer = Prepare(connection, $"""
                UPDATE pick_queue SET due = $next, lease_owner = NULL
                WHERE {QueueRowOf("$campaign", "$record")} AND lease_owner = $owner AND due = $held
                """);
            _startInsert = Prepare(connection, """
                INSERT INTO attempts (uid, tenant_id, campaign_id, record_id, phone_index, e164, started, result)
                VALUES ($uid, $tenant, $campaign, $record, $phone, $number, $now, 'DIALING') RETURNING id
                """);
            _startLease = Prepare(connection, $"""
                UPDATE pick_queue SET attempt_id = $attempt, due = $until
                WHERE {QueueRowOf("$campaign", "$record")} AND lease_owner = $owner AND due = $held AND attempt_id IS NULL
                """);

            _finishKey = Prepare(connection, $"""
                SELECT a.id AS Id, c.uid AS CampaignUid, a.campaign_id AS CampaignId, a.record_id AS RecordId, a.phone_index AS PhoneIndex,
                       a.result AS Result, a.disposition AS Disposition, q.attempt_id AS CurrentAttempt
                FROM attempts a JOIN campaigns c ON c.id = a.campaign_id
                LEFT JOIN campaign_records cr ON cr.campaign_id = a.campaign_id AND cr.record_id = a.record_id
                LEFT JOIN pick_queue q ON {QueueOfProgress}
                WHERE a.tenant_id = $tenant AND a.uid = $uid
                """);
            _finishAttempt = Prepare(connection, """
                UPDATE attempts SET ended = $now, result = $result, answered = $answered, ring_seconds = $ring, talk_seconds = $talk,
                    wrap_seconds = $wrap, agent_id = $agent, disposition = $disposition, amount = $amount, classifier = $classifier,
                    agent_logout = $logout
                WHERE id = $attempt
                """);
            _finishPhones = Prepare(connection, "UPDATE records SET phones = $phones, modified = $now WHERE id = $record");
            _finishProgress = Prepare(connection, """
                UPDATE campaign_records SET state = $state, app_state = $appstate, result = $result, call_result = $callresult,
                    classifier = $classifier, call_count = $callcount, last_b_number = $lastb, scheduled_at = $scheduled,
                    agent_id = $agent, amount = $amount, script = $script, closed_at = $closed, modified = $now,
                    next_eligible_at = $next
                WHERE campaign_id = $campaign AND record_id = $record
                """);
            // The progress update moved the queue row to its new key with the lease kept (trigger); the lease ends here, and
            // a closed record leaves the queue.
            _finishDrop = Prepare(connection, $"DELETE FROM pick_queue WHERE {QueueRowOf("$campaign", "$record")} AND attempt_id = $attempt");
            _finishEnd = Prepare(connection, $"""
                UPDATE pick_queue SET due = $next, lease_owner = NULL, attempt_id = NULL
                WHERE {QueueRowOf("$campaign", "$record")} AND attempt_id = $attempt
                """);
        }

        /// <summary>The serial of a campaign of the tenant, or null.</summary>
        private async Task<long?> CampaignSerialAsync(long tenant, string campaignId, CancellationToken ct)
        {
            Set(_campaignSerial, ("$tenant", tenant), ("$uid", campaignId));
            return await _campaignSerial.ExecuteScalarAsync(ct) is long serial ? serial : null;
        }

        private async Task<Campaign> CampaignRowAsync(long serial, CancellationToken ct)
        {
            Set(_campaignRow, ("$serial", serial));
            var row = await SingleAsync<CampaignRow>(_campaignRow, ct) ?? throw new InvalidOperationException("Sequence contains no elements");
            return row.ToCampaign();
        }

        /// <summary>A record and its progress in the campaign (both must exist).</summary>
        private async Task<LeasedRecord> RecordAsync(long campaign, long record, CancellationToken ct)
        {
            Set(_record, ("$record", record));
            Set(_progress, ("$campaign", campaign), ("$record", record));
            var r = await SingleAsync<RecordRow>(_record, ct);
            var p = await SingleAsync<ProgressRow>(_progress, ct);
            if (r is null || p is null) throw new InvalidOperationException("Sequence contains no elements");
            return new LeasedRecord(r.ToRecord(), p.ToProgress());
        }

        /// <summary>The first row mapped by Dapper (the same mapping as the queries on pooled connections), or null.</summary>
        private static async Task<T?> SingleAsync<T>(SqliteCommand command, CancellationToken ct) where T : class
        {
            await using var r = await command.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? r.GetRowParser<T>()(r) : null;
        }
    }
}
