using System.Collections.Concurrent;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Claims (IClaimTransaction): the pick order, one lease per record until it expires, and writes conditional on
/// the record being where the claim read it.</summary>
public abstract class ClaimsContract<TFixture> : DialingContract<TFixture> where TFixture : StoreFixture, new()
{
    private async Task ReleaseAsync(RecordLease lease, DateTimeOffset? next)
    {
        await using var tx = await Store.BeginStartAsync(TenantA, Ct);
        Assert.True(await tx.ReleaseAsync(lease, next, Ct));
        await tx.CommitAsync(Ct);
    }

    [Fact]
    public async Task Due_records_come_callbacks_first_then_by_priority_then_never_evaluated_then_longest_waiting_then_by_handle()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject,
            Draft("a", 0), Draft("b", 1, priority: 5), Draft("c", 2), Draft("d", 3, priority: 5), Draft("e", 4, priority: 5));
        var (a, b, c, d, e) = (o[0].Serial, o[1].Serial, o[2].Serial, o[3].Serial, o[4].Serial);
        var leases = await LeaseAsync(campaign, "dialer");
        Assert.Equal([b, d, e, a, c], leases.Select(l => l.RecordSerial));

        // c becomes a callback due in a second; the others wait for different times, e for ever; f is new.
        var lease = leases.ToDictionary(l => l.RecordSerial);
        Assert.True(await FinishAsync((await StartAsync(lease[c]))!, CallResult.SUCCESS, Now.AddSeconds(1), state: ApplicationState.RECALL));
        await ReleaseAsync(lease[b], Now.AddSeconds(10));
        await ReleaseAsync(lease[d], Now.AddSeconds(5));
        await ReleaseAsync(lease[a], Now.AddSeconds(20));
        await ReleaseAsync(lease[e], null);
        var f = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("f", 5, priority: 5)))[0].Serial;
        Assert.Equal([f], (await DueAsync(campaign)).Select(x => x.Record.Number));

        Time.Advance(TimeSpan.FromSeconds(15));
        var due = await DueAsync(campaign);
        Assert.Equal([c, f, d, b], due.Select(x => x.Record.Number));
        Assert.Equal([new PickGroup(true, 0), new PickGroup(false, 5)], due.Select(x => x.Position.Group).Distinct());
        Assert.Equal([c], (await DueAsync(campaign, callbacksOnly: true)).Select(x => x.Record.Number));
        Time.Advance(TimeSpan.FromDays(365));
        Assert.Equal([c, f, d, b, a], (await DueAsync(campaign)).Select(x => x.Record.Number));
    }

    [Fact]
    public async Task A_leased_record_is_not_due_until_its_lease_expires_and_nothing_is_kept_without_a_commit()
    {
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        await using (var tx = await Store.BeginClaimAsync(TenantA, Ct))
        {
            var group = Assert.Single(await tx.ReadPickGroupsAsync(campaign.Id, false, Ct));
            Assert.True(await tx.LeaseAsync(campaign.Id, (await tx.ReadDueAsync(campaign.Id, group, 1, Now, Ct))[0], "rolled-back", Now + LeaseFor, Ct));
        } // disposed without a commit
        Assert.Equal(serials, (await DueAsync(campaign)).Select(c => c.Record.Number));

        var lease = Assert.Single(await LeaseAsync(campaign, "dialer", max: 1));
        Assert.Equal((serials[0], Now + LeaseFor), (lease.RecordSerial, lease.Until));
        Assert.Equal([serials[1]], (await DueAsync(campaign)).Select(c => c.Record.Number));
        Time.Advance(LeaseFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal([serials[1]], (await DueAsync(campaign)).Select(c => c.Record.Number));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(serials.Order(), (await DueAsync(campaign)).Select(c => c.Record.Number).Order());
    }

    [Fact]
    public async Task A_write_on_a_record_that_moved_since_the_claim_read_it_does_nothing()
    {
        var campaign = await CampaignAsync(TenantA);
        var o = await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 0), Draft("y", 1));
        var stale = await DueAsync(campaign); // read, then rolled back
        Assert.Single(await LeaseAsync(campaign, "other", max: 1)); // x leased meanwhile
        Assert.True(await Store.UpdateRecordAsync(TenantA, o[1].Id!, Draft("y", 1, priority: 9), Ct)); // y edited meanwhile

        await using (var tx = await Store.BeginClaimAsync(TenantA, Ct))
        {
            foreach (var c in stale)
            {
                Assert.False(await tx.LeaseAsync(campaign.Id, c, "late", Now + LeaseFor, Ct));
                Assert.False(await tx.DeferAsync(campaign.Id, c, Now.AddHours(1), Ct));
                Assert.False(await tx.DropAsync(campaign.Id, c, Ct));
            }
            await tx.CommitAsync(Ct);
        }
        var due = Assert.Single(await DueAsync(campaign));
        Assert.Equal((o[1].Serial, new PickGroup(false, 9)), (due.Record.Number, due.Position.Group));
        Assert.Equal(9, due.Record.Priority);
    }

    [Fact]
    public async Task Defer_and_drop_move_a_due_record_to_its_next_time_or_out_of_the_pick_order()
    {
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, 3);
        await using (var tx = await Store.BeginClaimAsync(TenantA, Ct))
        {
            var group = Assert.Single(await tx.ReadPickGroupsAsync(campaign.Id, false, Ct));
            var due = await tx.ReadDueAsync(campaign.Id, group, 10, Now, Ct);
            Assert.True(await tx.DeferAsync(campaign.Id, due[0], Now.AddMinutes(10), Ct));
            Assert.True(await tx.DeferAsync(campaign.Id, due[1], null, Ct));
            Assert.True(await tx.DropAsync(campaign.Id, due[2], Ct));
            await tx.CommitAsync(Ct);
        }
        Assert.Empty(await DueAsync(campaign));
        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([serials[0]], (await DueAsync(campaign)).Select(c => c.Record.Number));
        Time.Advance(TimeSpan.FromDays(3650));
        Assert.Equal([serials[0]], (await DueAsync(campaign)).Select(c => c.Record.Number));
    }

    [Fact]
    public async Task Claimers_on_stores_sharing_the_database_never_lease_one_record_twice()
    {
        const int records = 40;
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, records);
        var stores = new List<IStore>();
        for (var i = 0; i < 3; i++) stores.Add(await Fixture.OpenAsync(Time, Ct));
        var leased = new ConcurrentBag<RecordLease>();
        await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            while (await LeaseAsync(campaign, $"dialer-{i}", max: 1 + i, store) is { Count: > 0 } batch)
                foreach (var l in batch) leased.Add(l);
        })));
        Assert.Equal(serials.Order(), leased.Select(l => l.RecordSerial).Order());
        Assert.Empty(await DueAsync(campaign));
    }

    [Fact]
    public async Task Store_level_release_and_renewal_hold_only_for_the_lease_as_held()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 1);
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer"));
        Assert.False(await Store.ReleaseLeaseAsync(TenantA, lease with { Owner = "intruder" }, Ct));
        Assert.Null(await Store.RenewLeaseAsync(TenantA, lease with { Until = lease.Until.AddSeconds(1) }, LeaseFor, Now, Ct));

        var renewed = (await Store.RenewLeaseAsync(TenantA, lease, TimeSpan.FromMinutes(30), Now, Ct))!;
        Assert.Equal(Now.AddMinutes(30), renewed.Until);
        Assert.False(await Store.ReleaseLeaseAsync(TenantA, lease, Ct)); // the lease as it was is no longer the one held
        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await DueAsync(campaign)); // outlives the original lease
        Assert.True(await Store.ReleaseLeaseAsync(TenantA, renewed, Ct));
        Assert.Single(await DueAsync(campaign)); // due again at once
        Assert.False(await Store.ReleaseLeaseAsync(TenantA, renewed, Ct));

        var again = Assert.Single(await LeaseAsync(campaign, "dialer"));
        Time.Advance(LeaseFor);
        Assert.Null(await Store.RenewLeaseAsync(TenantA, again, LeaseFor, Now, Ct)); // expired
    }

    [Fact]
    public async Task Another_tenant_reads_no_campaign_and_cannot_name_one_it_does_not_have()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 1);
        var candidate = Assert.Single(await DueAsync(campaign));
        await using (var tx = await Store.BeginClaimAsync(TenantB, Ct))
        {
            Assert.Null(await tx.ReadCampaignAsync(campaign.Id, Ct));
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => tx.ReadPickGroupsAsync(campaign.Id, false, Ct));
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => tx.LeaseAsync(campaign.Id, candidate, "b", Now + LeaseFor, Ct));
        }
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer"));
        Assert.False(await Store.ReleaseLeaseAsync(TenantB, lease, Ct));
        Assert.Null(await Store.RenewLeaseAsync(TenantB, lease, LeaseFor, Now, Ct));
        Assert.Empty(await DueAsync(campaign));
    }
}
