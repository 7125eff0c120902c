using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>
    /// Starting and finishing attempts (<see cref="StartAttemptAsync"/>, <see cref="FinishAttemptAsync"/>) on the dedicated
    /// dialing connection, with the claims' prepared statements (campaign, DNC, recent attempts) and their own. The SQL and
    /// the transactions are those they had on pooled connections (compiled per call then, with the triggers the progress
    /// update fires).
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

        /// <summary>The campaign with its serial, in the current transaction (as <see cref="LoadDialingCampaignAsync"/>).</summary>
        private async Task<DialingCampaign?> CampaignAsync(long tenant, string campaignId, CancellationToken ct)
        {
            Set(_campaignSerial, ("$tenant", tenant), ("$uid", campaignId));
            if (await _campaignSerial.ExecuteScalarAsync(ct) is not long serial) return null;
            Set(_campaignRow, ("$serial", serial));
            var row = await SingleAsync<CampaignRow>(_campaignRow, ct) ?? throw new InvalidOperationException("Sequence contains no elements");
            return new DialingCampaign(serial, row.ToCampaign());
        }

        /// <summary>A record and its progress in the campaign (as <see cref="LoadCandidatesAsync"/> for one key; both must exist).</summary>
        private async Task<Candidate> CandidateAsync(long campaign, long record, CancellationToken ct)
        {
            Set(_record, ("$record", record));
            Set(_progress, ("$campaign", campaign), ("$record", record));
            var r = await SingleAsync<RecordRow>(_record, ct);
            var p = await SingleAsync<ProgressRow>(_progress, ct);
            if (r is null || p is null) throw new InvalidOperationException("Sequence contains no elements");
            return new Candidate(r.ToRecord(), p.ToProgress(), null);
        }

        /// <summary>The first row mapped by Dapper (the same mapping as the queries on pooled connections), or null.</summary>
        private static async Task<T?> SingleAsync<T>(SqliteCommand command, CancellationToken ct) where T : class
        {
            await using var r = await command.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? r.GetRowParser<T>()(r) : null;
        }

        /// <summary>One record's callability now, with fresh DNC and recent attempts (the moment of dialing, or after an attempt).</summary>
        private async Task<Callability> EvaluateAsync(long tenant, DialingCampaign campaign, CallRecord record, RecordProgress progress, DateTimeOffset now, CancellationToken ct)
        {
            var (dnc, recent) = await NumberFactsAsync(tenant, campaign, [new Candidate(record, progress, null)], now.ToUnixTimeMilliseconds(), ct);
            return Callability.Evaluate(new CallabilityInput
            {
                Campaign = campaign.Campaign,
                Record = record,
                Progress = progress,
                DoNotCall = dnc,
                RecentAttempts = recent,
            }, now);
        }

        public async Task<AttemptStart> StartAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var heldUntil = lease.Until.ToUnixTimeMilliseconds();
            await EnterAsync(ct);
            try
            {
                using var tx = await BeginAsync(ct); // not committed: rolled back
                var campaign = await CampaignAsync(tenant, lease.CampaignId, ct);
                var lost = new AttemptStart(AttemptStartStatus.LeaseLost, null, -1, null, NotCallableReason.Leased, null);
                if (campaign is null) return lost;

                var key = new (string, object?)[] { ("$campaign", campaign.Serial), ("$record", lease.RecordSerial), ("$owner", lease.Owner), ("$held", heldUntil) };
                Set(_startHeld, key);
                Set(_startHeld, ("$now", nowMs));
                if ((long)(await _startHeld.ExecuteScalarAsync(ct))! != 1) return lost;

                var candidate = await CandidateAsync(campaign.Serial, lease.RecordSerial, ct);
                // Fresh DNC and caps: the record may have waited in a prepared batch while a number was blocked or called elsewhere.
                var callability = await EvaluateAsync(tenant, campaign, candidate.Record, candidate.Progress, now, ct);
                if (callability is not { Callable: true, PhoneIndex: { } phone })
                {
                    var write = candidate.Progress.State == RecordState.CLOSED ? _startDrop : _startDefer;
                    Set(write, key);
                    if (write == _startDefer) Set(write, ("$next", EligibleMs(callability)));
                    await write.ExecuteNonQueryAsync(ct);
                    tx.Commit();
                    return new AttemptStart(AttemptStartStatus.NotCallable, null, -1, null, callability.Reason, null);
                }

                var number = candidate.Record.Phones[phone].E164!;
                var uid = Id32.New();
                Set(_startInsert, ("$uid", uid), ("$tenant", tenant), ("$campaign", campaign.Serial), ("$record", lease.RecordSerial),
                    ("$phone", (long)phone), ("$number", number), ("$now", nowMs));
                var attempt = (long)(await _startInsert.ExecuteScalarAsync(ct))!;
                var until = now + leaseFor;
                Set(_startLease, key);
                Set(_startLease, ("$attempt", attempt), ("$until", until.ToUnixTimeMilliseconds()));
                if (await _startLease.ExecuteNonQueryAsync(ct) != 1) return lost; // rolls back with the transaction
                tx.Commit();
                return new AttemptStart(AttemptStartStatus.Started, uid, phone, number, NotCallableReason.None, lease with { Until = until });
            }
            catch (Exception e)
            {
                DiscardUnlessReusable(e);
                throw;
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<AttemptFinish> FinishAsync(
            long tenant, string attemptId, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            await EnterAsync(ct);
            try
            {
                using var tx = await BeginAsync(ct); // not committed: rolled back
                Set(_finishKey, ("$tenant", tenant), ("$uid", attemptId));
                var a = await SingleAsync<AttemptKeyRow>(_finishKey, ct);
                // In progress, or closed by the lease sweeper (0007) while its dialer stalled: a late finish still records what happened.
                if (a is null || !(a.Result == nameof(CallResult.DIALING)
                    || (a.Result == nameof(CallResult.NOT_DIALED) && a.Disposition == LeaseExpiredDisposition)))
                    return new AttemptFinish(AttemptFinishStatus.NotFound, null, null);

                Set(_finishAttempt,
                    ("$now", nowMs),
                    ("$result", outcome.Result.ToString()),
                    ("$answered", ToMs(details?.Answered)),
                    ("$ring", details?.RingSeconds ?? 0),
                    ("$talk", details?.TalkSeconds ?? 0),
                    ("$wrap", details?.WrapSeconds ?? 0),
                    ("$agent", details?.AgentId),
                    ("$disposition", details?.Disposition),
                    ("$amount", (double?)outcome.Amount),
                    ("$classifier", outcome.Classifier),
                    ("$logout", details?.AgentLogout == true ? 1 : 0),
                    ("$attempt", a.Id));
                await _finishAttempt.ExecuteNonQueryAsync(ct);
                if (a.CurrentAttempt != a.Id)
                {
                    // The lease expired and the record moved on; its progress is no longer this attempt's to change.
                    tx.Commit();
                    return new AttemptFinish(AttemptFinishStatus.LeaseLost, null, null);
                }

                var campaign = (await CampaignAsync(tenant, a.CampaignUid, ct))!;
                var candidate = await CandidateAsync(a.CampaignId, a.RecordId, ct);
                var applied = ResultRules.Apply(campaign.Campaign, candidate.Record, candidate.Progress, outcome with { PhoneIndex = (int)a.PhoneIndex }, now);
                Set(_finishPhones, ("$phones", RecordJson.Phones(applied.Record.Phones)), ("$now", nowMs), ("$record", a.RecordId));
                await _finishPhones.ExecuteNonQueryAsync(ct);

                var next = await EvaluateAsync(tenant, campaign, applied.Record, applied.Progress, now, ct);
                var p = applied.Progress;
                Set(_finishProgress,
                    ("$state", p.State.ToString()),
                    ("$appstate", p.ApplicationState.ToString()),
                    ("$result", p.Result?.ToString()),
                    ("$callresult", p.CallResult),
                    ("$classifier", p.Classifier),
                    ("$callcount", p.CallCount),
                    ("$lastb", p.LastBNumber),
                    ("$scheduled", ToMs(p.ScheduledAt)),
                    ("$agent", p.AgentId),
                    ("$amount", (double?)p.Amount),
                    ("$script", p.Script is null ? null : System.Text.Json.JsonSerializer.Serialize(p.Script, StoreJson)),
                    ("$closed", ToMs(p.ClosedAt)),
                    ("$now", nowMs),
                    ("$next", EligibleMs(next)),
                    ("$campaign", a.CampaignId),
                    ("$record", a.RecordId));
                await _finishProgress.ExecuteNonQueryAsync(ct);
                var end = p.State == RecordState.CLOSED ? _finishDrop : _finishEnd;
                Set(end, ("$campaign", a.CampaignId), ("$record", a.RecordId), ("$attempt", a.Id));
                if (end == _finishEnd) Set(end, ("$next", EligibleMs(next)));
                await end.ExecuteNonQueryAsync(ct);
                tx.Commit();
                return new AttemptFinish(AttemptFinishStatus.Applied, p, next.NextEligibleAt);
            }
            catch (Exception e)
            {
                DiscardUnlessReusable(e);
                throw;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
