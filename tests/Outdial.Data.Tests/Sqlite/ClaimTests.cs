using System.Collections.Concurrent;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

public sealed class ClaimTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_record()
    {
        await using var db = await DialingDb.CreateAsync();
        var serials = await db.AddRecordsAsync(600);
        var seen = new ConcurrentBag<long>();

        var claimers = Enumerable.Range(0, 12).Select(k => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await db.ClaimAsync(1 + k % 5, owner: $"dialer-{k}");
                if (batch.Count == 0) return;
                foreach (var c in batch) seen.Add(c.Record.Number);
            }
        }));
        await Task.WhenAll(claimers);

        Assert.Equal(serials.Order(), seen.Order());
    }

    [Fact]
    public async Task A_leased_record_is_not_claimed_again_until_its_lease_expires()
    {
        await using var db = await DialingDb.CreateAsync();
        var serial = (await db.AddRecordsAsync(1))[0];

        var first = Assert.Single(await db.ClaimAsync(10, leaseFor: TimeSpan.FromMinutes(2)));
        Assert.Equal(serial, first.Record.Number);
        db.Time.Advance(TimeSpan.FromSeconds(119));
        Assert.Empty(await db.ClaimAsync(10, owner: "dialer-2"));

        db.Time.Advance(TimeSpan.FromSeconds(1)); // the dialer vanished: the lease ran out
        var again = Assert.Single(await db.ClaimAsync(10, owner: "dialer-2"));
        Assert.Equal(serial, again.Record.Number);
        Assert.Equal("dialer-2", again.Lease.Owner);

        // The first owner's lease is gone: it can neither release nor dial.
        Assert.False(await db.Store.ReleaseLeaseAsync(db.Tenant, first.Lease, Ct));
        var start = await db.Store.StartAttemptAsync(db.Tenant, first.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.LeaseLost, start.Status);
    }

    [Fact]
    public async Task A_renewed_lease_outlives_the_original_one()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1, leaseFor: TimeSpan.FromMinutes(2)));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(2), db.Now, Ct);

        db.Time.Advance(TimeSpan.FromMinutes(1));
        var renewed = await db.Store.RenewLeaseAsync(db.Tenant, start.Lease!, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.NotNull(renewed);
        Assert.Null(await db.Store.RenewLeaseAsync(db.Tenant, start.Lease!, TimeSpan.FromMinutes(10), db.Now, Ct)); // superseded

        db.Time.Advance(TimeSpan.FromMinutes(5)); // past the first lease, within the renewed one
        Assert.Empty(await db.ClaimAsync(1, owner: "dialer-2"));
        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.SUCCESS, 0), null, db.Now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
    }

    [Fact]
    public async Task A_released_record_is_a_candidate_again_at_once()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var claimed = Assert.Single(await db.ClaimAsync(1));
        Assert.True(await db.Store.ReleaseLeaseAsync(db.Tenant, claimed.Lease, Ct));
        Assert.Single(await db.ClaimAsync(1));
    }

    [Fact]
    public async Task Order_is_due_callbacks_then_priority_then_longest_waiting()
    {
        await using var db = await DialingDb.CreateAsync();
        var (callback, retry) = (await db.AddRecordsAsync(2)) switch { var s => (s[0], s[1]) };
        foreach (var c in await db.ClaimAsync(2))
        {
            var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
            var outcome = c.Record.Number == callback
                ? new AttemptOutcome(CallResult.HANGUP, 0) { CallbackAt = db.Now.AddMinutes(10) }
                : new AttemptOutcome(CallResult.NOANSWER, 0);
            var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct);
            Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
        }
        var fresh = await db.AddRecordsAsync(1, firstNumber: 10);
        var urgent = await db.AddRecordsAsync(1, _ => 5, firstNumber: 20);

        db.Time.Advance(TimeSpan.FromHours(2));
        var order = (await db.ClaimAsync(10)).Select(c => c.Record.Number).ToList();

        Assert.Equal([callback, urgent[0], fresh[0], retry], order);
    }

    [Fact]
    public async Task Records_not_yet_due_are_skipped_and_come_due_later()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.BUSY, 0), null, db.Now, Ct);
        Assert.Equal(db.Now.AddSeconds(300), finish.NextEligibleAt);

        db.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Empty(await db.ClaimAsync(1));
        db.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await db.ClaimAsync(1));
    }

    [Fact]
    public async Task A_number_added_to_DNC_after_the_claim_is_refused_at_start()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var claimed = Assert.Single(await db.ClaimAsync(1));

        await db.Store.AddDncAsync(db.Tenant, [new DncEntry(Id32.New(), DialingDb.Number(0), null, "asked", "test", db.Now, null)], Ct);
        var start = await db.Store.StartAttemptAsync(db.Tenant, claimed.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);

        Assert.Equal(AttemptStartStatus.NotCallable, start.Status);
        Assert.Equal(NotCallableReason.DoNotCall, start.Reason);
        Assert.Null(start.AttemptId);
        Assert.Empty(await db.Store.GetAttemptsAsync(db.Tenant, claimed.Record.Id, Ct));
        db.Time.Advance(TimeSpan.FromDays(30));
        Assert.Empty(await db.ClaimAsync(1));
    }

    [Fact]
    public async Task MAXCALLS_after_RetryCount_plus_one_busy_or_noanswer_and_callable_again_when_RetryCount_is_raised()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { RetryCount = 1 });
        await db.AddRecordsAsync(1);
        CallResult[] results = [CallResult.BUSY, CallResult.NOANSWER];
        AttemptFinish? finish = null;
        foreach (var result in results)
        {
            var c = Assert.Single(await db.ClaimAsync(1));
            var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
            Assert.Equal(AttemptStartStatus.Started, start.Status);
            finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(result, 0), null, db.Now, Ct);
            db.Time.Advance(TimeSpan.FromHours(2));
        }
        Assert.Equal(CallResult.MAXCALLS, finish!.Progress!.Result);
        Assert.Null(finish.NextEligibleAt);
        Assert.Empty(await db.ClaimAsync(1));

        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { RetryCount = 3 }, Ct));
        Assert.Equal(1, await db.Store.RunPendingReevaluationsAsync(Ct)); // what the server's background worker does

        var again = Assert.Single(await db.ClaimAsync(1));
        Assert.Equal(2, again.Progress.CallCount);
    }

    [Fact]
    public async Task A_passive_campaign_gives_nothing_and_leaves_its_records_untouched()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { Status = CampaignStatus.Passive });
        await db.AddRecordsAsync(3);
        Assert.Empty(await db.ClaimAsync(3));

        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { Status = CampaignStatus.Active }, Ct);
        Assert.Equal(3, (await db.ClaimAsync(3)).Count);
    }

    [Fact]
    public async Task Finishing_after_the_lease_was_lost_leaves_the_new_claim_alone()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        db.Time.Advance(TimeSpan.FromMinutes(11));
        var other = Assert.Single(await db.ClaimAsync(1, owner: "dialer-2"));

        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.SUCCESS, 0), null, db.Now, Ct);

        Assert.Equal(AttemptFinishStatus.LeaseLost, finish.Status);
        var next = await db.Store.StartAttemptAsync(db.Tenant, other.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, next.Status);
    }
}
