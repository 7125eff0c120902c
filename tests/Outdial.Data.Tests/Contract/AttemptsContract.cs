using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Starts and finishes (IStartTransaction, IFinishTransaction): an attempt only under a lease still held, at most
/// one at a time, progress written only while the attempt holds the lease; record handles that lead to one record only.</summary>
public abstract class AttemptsContract<TFixture> : DialingContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task An_attempt_starts_only_under_the_lease_as_held_and_only_once()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer"));
        await using (var tx = await Store.BeginStartAsync(TenantA, Ct))
        {
            Assert.Null(await tx.ReadLeasedAsync(lease with { Owner = "intruder" }, Now, Ct));
            Assert.Null(await tx.ReadLeasedAsync(lease with { Until = lease.Until.AddSeconds(1) }, Now, Ct));
            Assert.Null(await tx.StartAttemptAsync(lease with { Owner = "intruder" }, 0, Number(0), Now + LeaseFor, Now, Ct));
            var held = (await tx.ReadLeasedAsync(lease, Now, Ct))!;
            Assert.Equal((o.Id, o.Serial, campaign.Id, 0), (held.Record.Id, held.Record.Number, held.Progress.CampaignId, held.Progress.CallCount));
            Assert.NotNull(await tx.StartAttemptAsync(lease, 0, Number(0), Now.AddMinutes(30), Now, Ct));
        } // not committed: nothing started
        Assert.Empty(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct));

        var attempt = await StartAsync(lease, TimeSpan.FromMinutes(30));
        Assert.NotNull(attempt);
        var stored = Assert.Single(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct));
        Assert.Equal((attempt, CallResult.DIALING, Number(0), 0, campaign.Id), (stored.Id, stored.Result, stored.NumberDialed, stored.PhoneIndex, stored.CampaignId));
        // One attempt at a time: the lease now holds it, under the old expiry or the extended one.
        Assert.Null(await StartAsync(lease));
        Assert.Null(await StartAsync(lease with { Until = Now.AddMinutes(30) }));
        await using (var tx = await Store.BeginStartAsync(TenantA, Ct))
        {
            Assert.Null(await tx.ReadLeasedAsync(lease with { Until = Now.AddMinutes(30) }, Now, Ct));
            Assert.False(await tx.ReleaseAsync(lease, null, Ct));
        }
        Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(await DueAsync(campaign)); // the extended lease covers the call
        Assert.Single(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct));
    }

    [Fact]
    public async Task A_start_fails_once_the_lease_expired_or_was_taken_by_another_dialer()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var first = Assert.Single(await LeaseAsync(campaign, "first"));
        Time.Advance(LeaseFor);
        await using (var tx = await Store.BeginStartAsync(TenantA, Ct))
            Assert.Null(await tx.ReadLeasedAsync(first, Now, Ct));
        Assert.Null(await StartAsync(first)); // expired

        var second = Assert.Single(await LeaseAsync(campaign, "second"));
        Assert.Null(await StartAsync(first)); // taken
        Assert.NotNull(await StartAsync(second));
        Assert.Single(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct));
    }

    [Fact]
    public async Task Release_makes_the_record_due_at_its_next_time_and_drop_takes_it_out_of_the_pick_order()
    {
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        var leases = await LeaseAsync(campaign, "dialer");
        await using (var tx = await Store.BeginStartAsync(TenantA, Ct))
        {
            Assert.True(await tx.ReleaseAsync(leases[0], Now.AddMinutes(1), Ct));
            Assert.True(await tx.DropLeasedAsync(leases[1], Ct));
            Assert.False(await tx.ReleaseAsync(leases[1], null, Ct));
            await tx.CommitAsync(Ct);
        }
        Assert.Empty(await DueAsync(campaign));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([serials[0]], (await DueAsync(campaign)).Select(c => c.Record.Number));
        Time.Advance(TimeSpan.FromDays(3650));
        Assert.Equal([serials[0]], (await DueAsync(campaign)).Select(c => c.Record.Number));
    }

    [Fact]
    public async Task A_finish_writes_the_attempt_and_while_it_holds_the_lease_the_progress_and_the_next_due_time()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var attempt = (await StartAsync(Assert.Single(await LeaseAsync(campaign, "dialer"))))!;
        await using (var tx = await Store.BeginFinishAsync(TenantA, Ct))
        {
            var read = (await tx.ReadAttemptAsync(attempt, Ct))!;
            Assert.Equal((campaign.Id, o.Serial, 0, CallResult.DIALING, true), (read.CampaignId, read.RecordSerial, read.PhoneIndex, read.Result, read.HoldsLease));
            Assert.Null(await tx.ReadAttemptAsync(Id32.New(), Ct));
        }
        Assert.True(await FinishAsync(attempt, CallResult.NOANSWER, Now.AddHours(1)));

        var stored = Assert.Single(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct));
        Assert.Equal((CallResult.NOANSWER, Now), (stored.Result, stored.Ended));
        Assert.Equal((CallResult.NOANSWER, 1, RecordState.OPEN), ((await ProgressAsync(o.Id!)).Result, (await ProgressAsync(o.Id!)).CallCount, (await ProgressAsync(o.Id!)).State));
        Assert.Empty(await DueAsync(campaign)); // the lease ended; due at the next time given
        await using (var tx = await Store.BeginFinishAsync(TenantA, Ct))
            Assert.False((await tx.ReadAttemptAsync(attempt, Ct))!.HoldsLease);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([o.Serial], (await DueAsync(campaign)).Select(c => c.Record.Number));

        // Closed: out of the pick order for good.
        var closing = (await StartAsync(Assert.Single(await LeaseAsync(campaign, "dialer"))))!;
        Assert.True(await FinishAsync(closing, CallResult.SUCCESS, null, close: true));
        Assert.Equal((RecordState.CLOSED, Now), ((await ProgressAsync(o.Id!)).State, (await ProgressAsync(o.Id!)).ClosedAt));
        Time.Advance(TimeSpan.FromDays(3650));
        Assert.Empty(await DueAsync(campaign));
    }

    [Fact]
    public async Task A_finish_after_the_lease_expired_and_was_taken_writes_the_attempt_only()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var stalled = (await StartAsync(Assert.Single(await LeaseAsync(campaign, "stalled"))))!;
        Time.Advance(LeaseFor); // the call's lease ran out: the record is due again
        var next = Assert.Single(await LeaseAsync(campaign, "next"));

        await using (var tx = await Store.BeginFinishAsync(TenantA, Ct))
        {
            var read = (await tx.ReadAttemptAsync(stalled, Ct))!;
            Assert.False(read.HoldsLease);
            await tx.WriteAttemptEndAsync(read, new AttemptOutcome(CallResult.SUCCESS, 0), null, Now, Ct);
            var current = await tx.ReadRecordAsync(read, Ct);
            Assert.False(await tx.WriteProgressAsync(read, current.Record, current.Progress with { State = RecordState.CLOSED, ClosedAt = Now }, null, Now, Ct));
            await tx.CommitAsync(Ct);
        }
        Assert.Equal(CallResult.SUCCESS, (await Store.GetAttemptsAsync(TenantA, o.Id!, Ct)).Single(a => a.Id == stalled).Result);
        Assert.Equal((RecordState.OPEN, 0), ((await ProgressAsync(o.Id!)).State, (await ProgressAsync(o.Id!)).CallCount));
        Assert.NotNull(await StartAsync(next)); // the new lease is untouched
    }

    [Fact]
    public async Task A_record_handle_leads_to_its_record_only_even_after_the_record_is_deleted()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer"));
        Assert.True(lease.RecordSerial > 0);
        Assert.Equal(o.Serial, lease.RecordSerial);
        Assert.True(await Store.UpdateRecordAsync(TenantA, o.Id!, Draft("x", 1, priority: 3), Ct));
        Assert.Equal(o.Serial, (await Store.GetRecordAsync(TenantA, o.Id!, Ct))!.Record.Number);

        Assert.True(await Store.DeleteRecordAsync(TenantA, o.Id!, Ct));
        var newer = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("y", 2)))[0];
        Assert.NotEqual(o.Serial, newer.Serial);
        await using (var tx = await Store.BeginStartAsync(TenantA, Ct))
            Assert.Null(await tx.ReadLeasedAsync(lease, Now, Ct));
        Assert.Null(await StartAsync(lease));
        Assert.Equal([newer.Serial], (await DueAsync(campaign)).Select(c => c.Record.Number));
    }

    [Fact]
    public async Task Another_tenant_can_neither_start_nor_finish_an_attempt()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0)))[0];
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer"));
        await using (var tx = await Store.BeginStartAsync(TenantB, Ct))
        {
            Assert.Null(await tx.ReadLeasedAsync(lease, Now, Ct));
            Assert.Null(await tx.StartAttemptAsync(lease, 0, Number(0), Now + LeaseFor, Now, Ct));
            await tx.CommitAsync(Ct);
        }
        var attempt = (await StartAsync(lease))!;
        await using (var tx = await Store.BeginFinishAsync(TenantB, Ct))
            Assert.Null(await tx.ReadAttemptAsync(attempt, Ct));
        Assert.Equal(CallResult.DIALING, Assert.Single(await Store.GetAttemptsAsync(TenantA, o.Id!, Ct)).Result);
    }
}
