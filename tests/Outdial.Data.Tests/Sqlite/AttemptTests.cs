using System.Collections.Concurrent;
using Outdial.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

public sealed class AttemptTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Concurrent_dialers_never_start_two_attempts_on_one_record()
    {
        await using var db = await DialingDb.CreateAsync();
        var serials = await db.AddRecordsAsync(120);
        var attempts = new ConcurrentBag<(long Record, string Attempt)>();

        // Leases of an owner are also tried by another owner: only the holder may start.
        var dialers = Enumerable.Range(0, 8).Select(k => Task.Run(async () =>
        {
            while (await db.ClaimAsync(1 + k % 3, owner: $"dialer-{k}") is { Count: > 0 } batch)
            {
                foreach (var c in batch)
                {
                    var stolen = await db.Store.StartAttemptAsync(db.Tenant, c.Lease with { Owner = "intruder" }, TimeSpan.FromMinutes(10), db.Now, Ct);
                    Assert.Equal(AttemptStartStatus.LeaseLost, stolen.Status);
                    var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
                    Assert.Equal(AttemptStartStatus.Started, start.Status);
                    var again = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
                    Assert.Equal(AttemptStartStatus.LeaseLost, again.Status);
                    attempts.Add((c.Record.Number, start.AttemptId!));
                    var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, start.PhoneIndex), null, db.Now, Ct);
                    Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
                }
            }
        }));
        await Task.WhenAll(dialers);

        Assert.Equal(serials.Order(), attempts.Select(a => a.Record).Order());
        Assert.Equal(attempts.Count, attempts.Select(a => a.Attempt).Distinct().Count());
    }

    [Fact]
    public async Task An_attempt_whose_dialer_lost_the_lease_is_closed_as_not_dialed_when_the_record_is_claimed_again()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1, "crashed-dialer"));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);
        var leaseEnd = start.Lease!.Until;

        // The dialer crashes mid-call: nothing finishes the attempt. While the lease lasts it stays in progress.
        db.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await db.ClaimAsync(1, "dialer-2"));
        Assert.Equal(CallResult.DIALING, Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct)).Result);

        db.Time.Advance(TimeSpan.FromMinutes(6));
        var again = Assert.Single(await db.ClaimAsync(1, "dialer-2"));
        var orphan = Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct));
        Assert.Equal(CallResult.NOT_DIALED, orphan.Result);
        Assert.Equal(leaseEnd.ToUnixTimeMilliseconds(), orphan.Ended!.Value.ToUnixTimeMilliseconds());
        Assert.Contains("lease expired", orphan.Disposition, StringComparison.Ordinal);

        // The stalled dialer comes back and finishes: its result is recorded, the record's progress is the new lease's.
        Assert.Equal(AttemptFinishStatus.LeaseLost, (await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, 0), null, db.Now, Ct)).Status);
        Assert.Equal(CallResult.NOANSWER, Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct)).Result);

        // The next dialer's attempt runs and finishes normally.
        var second = await db.Store.StartAttemptAsync(db.Tenant, again.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, (await db.Store.FinishAttemptAsync(db.Tenant, second.AttemptId!, new AttemptOutcome(CallResult.BUSY, 0), null, db.Now, Ct)).Status);
        var attempts = await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct);
        Assert.Equal([CallResult.NOANSWER, CallResult.BUSY], attempts.Select(a => a.Result));
    }

    [Fact]
    public async Task An_attempt_whose_record_was_closed_by_an_edit_while_its_dialer_was_gone_is_closed_when_the_queue_row_is_dropped()
    {
        await using var db = await DialingDb.CreateAsync();
        var serial = (await db.AddRecordsAsync(1))[0];
        var c = Assert.Single(await db.ClaimAsync(1, "crashed-dialer"));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);

        // Edits move the queue row (priority) or keep it for the lease (closed): the attempt is carried along, still running.
        db.Sql("UPDATE records SET priority = 4 WHERE id = $r", ("$r", serial));
        db.Sql("UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED', result = 'SUCCESS' WHERE record_id = $r", ("$r", serial));
        db.AssertDerivedConsistent();
        Assert.Equal(CallResult.DIALING, Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct)).Result);

        // The dialer never comes back; past the lease the next claim drops the closed record's row instead of leasing it.
        db.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty(await db.ClaimAsync(1, "dialer-2"));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue"));
        var orphan = Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct));
        Assert.Equal(CallResult.NOT_DIALED, orphan.Result);
        Assert.Equal(SqliteStore.LeaseExpiredDisposition, orphan.Disposition);
        Assert.Equal(start.Lease!.Until.ToUnixTimeMilliseconds(), orphan.Ended!.Value.ToUnixTimeMilliseconds());

        // A stalled dialer finishing it late still records what happened, and leaves the closed record alone.
        Assert.Equal(AttemptFinishStatus.LeaseLost, (await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, 0), null, db.Now, Ct)).Status);
        Assert.Equal(CallResult.NOANSWER, Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct)).Result);
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task An_attempt_left_by_a_crashed_dialer_is_closed_when_its_list_is_detached_after_the_lease_expired()
    {
        await using var db = await DialingDb.CreateAsync();
        var list = await AttachSecondListAsync(db);
        var claimed = Assert.Single(await db.ClaimAsync(1, "crashed-dialer"));
        var start = await db.Store.StartAttemptAsync(db.Tenant, claimed.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);

        db.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await db.Store.DetachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct)); // the lease has expired: allowed
        var orphan = Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, claimed.Record.Id, Ct));
        Assert.Equal(CallResult.NOT_DIALED, orphan.Result);
        Assert.Equal(SqliteStore.LeaseExpiredDisposition, orphan.Disposition);
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_list_whose_record_is_in_a_call_cannot_be_detached_so_no_second_dialer_gets_it()
    {
        await using var db = await DialingDb.CreateAsync();
        var list = await AttachSecondListAsync(db);
        var claimed = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, claimed.Lease, TimeSpan.FromHours(1), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => db.Store.DetachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct));
        Assert.Contains("leased", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await db.ClaimAsync(1, owner: "dialer-2"));

        // Once the call ends the list detaches, and re-attaching it does not bring a second call while none is running.
        await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.BUSY, 0), null, db.Now, Ct);
        Assert.True(await db.Store.DetachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct));
    }

    [Fact]
    public async Task A_do_not_call_block_shortened_by_a_new_expiry_lets_the_record_come_back_when_it_ends()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        await db.Store.AddDncAsync(db.Tenant, [new DncEntry(Id32.New(), DialingDb.Number(0), null, "asked", "test", db.Now, null)], Ct);
        Assert.Empty(await db.ClaimAsync(1)); // blocked for good: parked as never callable

        await db.Store.AddDncAsync(db.Tenant, [new DncEntry(Id32.New(), DialingDb.Number(0), null, "asked", "test", db.Now, db.Now.AddHours(1))], Ct);
        Assert.Equal(1, await db.Store.RunPendingReevaluationsAsync(Ct)); // what the server's background worker does
        Assert.Empty(await db.ClaimAsync(1)); // still blocked for the hour
        db.Time.Advance(TimeSpan.FromHours(2));
        Assert.Single(await db.ClaimAsync(1));
    }

    [Fact]
    public async Task Finishing_twice_applies_once()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        var outcome = new AttemptOutcome(CallResult.BUSY, 0);

        Assert.Equal(AttemptFinishStatus.Applied, (await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct)).Status);
        Assert.Equal(AttemptFinishStatus.NotFound, (await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct)).Status);

        var stored = (await db.Store.GetRecordAsync(db.Tenant, c.Record.Id, Ct))!;
        Assert.Equal(1, Assert.Single(stored.Progress).CallCount);
        Assert.Equal(1, Assert.Single(stored.Record.Phones).Tries);
        var attempt = Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct));
        Assert.Equal(CallResult.BUSY, attempt.Result);
    }

    [Fact]
    public async Task Changing_a_blocked_record_number_makes_it_callable_again()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        await db.Store.AddDncAsync(db.Tenant, [new DncEntry(Id32.New(), DialingDb.Number(0), null, null, null, db.Now, null)], Ct);
        Assert.Empty(await db.ClaimAsync(1)); // evaluated: blocked for good, written back as never

        var record = (await db.Store.SearchRecordsAsync(db.Tenant, new RecordQuery { ListId = db.Campaign.DefaultListId }, Ct)).Items.Single().Record;
        var number = DialingDb.Number(99);
        Assert.True(await db.Store.UpdateRecordAsync(db.Tenant, record.Id,
            new RecordDraft { ExternalId = record.ExternalId, Phones = [new RecordPhone { Raw = number, E164 = number }] }, Ct));

        var claimed = Assert.Single(await db.ClaimAsync(1));
        Assert.Equal(number, claimed.Record.Phones[claimed.PhoneIndex].E164);
    }

    [Fact]
    public async Task Invalidation_resets_waiting_records_and_leaves_leased_ones_alone()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(3);
        var leased = (await db.ClaimAsync(1))[0];
        foreach (var c in await db.ClaimAsync(2))
        {
            var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
            await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, 0), null, db.Now, Ct);
        }

        Assert.Equal(2, await db.Store.InvalidateEligibilityAsync(db.Tenant, db.Campaign.Id, db.Now, Ct));

        // Re-evaluated at the next claim: still waiting for their retry, so nothing is callable and the lease holds.
        Assert.Empty(await db.ClaimAsync(3, owner: "dialer-2"));
        Assert.True(await db.Store.ReleaseLeaseAsync(db.Tenant, leased.Lease, Ct));
    }

    /// <summary>A second list with one record (number 7), attached to the campaign.</summary>
    private static async Task<CallingList> AttachSecondListAsync(DialingDb db)
    {
        var list = new CallingList(Id32.New(), "second list", null, db.Now);
        await db.Store.CreateCallingListAsync(db.Tenant, list, Ct);
        await using (var writer = (await db.Store.BeginRecordWriteAsync(db.Tenant, list.Id, DuplicatePolicy.reject, null, Ct))!)
        {
            var e164 = DialingDb.Number(7);
            Assert.Equal(RowStatus.Created, writer.Write(new RecordDraft { ExternalId = "L2", Phones = [new RecordPhone { Raw = e164, E164 = e164 }] }).Status);
            await writer.CommitAsync(Ct);
        }
        Assert.True(await db.Store.AttachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct));
        return list;
    }
}
