using Outdial.Engine.Domain;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Read-only snapshots (IStore.Diagnostics.cs): a campaign's records by handle, with progress and lease, and the
/// facts of their numbers, all as of one moment.</summary>
public abstract class SnapshotContract<TFixture> : DialingContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Records_come_in_handle_order_page_by_page_with_their_progress_and_lease()
    {
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, 5);
        var lease = Assert.Single(await LeaseAsync(campaign, "dialer", max: 1));
        await Store.AddDncAsync(TenantA, [new DncEntry(Id32.New(), Number(1), null, null, null, T0, T0.AddDays(1))], Ct);

        await using var snapshot = await Store.BeginSnapshotAsync(TenantA, Ct);
        Assert.Equal(campaign.Id, (await snapshot.ReadCampaignAsync(campaign.Id, Ct))!.Id);
        var read = new List<RecordInCampaign>();
        for (long after = 0; await snapshot.ReadRecordsAsync(campaign.Id, after, 2, Ct) is { Count: > 0 } page; after = page[^1].Record.Number)
        {
            Assert.InRange(page.Count, 1, 2);
            read.AddRange(page);
        }
        Assert.Equal(serials, read.Select(r => r.Record.Number));
        Assert.All(read, r => Assert.Equal(campaign.Id, r.Progress.CampaignId));
        Assert.Equal(lease.Until, read.Single(r => r.Record.Number == lease.RecordSerial).LeasedUntil);
        Assert.Single(read, r => r.LeasedUntil is not null);

        var facts = await snapshot.ReadNumberFactsAsync(campaign.Id, [Number(0), Number(1)], Now.AddHours(-1), Now, Ct);
        Assert.Equal((DncStatus.Clear, DncStatus.BlockedUntil(T0.AddDays(1))), (facts.DoNotCall(Number(0)), facts.DoNotCall(Number(1))));
        Assert.Empty(facts.RecentAttempts);
    }

    [Fact]
    public async Task Every_read_of_a_snapshot_sees_the_store_as_of_its_first_read()
    {
        var campaign = await CampaignAsync(TenantA);
        var serials = await RecordsAsync(TenantA, campaign.DefaultListId!, 4);
        var writer = await Fixture.OpenAsync(Time, Ct); // another server on the same database

        await using var snapshot = await Store.BeginSnapshotAsync(TenantA, Ct);
        var first = await snapshot.ReadRecordsAsync(campaign.Id, 0, 2, Ct);
        // Meanwhile: a record added, one completed with an attempt, a number blocked; none of it is seen.
        await writer.UpdateCampaignAsync(TenantA, campaign with { Name = "renamed" }, Ct);
        Assert.Equal(serials[0], await StoreFixture.CompleteOneAsync(writer, TenantA, campaign.Id, "dialer", Now, Ct));
        await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("late", 9));
        await writer.AddDncAsync(TenantA, [new DncEntry(Id32.New(), Number(3), null, null, null, T0, null)], Ct);

        var rest = await snapshot.ReadRecordsAsync(campaign.Id, first[^1].Record.Number, 10, Ct);
        Assert.Equal(serials, first.Concat(rest).Select(r => r.Record.Number));
        Assert.All(first.Concat(rest), r => Assert.Equal((RecordState.OPEN, 0), (r.Progress.State, r.Progress.CallCount)));
        Assert.Equal("campaign", (await snapshot.ReadCampaignAsync(campaign.Id, Ct))!.Name);
        var facts = await snapshot.ReadNumberFactsAsync(campaign.Id, [Number(0), Number(3)], Now.AddHours(-1), Now, Ct);
        Assert.Equal(DncStatus.Clear, facts.DoNotCall(Number(3)));
        Assert.Empty(facts.RecentAttempts);

        await using var later = await Store.BeginSnapshotAsync(TenantA, Ct);
        Assert.Equal(5, (await later.ReadRecordsAsync(campaign.Id, 0, 10, Ct)).Count);
        Assert.Single((await later.ReadNumberFactsAsync(campaign.Id, [Number(0)], Now.AddHours(-1), Now, Ct)).RecentAttempts[Number(0)]);
    }

    [Fact]
    public async Task A_snapshot_of_another_tenant_reads_nothing_of_the_campaign()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        await using var snapshot = await Store.BeginSnapshotAsync(TenantB, Ct);
        Assert.Null(await snapshot.ReadCampaignAsync(campaign.Id, Ct));
        Assert.Empty(await snapshot.ReadRecordsAsync(campaign.Id, 0, 10, Ct));
        Assert.Equal(DncStatus.Clear, (await snapshot.ReadNumberFactsAsync(campaign.Id, [Number(0)], null, Now, Ct)).DoNotCall(Number(0)));
    }
}
