using Microsoft.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<IClaimTransaction> BeginClaimAsync(long tenant, CancellationToken ct) => await Dialing.BeginTransactionAsync(tenant, ct);

    public async Task<IStartTransaction> BeginStartAsync(long tenant, CancellationToken ct) => await Dialing.BeginTransactionAsync(tenant, ct);

    public async Task<IFinishTransaction> BeginFinishAsync(long tenant, CancellationToken ct) => await Dialing.BeginTransactionAsync(tenant, ct);

    private sealed partial class DialingConnection
    {
        /// <summary>
        /// One claim, start or finish: a BEGIN IMMEDIATE transaction on the dialing connection, holding its gate until
        /// disposed. SQLite's single writer makes every read in it current until the commit, so a condition checked by a
        /// read (a lease held, an attempt holding its lease) still holds at the writes that follow it.
        /// </summary>
        internal sealed class Transaction(DialingConnection c, long tenant, SqliteTransaction tx)
            : IClaimTransaction, IStartTransaction, IFinishTransaction
        {
            private (string Uid, long Serial)? _campaign;
            private RecordLease? _held; // checked held in this transaction
            private AttemptOnRecord? _attempt; // read in this transaction
            private long _attemptSerial;
            private Exception? _failure;
            private bool _disposed;

            public async Task<Campaign?> ReadCampaignAsync(string campaignId, CancellationToken ct)
            {
                try
                {
                    if (await c.CampaignSerialAsync(tenant, campaignId, ct) is not { } serial) return null;
                    _campaign = (campaignId, serial);
                    return await c.CampaignRowAsync(serial, ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<NumberFacts> ReadNumberFactsAsync(
                string campaignId, IReadOnlyCollection<string> numbers, DateTimeOffset? attemptsSince, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    return await c.NumberFactsAsync(tenant, await SerialAsync(campaignId, ct), numbers, attemptsSince, now.ToUnixTimeMilliseconds(), ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<IReadOnlyList<PickGroup>> ReadPickGroupsAsync(string campaignId, bool callbacksOnly, CancellationToken ct)
            {
                try
                {
                    return await c.GroupsAsync(await SerialAsync(campaignId, ct), callbacksOnly ? 0 : 1, ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<IReadOnlyList<PickCandidate>> ReadDueAsync(
                string campaignId, PickGroup group, int limit, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    return await c.CandidatesAsync(await SerialAsync(campaignId, ct), campaignId, group, limit, now.ToUnixTimeMilliseconds(), ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public Task<bool> LeaseAsync(string campaignId, PickCandidate candidate, string owner, DateTimeOffset until, CancellationToken ct) =>
                WriteQueuedAsync(campaignId, candidate, c._lease, ct, ("$owner", owner), ("$until", until.ToUnixTimeMilliseconds()));

            public Task<bool> DeferAsync(string campaignId, PickCandidate candidate, DateTimeOffset? next, CancellationToken ct) =>
                WriteQueuedAsync(campaignId, candidate, c._defer, ct, ("$next", ToMs(next) ?? NeverMs));

            public async Task<bool> DropAsync(string campaignId, PickCandidate candidate, CancellationToken ct)
            {
                try
                {
                    // Its expired lease may still hold the attempt of a dialer that was gone: closed, not left DIALING.
                    await WriteQueuedAsync(campaignId, candidate, c._closeOrphan, ct);
                    return await WriteQueuedAsync(campaignId, candidate, c._drop, ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            /// <summary>A write of the queue row as the claim read it (due &lt;= now: free, or its lease has expired).</summary>
            private async Task<bool> WriteQueuedAsync(
                string campaignId, PickCandidate candidate, SqliteCommand write, CancellationToken ct, params (string, object?)[] values)
            {
                try
                {
                    var p = candidate.Position;
                    Set(write, ("$campaign", await SerialAsync(campaignId, ct)), ("$record", candidate.Record.Number), ("$lane", Lane(p.Group)),
                        ("$priority", p.Group.Priority), ("$base", p.Base), ("$due", p.Due));
                    Set(write, values);
                    return await write.ExecuteNonQueryAsync(ct) == 1;
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<LeasedRecord?> ReadLeasedAsync(RecordLease lease, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    if (!await HeldAsync(lease, now, ct)) return null;
                    _held = lease;
                    return await c.RecordAsync(await SerialAsync(lease.CampaignId, ct), lease.RecordSerial, ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<string?> StartAttemptAsync(
                RecordLease lease, int phoneIndex, string number, DateTimeOffset until, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    if (_held != lease && !await HeldAsync(lease, now, ct)) return null;
                    var campaign = await SerialAsync(lease.CampaignId, ct);
                    var uid = Id32.New();
                    Set(c._startInsert, ("$uid", uid), ("$tenant", tenant), ("$campaign", campaign), ("$record", lease.RecordSerial),
                        ("$phone", (long)phoneIndex), ("$number", number), ("$now", now.ToUnixTimeMilliseconds()));
                    var attempt = (long)(await c._startInsert.ExecuteScalarAsync(ct))!;
                    Set(c._startLease, LeaseKey(campaign, lease));
                    Set(c._startLease, ("$attempt", attempt), ("$until", until.ToUnixTimeMilliseconds()));
                    // Held, as checked in this transaction: nothing else writes until it ends.
                    if (await c._startLease.ExecuteNonQueryAsync(ct) != 1) throw new InvalidOperationException("The lease checked held was not.");
                    _held = null;
                    return uid;
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public Task<bool> ReleaseAsync(RecordLease lease, DateTimeOffset? next, CancellationToken ct) =>
                EndLeaseAsync(lease, c._startDefer, ct, ("$next", ToMs(next) ?? NeverMs));

            public Task<bool> DropLeasedAsync(RecordLease lease, CancellationToken ct) => EndLeaseAsync(lease, c._startDrop, ct);

            private async Task<bool> EndLeaseAsync(RecordLease lease, SqliteCommand write, CancellationToken ct, params (string, object?)[] values)
            {
                try
                {
                    Set(write, LeaseKey(await SerialAsync(lease.CampaignId, ct), lease));
                    Set(write, values);
                    _held = null;
                    return await write.ExecuteNonQueryAsync(ct) == 1;
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            private async Task<bool> HeldAsync(RecordLease lease, DateTimeOffset now, CancellationToken ct)
            {
                if (await CampaignSerialOrNullAsync(lease.CampaignId, ct) is not { } campaign) return false;
                Set(c._startHeld, LeaseKey(campaign, lease));
                Set(c._startHeld, ("$now", now.ToUnixTimeMilliseconds()));
                return (long)(await c._startHeld.ExecuteScalarAsync(ct))! == 1;
            }

            private static (string, object?)[] LeaseKey(long campaign, RecordLease lease) =>
                [("$campaign", campaign), ("$record", lease.RecordSerial), ("$owner", lease.Owner), ("$held", lease.Until.ToUnixTimeMilliseconds())];

            public async Task<AttemptOnRecord?> ReadAttemptAsync(string attemptId, CancellationToken ct)
            {
                try
                {
                    Set(c._finishKey, ("$tenant", tenant), ("$uid", attemptId));
                    if (await SingleAsync<AttemptKeyRow>(c._finishKey, ct) is not { } a) return null;
                    _campaign = (a.CampaignUid, a.CampaignId);
                    _attemptSerial = a.Id;
                    return _attempt = new AttemptOnRecord(attemptId, a.CampaignUid, a.RecordId, (int)a.PhoneIndex,
                        Enum.Parse<CallResult>(a.Result), a.Disposition, a.CurrentAttempt == a.Id);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task WriteAttemptEndAsync(AttemptOnRecord attempt, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    Set(c._finishAttempt,
                        ("$now", now.ToUnixTimeMilliseconds()),
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
                        ("$attempt", Read(attempt)));
                    await c._finishAttempt.ExecuteNonQueryAsync(ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<LeasedRecord> ReadRecordAsync(AttemptOnRecord attempt, CancellationToken ct)
            {
                try
                {
                    Read(attempt);
                    return await c.RecordAsync(_campaign!.Value.Serial, attempt.RecordSerial, ct);
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            public async Task<bool> WriteProgressAsync(
                AttemptOnRecord attempt, CallRecord record, RecordProgress progress, DateTimeOffset? next, DateTimeOffset now, CancellationToken ct)
            {
                try
                {
                    var id = Read(attempt);
                    // Holding its lease as read in this transaction: nothing else writes until it ends.
                    if (!attempt.HoldsLease) return false;
                    var nowMs = now.ToUnixTimeMilliseconds();
                    var campaign = _campaign!.Value.Serial;
                    Set(c._finishPhones, ("$phones", RecordJson.Phones(record.Phones)), ("$now", nowMs), ("$record", attempt.RecordSerial));
                    await c._finishPhones.ExecuteNonQueryAsync(ct);
                    var nextMs = ToMs(next) ?? NeverMs;
                    var p = progress;
                    Set(c._finishProgress,
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
                        ("$next", nextMs),
                        ("$campaign", campaign),
                        ("$record", attempt.RecordSerial));
                    await c._finishProgress.ExecuteNonQueryAsync(ct);
                    // The progress update moved the queue row to its new key with the lease kept (trigger); the lease ends
                    // here, and a closed record leaves the queue.
                    var end = p.State == RecordState.CLOSED ? c._finishDrop : c._finishEnd;
                    Set(end, ("$campaign", campaign), ("$record", attempt.RecordSerial), ("$attempt", id));
                    if (end == c._finishEnd) Set(end, ("$next", nextMs));
                    await end.ExecuteNonQueryAsync(ct);
                    return true;
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            /// <summary>The serial of an attempt read in this transaction (the conditions it was read with still hold).</summary>
            private long Read(AttemptOnRecord attempt) =>
                ReferenceEquals(attempt, _attempt) ? _attemptSerial
                    : throw new InvalidOperationException("The attempt was not read in this transaction.");

            public Task CommitAsync(CancellationToken ct)
            {
                try
                {
                    tx.Commit();
                    return Task.CompletedTask;
                }
                catch (Exception e) when (Failed(e)) { throw; }
            }

            private async Task<long> SerialAsync(string campaignId, CancellationToken ct) =>
                await CampaignSerialOrNullAsync(campaignId, ct) ?? throw new InvalidOperationException($"No campaign {campaignId} in the tenant.");

            private async Task<long?> CampaignSerialOrNullAsync(string campaignId, CancellationToken ct)
            {
                if (_campaign is { } known && known.Uid == campaignId) return known.Serial;
                if (await c.CampaignSerialAsync(tenant, campaignId, ct) is not { } serial) return null;
                _campaign = (campaignId, serial);
                return serial;
            }

            /// <summary>Notes the first failure for the disposal (an exception filter: the exception goes on as thrown).</summary>
            private bool Failed(Exception e)
            {
                _failure ??= e;
                return false;
            }

            /// <summary>Rolls back what was not committed, discards the connection when the failure may have broken it, and
            /// leaves the gate.</summary>
            public ValueTask DisposeAsync()
            {
                if (_disposed) return ValueTask.CompletedTask;
                _disposed = true;
                try
                {
                    try
                    {
                        tx.Dispose();
                    }
                    catch (Exception e)
                    {
                        c.DiscardUnlessReusable(e);
                        throw;
                    }
                    if (_failure is not null) c.DiscardUnlessReusable(_failure);
                }
                finally
                {
                    c._gate.Release();
                }
                return ValueTask.CompletedTask;
            }
        }
    }
}
