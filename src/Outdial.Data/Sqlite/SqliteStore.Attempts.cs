using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>Starting and finishing attempts on leased records, each in one transaction.</summary>
public sealed partial class SqliteStore
{
    /// <summary>What migration 0007's trigger writes on an attempt whose dialer lost the lease (the same text is in the SQL).</summary>
    internal const string LeaseExpiredDisposition = "lease expired: the dialer stopped before the call ended";

    public async Task<AttemptStart> StartAttemptAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var nowMs = now.ToUnixTimeMilliseconds();
        var heldUntil = lease.Until.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var campaign = await LoadDialingCampaignAsync(connection, tx, tenant, lease.CampaignId, ct);
        var lost = new AttemptStart(AttemptStartStatus.LeaseLost, null, -1, null, NotCallableReason.Leased, null);
        if (campaign is null) return lost;

        var held = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT count(*) FROM pick_queue
            WHERE {QueueRowOf("@campaign", "@record")} AND lease_owner = @owner AND due = @heldUntil AND due > @nowMs AND attempt_id IS NULL
            """, new { campaign = campaign.Serial, record = lease.RecordSerial, owner = lease.Owner, heldUntil, nowMs }, tx, cancellationToken: ct));
        if (held != 1) return lost;

        var candidate = (await LoadCandidatesAsync(connection, tx, campaign.Serial, [new CandidateKey(lease.RecordSerial, null)], ct)).Single();
        // Fresh DNC and caps: the record may have waited in a prepared batch while a number was blocked or called elsewhere.
        var callability = await EvaluateOneAsync(connection, tx, tenant, campaign, candidate.Record, candidate.Progress, now, ct);
        var key = new { campaign = campaign.Serial, record = lease.RecordSerial, owner = lease.Owner, heldUntil };
        if (callability is not { Callable: true, PhoneIndex: { } phone })
        {
            // A record closed while leased loses its queue row with the lease.
            await connection.ExecuteAsync(new CommandDefinition(candidate.Progress.State == RecordState.CLOSED
                ? $"DELETE FROM pick_queue WHERE {QueueRowOf("@campaign", "@record")} AND lease_owner = @owner AND due = @heldUntil"
                : $"""
                UPDATE pick_queue SET due = @next, lease_owner = NULL
                WHERE {QueueRowOf("@campaign", "@record")} AND lease_owner = @owner AND due = @heldUntil
                """, new { key.campaign, key.record, key.owner, key.heldUntil, next = EligibleMs(callability) }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new AttemptStart(AttemptStartStatus.NotCallable, null, -1, null, callability.Reason, null);
        }

        var number = candidate.Record.Phones[phone].E164!;
        var uid = Id32.New();
        var attempt = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO attempts (uid, tenant_id, campaign_id, record_id, phone_index, e164, started, result)
            VALUES (@uid, @tenant, @campaign, @record, @phone, @number, @nowMs, 'DIALING') RETURNING id
            """, new { uid, tenant, key.campaign, key.record, phone, number, nowMs }, tx, cancellationToken: ct));
        var until = now + leaseFor;
        var untilMs = until.ToUnixTimeMilliseconds();
        var updated = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE pick_queue SET attempt_id = @attempt, due = @untilMs
            WHERE {QueueRowOf("@campaign", "@record")} AND lease_owner = @owner AND due = @heldUntil AND attempt_id IS NULL
            """, new { attempt, untilMs, key.campaign, key.record, key.owner, key.heldUntil }, tx, cancellationToken: ct));
        if (updated != 1) return lost; // rolls back with the transaction
        await tx.CommitAsync(ct);
        return new AttemptStart(AttemptStartStatus.Started, uid, phone, number, NotCallableReason.None, lease with { Until = until });
    }

    private sealed class AttemptKeyRow
    {
        public long Id { get; set; }
        public string CampaignUid { get; set; } = "";
        public long CampaignId { get; set; }
        public long RecordId { get; set; }
        public long PhoneIndex { get; set; }
        public string Result { get; set; } = "";
        public string? Disposition { get; set; }
        public long? CurrentAttempt { get; set; }
    }

    public async Task<AttemptFinish> FinishAttemptAsync(
        long tenant, string attemptId, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Result is CallResult.DIALING or CallResult.MAXCALLS)
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, "not an attempt outcome");
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var a = await connection.QuerySingleOrDefaultAsync<AttemptKeyRow>(new CommandDefinition($"""
            SELECT a.id AS Id, c.uid AS CampaignUid, a.campaign_id AS CampaignId, a.record_id AS RecordId, a.phone_index AS PhoneIndex,
                   a.result AS Result, a.disposition AS Disposition, q.attempt_id AS CurrentAttempt
            FROM attempts a JOIN campaigns c ON c.id = a.campaign_id
            LEFT JOIN campaign_records cr ON cr.campaign_id = a.campaign_id AND cr.record_id = a.record_id
            LEFT JOIN pick_queue q ON {QueueOfProgress}
            WHERE a.tenant_id = @tenant AND a.uid = @attemptId
            """, new { tenant, attemptId }, tx, cancellationToken: ct));
        // In progress, or closed by the lease sweeper (0007) while its dialer stalled: a late finish still records what happened.
        if (a is null || !(a.Result == nameof(CallResult.DIALING)
            || (a.Result == nameof(CallResult.NOT_DIALED) && a.Disposition == LeaseExpiredDisposition)))
            return new AttemptFinish(AttemptFinishStatus.NotFound, null, null);

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE attempts SET ended = @nowMs, result = @result, answered = @answered, ring_seconds = @ring, talk_seconds = @talk,
                wrap_seconds = @wrap, agent_id = @agent, disposition = @disposition, amount = @amount, classifier = @classifier,
                agent_logout = @logout
            WHERE id = @Id
            """, new
        {
            nowMs,
            result = outcome.Result.ToString(),
            answered = ToMs(details?.Answered),
            ring = details?.RingSeconds ?? 0,
            talk = details?.TalkSeconds ?? 0,
            wrap = details?.WrapSeconds ?? 0,
            agent = details?.AgentId,
            disposition = details?.Disposition,
            amount = (double?)outcome.Amount,
            classifier = outcome.Classifier,
            logout = details?.AgentLogout == true ? 1 : 0,
            a.Id,
        }, tx, cancellationToken: ct));
        if (a.CurrentAttempt != a.Id)
        {
            // The lease expired and the record moved on; its progress is no longer this attempt's to change.
            await tx.CommitAsync(ct);
            return new AttemptFinish(AttemptFinishStatus.LeaseLost, null, null);
        }

        var campaign = (await LoadDialingCampaignAsync(connection, tx, tenant, a.CampaignUid, ct))!;
        var candidate = (await LoadCandidatesAsync(connection, tx, a.CampaignId, [new CandidateKey(a.RecordId, null)], ct)).Single();
        var applied = ResultRules.Apply(campaign.Campaign, candidate.Record, candidate.Progress, outcome with { PhoneIndex = (int)a.PhoneIndex }, now);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE records SET phones = @phones, modified = @nowMs WHERE id = @RecordId",
            new { phones = RecordJson.Phones(applied.Record.Phones), nowMs, a.RecordId }, tx, cancellationToken: ct));

        var next = await EvaluateOneAsync(connection, tx, tenant, campaign, applied.Record, applied.Progress, now, ct);
        var p = applied.Progress;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_records SET state = @state, app_state = @appState, result = @result, call_result = @callResult,
                classifier = @Classifier, call_count = @CallCount, last_b_number = @LastBNumber, scheduled_at = @scheduled,
                agent_id = @AgentId, amount = @amount, script = @script, closed_at = @closed, modified = @nowMs,
                next_eligible_at = @next
            WHERE campaign_id = @CampaignId AND record_id = @RecordId
            """, new
        {
            state = p.State.ToString(),
            appState = p.ApplicationState.ToString(),
            result = p.Result?.ToString(),
            callResult = p.CallResult,
            p.Classifier,
            p.CallCount,
            p.LastBNumber,
            scheduled = ToMs(p.ScheduledAt),
            p.AgentId,
            amount = (double?)p.Amount,
            script = p.Script is null ? null : System.Text.Json.JsonSerializer.Serialize(p.Script, StoreJson),
            closed = ToMs(p.ClosedAt),
            nowMs,
            next = EligibleMs(next),
            a.CampaignId,
            a.RecordId,
        }, tx, cancellationToken: ct));
        // The progress update moved the queue row to its new key with the lease kept (trigger); the lease ends here, and
        // a closed record leaves the queue.
        await connection.ExecuteAsync(new CommandDefinition(p.State == RecordState.CLOSED
            ? $"DELETE FROM pick_queue WHERE {QueueRowOf("@CampaignId", "@RecordId")} AND attempt_id = @Id"
            : $"""
            UPDATE pick_queue SET due = @next, lease_owner = NULL, attempt_id = NULL
            WHERE {QueueRowOf("@CampaignId", "@RecordId")} AND attempt_id = @Id
            """, new { next = EligibleMs(next), a.CampaignId, a.RecordId, a.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AttemptFinish(AttemptFinishStatus.Applied, p, next.NextEligibleAt);
    }
}
