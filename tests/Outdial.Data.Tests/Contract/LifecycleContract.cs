using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>What the derived campaign status reads and writes (IStore.Lifecycle.cs): the campaigns, their work left, and a
/// status write conditional on the status read.</summary>
public abstract class LifecycleContract<TFixture> : DialingContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Campaigns_of_every_tenant_whose_status_is_derived_are_listed_as_they_are()
    {
        var active = await CampaignAsync(TenantA, "active", c => c with { EndDate = T0.AddDays(1) });
        await CampaignAsync(TenantA, "passive", c => c with { Status = CampaignStatus.Passive });
        var other = await CampaignAsync(TenantB, "other");
        var listed = (await Store.ListDerivedStatusCampaignsAsync(Ct)).OrderBy(s => s.TenantId).ToList();
        var stored = (await Store.GetCampaignAsync(TenantA, active.Id, Ct))!;
        Assert.Equal(
            [new CampaignStatusSnapshot(TenantA, active.Id, CampaignStatus.Active, stored.DialerStatus, T0.AddDays(1)),
             new CampaignStatusSnapshot(TenantB, other.Id, CampaignStatus.Active, (await Store.GetCampaignAsync(TenantB, other.Id, Ct))!.DialerStatus, null)],
            listed);
    }

    [Fact]
    public async Task Work_left_counts_due_waiting_and_leased_records_not_closed_or_blocked_for_good_ones()
    {
        var campaign = await CampaignAsync(TenantA);
        Assert.Equal(new CampaignWork(false, false), await Store.GetCampaignWorkAsync(TenantA, campaign.Id, Ct));
        await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        Assert.Equal(new CampaignWork(true, true), await Store.GetCampaignWorkAsync(TenantA, campaign.Id, Ct));

        var leases = await LeaseAsync(campaign, "dialer");
        Assert.Equal(new CampaignWork(true, true), await Store.GetCampaignWorkAsync(TenantA, campaign.Id, Ct));
        Assert.True(await FinishAsync((await StartAsync(leases[0]))!, CallResult.SUCCESS, null, close: true));
        Assert.True(await FinishAsync((await StartAsync(leases[1]))!, CallResult.NOANSWER, Now.AddDays(1)));
        Assert.Equal(new CampaignWork(true, true), await Store.GetCampaignWorkAsync(TenantA, campaign.Id, Ct)); // one waits

        Time.Advance(TimeSpan.FromDays(1));
        var last = Assert.Single(await LeaseAsync(campaign, "dialer"));
        Assert.True(await FinishAsync((await StartAsync(last))!, CallResult.INVALID_NUMBER, null)); // blocked until data changes
        Assert.Equal(new CampaignWork(true, false), await Store.GetCampaignWorkAsync(TenantA, campaign.Id, Ct));

        Assert.Equal(default, await Store.GetCampaignWorkAsync(TenantB, campaign.Id, Ct));
        Assert.Equal(default, await Store.GetCampaignWorkAsync(TenantA, Id32.New(), Ct));
    }

    [Fact]
    public async Task A_derived_status_is_written_only_over_the_status_it_was_derived_from()
    {
        var campaign = await CampaignAsync(TenantA);
        var read = Assert.Single(await Store.ListDerivedStatusCampaignsAsync(Ct));
        Assert.True(await Store.SetDerivedStatusAsync(read, CampaignStatus.Handled, DialerStatus.COMPLETED, Now, Ct));
        var stored = (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!;
        Assert.Equal((CampaignStatus.Handled, DialerStatus.COMPLETED), (stored.Status, stored.DialerStatus));
        Assert.False(await Store.SetDerivedStatusAsync(read, CampaignStatus.Expired, DialerStatus.EXPIRED, Now, Ct)); // read before

        // An operator's change meanwhile stands.
        var handled = Assert.Single(await Store.ListDerivedStatusCampaignsAsync(Ct));
        Assert.True(await Store.UpdateCampaignAsync(TenantA, stored with { Status = CampaignStatus.Passive, DialerStatus = DialerStatus.PASSIVE }, Ct));
        Assert.False(await Store.SetDerivedStatusAsync(handled, CampaignStatus.Active, DialerStatus.OPEN, Now, Ct));
        Assert.Equal(CampaignStatus.Passive, (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!.Status);
        Assert.Empty(await Store.ListDerivedStatusCampaignsAsync(Ct));

        Assert.True(await Store.DeleteCampaignAsync(TenantA, campaign.Id, Ct));
        Assert.False(await Store.SetDerivedStatusAsync(handled with { Status = CampaignStatus.Passive, DialerStatus = DialerStatus.PASSIVE },
            CampaignStatus.Active, DialerStatus.OPEN, Now, Ct));
    }
}
