using Outdial.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>
/// Pending re-evaluations (migration 0008): a change that may make waiting records callable sooner records a marker with
/// itself; the reset of the queue rows runs later, in steps, survives a crash, and is narrowed to what the change concerns.
/// </summary>
public sealed class ReevaluationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Claims, dials and finishes every callable record BUSY: with RetryCount 0 each is done (MAXCALLS, parked as never).</summary>
    private static async Task CallAllOnceAsync(DialingDb db, CallResult result = CallResult.BUSY)
    {
        foreach (var c in await db.ClaimAsync(1000))
        {
            var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
            Assert.Equal(AttemptStartStatus.Started, start.Status);
            await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(result, 0), null, db.Now, Ct);
        }
    }

    private static long Due(DialingDb db, long serial) => db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", serial));

    [Fact]
    public async Task A_crash_after_the_campaign_update_commits_leaves_the_reevaluation_pending_and_a_restarted_store_resumes_it()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { RetryCount = 0 });
        var s = await db.AddRecordsAsync(3);
        await CallAllOnceAsync(db);
        Assert.All(s, r => Assert.Equal(long.MaxValue, Due(db, r))); // MAXCALLS: parked as never callable
        Assert.Empty(await db.ClaimAsync(3));

        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { RetryCount = 3 }, Ct));
        // The update answered without resetting anything: its re-evaluation is recorded, for the background worker.
        Assert.All(s, r => Assert.Equal(long.MaxValue, Due(db, r)));
        var pending = await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct);
        Assert.Equal((db.Now, 1), (pending!.Since, pending.Changes));

        // The process dies before the worker ran. A new store on the file (the restarted server) finds and finishes it.
        await db.Store.DisposeAsync();
        await using var restarted = new SqliteStore(db.Store.DatabasePath, db.Time);
        await restarted.MigrateAsync(Ct);
        Assert.NotNull(await restarted.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal(3, await restarted.RunPendingReevaluationsAsync(Ct));
        Assert.Null(await restarted.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_reevaluations"));

        db.Time.Advance(TimeSpan.FromMinutes(6)); // past the BUSY retry delay
        var claimed = await restarted.ClaimCallableAsync(db.Tenant, db.Campaign.Id, 10, "dialer-1", TimeSpan.FromMinutes(5), db.Now, Ct);
        Assert.Equal(s, claimed.Select(c => c.Record.Number).Order());
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task The_reset_runs_in_bounded_steps_keeps_its_place_across_a_restart_and_claims_in_between_stay_right()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { RetryCount = 0 });
        var s = await db.AddRecordsAsync(23, k => k % 2);
        await CallAllOnceAsync(db);
        Assert.Equal(23, db.Scalar("SELECT count(*) FROM pick_queue WHERE due = $never", ("$never", long.MaxValue)));
        db.Time.Advance(TimeSpan.FromMinutes(6));

        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign = campaign with { RetryCount = 1 }, Ct));
        // Two more changes while it has not started: covered by the first marker; a rename needs none.
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign = campaign with { RetryCount = 2, Name = "renamed" }, Ct));
        Assert.Equal(1, (await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct))!.Changes);

        db.Store.ReevaluationStep = 4;
        Assert.Equal(8, await db.Store.RunPendingReevaluationsAsync(maxSteps: 2, Ct)); // 4 rows per transaction
        Assert.Equal(15, db.Scalar("SELECT count(*) FROM pick_queue WHERE due = $never", ("$never", long.MaxValue)));
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_reevaluations WHERE lane IS NOT NULL")); // its place, kept

        // A claim meanwhile takes what was reset, evaluated with the new RetryCount; the rest waits for the worker, not dialed
        // any sooner than the rules allow.
        var early = await db.ClaimAsync(100);
        Assert.Equal(8, early.Count);
        db.AssertDerivedConsistent();

        // Stopped half-way (a crash): a new store on the file continues from the marker's place, not from the start.
        await db.Store.DisposeAsync();
        await using var restarted = new SqliteStore(db.Store.DatabasePath, db.Time) { ReevaluationStep = 4 };
        Assert.Equal(15, await restarted.RunPendingReevaluationsAsync(Ct));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        var rest = await restarted.ClaimCallableAsync(db.Tenant, db.Campaign.Id, 100, "dialer-1", TimeSpan.FromMinutes(5), db.Now, Ct);
        Assert.Equal(s.Order(), early.Concat(rest).Select(c => c.Record.Number).Order());
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_marker_whose_campaign_is_deleted_goes_with_it()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(2);
        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { MaxAttemptsPerDay = 4 }, Ct));
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.True(await db.Store.DeleteCampaignAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.Equal(0, await db.Store.RunPendingReevaluationsAsync(Ct));
    }

    [Fact]
    public async Task Removing_a_do_not_call_entry_reevaluates_only_the_records_that_have_the_number()
    {
        await using var db = await DialingDb.CreateAsync();
        var s = await db.AddRecordsAsync(4);
        var entries = new[] { 0, 1 }.Select(k => new DncEntry(Id32.New(), DialingDb.Number(k), null, "asked", "test", db.Now, null)).ToList();
        await db.Store.AddDncAsync(db.Tenant, entries, Ct);
        var c = (await db.ClaimAsync(1))[0]; // records 0 and 1 parked as never; record 2 leased; record 3 not evaluated yet
        Assert.Equal(s[2], c.Record.Number);
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, 0), null, db.Now, Ct);
        var retry = Due(db, s[2]);
        Assert.True(retry > db.Now.ToUnixTimeMilliseconds());
        Assert.Equal((long.MaxValue, long.MaxValue), (Due(db, s[0]), Due(db, s[1])));

        Assert.True(await db.Store.DeleteDncAsync(db.Tenant, entries[0].Id, Ct));
        Assert.Equal([SqliteStore.ReasonDncRemoved], (await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct))!.Reasons);
        Assert.Equal(1, await db.Store.RunPendingReevaluationsAsync(Ct));
        Assert.Equal((0L, long.MaxValue, retry), (Due(db, s[0]), Due(db, s[1]), Due(db, s[2])));
        Assert.Equal([s[0], s[3]], (await db.ClaimAsync(10)).Select(r => r.Record.Number).Order());
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_bulk_do_not_call_change_records_one_marker_for_all_its_numbers_walked_once_and_their_records_come_back()
    {
        await using var db = await DialingDb.CreateAsync();
        const int count = 1000;
        var s = await db.AddRecordsAsync(count + 5);
        var entries = Enumerable.Range(0, count).Select(k => new DncEntry(Id32.New(), DialingDb.Number(k), null, "asked", "test", db.Now, null)).ToList();
        await db.Store.AddDncAsync(db.Tenant, entries, Ct);
        Assert.Equal(s[count..], (await db.ClaimAsync(count + 5)).Select(c => c.Record.Number).Order()); // the rest parked as never
        Assert.Equal(count, db.Scalar("SELECT count(*) FROM pick_queue WHERE due = $never", ("$never", long.MaxValue)));

        // One bulk import shortens all 1,000 blocks (as the DNC import endpoint sends them, one batch).
        var until = db.Now.AddMinutes(1);
        await db.Store.AddDncAsync(db.Tenant, entries.ConvertAll(e => e with { Id = Id32.New(), Expires = until }), Ct);
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_reevaluations")); // not one per number
        Assert.Equal(count, db.Scalar("SELECT numbers FROM pick_reevaluations"));
        Assert.Equal(count, db.Scalar("SELECT count(*) FROM pick_reevaluation_numbers"));
        Assert.Equal([SqliteStore.ReasonDncShortened], (await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct))!.Reasons);

        // One step walks the waiting rows once for all the numbers (one marker per number took one walk, and a step, each).
        Assert.Equal(count, await db.Store.RunPendingReevaluationsAsync(maxSteps: 1, Ct));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_reevaluation_numbers"));
        Assert.Equal(count, db.Scalar("SELECT count(*) FROM pick_queue WHERE due = 0"));

        // Evaluated again at their next pick: blocked for one more minute, then callable.
        Assert.Empty(await db.ClaimAsync(count));
        db.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(s[..count], (await db.ClaimAsync(count, "dialer-2")).Select(c => c.Record.Number).Order());
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task Do_not_call_changes_before_the_walk_starts_join_its_marker_and_a_full_reevaluation_covers_them()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(3);
        var entries = Enumerable.Range(0, 3).Select(k => new DncEntry(Id32.New(), DialingDb.Number(k), null, "asked", "test", db.Now, null)).ToList();
        await db.Store.AddDncAsync(db.Tenant, entries, Ct);
        // Two batches of one import and a second import: one marker (not started) with every number once.
        var until = db.Now.AddMinutes(1);
        await db.Store.AddDncAsync(db.Tenant, entries[..2].ConvertAll(e => e with { Id = Id32.New(), Expires = until }), Ct);
        await db.Store.AddDncAsync(db.Tenant, entries[1..].ConvertAll(e => e with { Id = Id32.New(), Expires = until }), Ct);
        Assert.Equal((1L, 3L), (db.Scalar("SELECT count(*) FROM pick_reevaluations"), db.Scalar("SELECT numbers FROM pick_reevaluations")));
        // Deletes are another reason (reported apart): their own marker, shared by both.
        Assert.True(await db.Store.DeleteDncAsync(db.Tenant, entries[0].Id, Ct));
        Assert.True(await db.Store.DeleteDncAsync(db.Tenant, entries[1].Id, Ct));
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.Equal(5, db.Scalar("SELECT count(*) FROM pick_reevaluation_numbers"));

        // Once a full re-evaluation is pending, a number's change needs no marker of its own.
        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { MaxAttemptsPerDay = (campaign.MaxAttemptsPerDay ?? 3) + 1 }, Ct));
        Assert.Equal(3, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.True(await db.Store.DeleteDncAsync(db.Tenant, entries[2].Id, Ct));
        Assert.Equal(3, db.Scalar("SELECT count(*) FROM pick_reevaluations"));
        Assert.Equal(5, db.Scalar("SELECT count(*) FROM pick_reevaluation_numbers"));
    }
}
