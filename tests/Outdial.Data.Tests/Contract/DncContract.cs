using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Do-not-call: tenant-wide and campaign scope, expiry, refresh of an existing entry, deletion.</summary>
public abstract class DncContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    private static DncEntry Entry(int number, string? campaignId, DateTimeOffset? expires = null) =>
        new(Id32.New(), Number(number), campaignId, "asked", "test", T0, expires);

    [Fact]
    public async Task A_tenant_wide_entry_blocks_every_campaign_and_a_campaign_entry_its_campaign_only()
    {
        var one = await CampaignAsync(TenantA, "one");
        var two = await CampaignAsync(TenantA, "two");
        var added = await Store.AddDncAsync(TenantA, [Entry(1, null), Entry(2, one.Id), Entry(3, Id32.New())], Ct);
        Assert.Equal([RowStatus.Created, RowStatus.Created, RowStatus.Failed], added.Select(o => o.Status));

        var numbers = new[] { Number(1), Number(2), Number(3) };
        Assert.Equal([Number(1), Number(2)], (await Store.BlockedNumbersAsync(TenantA, one.Id, numbers, Now, Ct)).Order(StringComparer.Ordinal));
        Assert.Equal([Number(1)], await Store.BlockedNumbersAsync(TenantA, two.Id, numbers, Now, Ct));
        Assert.Empty(await Store.BlockedNumbersAsync(TenantA, two.Id, [], Now, Ct));

        Assert.Equal([Number(2)], (await Store.ListDncAsync(TenantA, one.Id, null, 0, 10, Ct)).Select(e => e.E164));
        Assert.Equal([Number(1)], (await Store.ListDncAsync(TenantA, null, Number(1), 0, 10, Ct)).Select(e => e.E164));
        Assert.Equal(2, (await Store.ListDncAsync(TenantA, null, null, 0, 10, Ct)).Count);
        Assert.Single(await Store.ListDncAsync(TenantA, null, null, 1, 10, Ct));
        var entry = (await Store.GetDncAsync(TenantA, added[1].Id!, Ct))!;
        Assert.Equal((Number(2), one.Id, "asked"), (entry.E164, entry.CampaignId, entry.Reason));
    }

    [Fact]
    public async Task An_entry_blocks_until_it_expires()
    {
        var campaign = await CampaignAsync(TenantA);
        var until = T0.AddHours(1);
        await Store.AddDncAsync(TenantA, [Entry(1, null, until), Entry(2, campaign.Id, until)], Ct);
        Assert.Equal(2, (await Store.BlockedNumbersAsync(TenantA, campaign.Id, [Number(1), Number(2)], until.AddTicks(-TimeSpan.TicksPerMillisecond), Ct)).Count);
        Assert.Empty(await Store.BlockedNumbersAsync(TenantA, campaign.Id, [Number(1), Number(2)], until, Ct));
    }

    [Fact]
    public async Task Adding_a_number_again_refreshes_its_entry_and_deleting_it_unblocks()
    {
        var campaign = await CampaignAsync(TenantA);
        var first = Assert.Single(await Store.AddDncAsync(TenantA, [Entry(1, null, T0.AddHours(1))], Ct));
        var again = Assert.Single(await Store.AddDncAsync(TenantA, [Entry(1, null) with { Reason = "again" }], Ct));
        Assert.Equal((RowStatus.Updated, first.Id), (again.Status, again.Id));
        var entry = (await Store.GetDncAsync(TenantA, first.Id!, Ct))!;
        Assert.Equal(("again", null), (entry.Reason, entry.Expires));
        Assert.Equal([Number(1)], await Store.BlockedNumbersAsync(TenantA, campaign.Id, [Number(1)], T0.AddDays(1), Ct));
        // The same number in a campaign's scope is another entry.
        Assert.Equal(RowStatus.Created, Assert.Single(await Store.AddDncAsync(TenantA, [Entry(1, campaign.Id)], Ct)).Status);

        Assert.True(await Store.DeleteDncAsync(TenantA, first.Id!, Ct));
        Assert.False(await Store.DeleteDncAsync(TenantA, first.Id!, Ct));
        Assert.Null(await Store.GetDncAsync(TenantA, first.Id!, Ct));
        var other = await CampaignAsync(TenantA, "other");
        Assert.Empty(await Store.BlockedNumbersAsync(TenantA, other.Id, [Number(1)], Now, Ct));
    }
}
