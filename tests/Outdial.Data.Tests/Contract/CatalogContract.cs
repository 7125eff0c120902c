using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Diagnostics;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Queues, agents, calling lists and campaigns: create, read, update, delete, and the uniqueness rules.</summary>
public abstract class CatalogContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Queues_are_created_read_renamed_and_deleted_with_unique_names()
    {
        var q = new Queue(Id32.New(), "sales");
        await Store.CreateQueueAsync(TenantA, q, Ct);
        await Store.CreateQueueAsync(TenantA, new Queue(Id32.New(), "support"), Ct);
        Assert.Equal(q, await Store.GetQueueAsync(TenantA, q.Id, Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Store.CreateQueueAsync(TenantA, new Queue(Id32.New(), "sales"), Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Store.UpdateQueueAsync(TenantA, q with { Name = "support" }, Ct));
        Assert.True(await Store.UpdateQueueAsync(TenantA, q with { Name = "outbound" }, Ct));
        Assert.Equal(["outbound", "support"], (await Store.ListQueuesAsync(TenantA, Ct)).Select(x => x.Name));
        Assert.True(await Store.DeleteQueueAsync(TenantA, q.Id, Ct));
        Assert.False(await Store.DeleteQueueAsync(TenantA, q.Id, Ct));
        Assert.Null(await Store.GetQueueAsync(TenantA, q.Id, Ct));
        Assert.False(await Store.UpdateQueueAsync(TenantA, q, Ct));
    }

    [Fact]
    public async Task A_queue_a_campaign_uses_cannot_be_deleted()
    {
        var q = new Queue(Id32.New(), "sales");
        await Store.CreateQueueAsync(TenantA, q, Ct);
        var campaign = await CampaignAsync(TenantA, configure: c => c with { QueueId = q.Id });
        Assert.Equal(q.Id, (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!.QueueId);
        await Assert.ThrowsAsync<ConflictException>(() => Store.DeleteQueueAsync(TenantA, q.Id, Ct));
        Assert.NotNull(await Store.GetQueueAsync(TenantA, q.Id, Ct));
    }

    [Fact]
    public async Task Agents_are_unique_by_login_and_deleting_one_ends_its_session()
    {
        var a = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateAgentAsync(TenantA, a, Ct);
        await Store.CreateAgentAsync(TenantA, new Agent(Id32.New(), "bob", "Bob"), Ct);
        Assert.Equal(a, await Store.GetAgentAsync(TenantA, a.Id, Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Store.CreateAgentAsync(TenantA, new Agent(Id32.New(), "alice", "Other"), Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Store.UpdateAgentAsync(TenantA, a with { Login = "bob" }, Ct));
        Assert.True(await Store.UpdateAgentAsync(TenantA, a with { Name = "Alice B." }, Ct));
        Assert.Equal(["Alice B.", "Bob"], (await Store.ListAgentsAsync(TenantA, Ct)).Select(x => x.Name));

        var campaign = await CampaignAsync(TenantA);
        Assert.Null((await Store.MoveAgentAsync(TenantA, a.Id, Engine.Agents.AgentState.Ready, campaign.Id, Now, Ct)).Error);
        Assert.True(await Store.DeleteAgentAsync(TenantA, a.Id, Ct));
        Assert.Null(await Store.GetAgentAsync(TenantA, a.Id, Ct));
        Assert.Null(await Store.GetAgentSessionAsync(TenantA, a.Id, Ct));
        Assert.False(await Store.DeleteAgentAsync(TenantA, a.Id, Ct));
    }

    [Fact]
    public async Task Calling_lists_are_unique_by_name_and_deleting_one_deletes_its_records()
    {
        var list = new CallingList(Id32.New(), "leads", "GB", T0);
        await Store.CreateCallingListAsync(TenantA, list, Ct);
        Assert.Equal(list, await Store.GetCallingListAsync(TenantA, list.Id, Ct));
        await Assert.ThrowsAsync<ConflictException>(() => Store.CreateCallingListAsync(TenantA, list with { Id = Id32.New() }, Ct));
        var other = await ListAsync(TenantA, "other");
        await Assert.ThrowsAsync<ConflictException>(() => Store.UpdateCallingListAsync(TenantA, other with { Name = "leads" }, Ct));
        Assert.True(await Store.UpdateCallingListAsync(TenantA, list with { DefaultRegion = "US" }, Ct));
        Assert.Equal("US", (await Store.GetCallingListAsync(TenantA, list.Id, Ct))!.DefaultRegion);

        var id = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("r1", 1)))[0].Id!;
        Assert.True(await Store.DeleteCallingListAsync(TenantA, list.Id, Ct));
        Assert.Null(await Store.GetRecordAsync(TenantA, id, Ct));
        Assert.Equal(["other"], (await Store.ListCallingListsAsync(TenantA, Ct)).Select(l => l.Name));
    }

    [Fact]
    public async Task A_campaign_comes_with_its_default_list_and_is_unique_by_name()
    {
        var campaign = await CampaignAsync(TenantA, "spring");
        Assert.NotNull(campaign.DefaultListId);
        Assert.Equal("spring", (await Store.GetCallingListAsync(TenantA, campaign.DefaultListId!, Ct))!.Name);
        Assert.Equal([campaign.DefaultListId!], await Store.GetCampaignListIdsAsync(TenantA, campaign.Id, Ct));
        Assert.Equal(campaign.Id, (await Store.GetCampaignByNameAsync(TenantA, "spring", Ct))!.Id);
        await Assert.ThrowsAsync<ConflictException>(() => CampaignAsync(TenantA, "spring"));

        var stored = (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!;
        Assert.True(await Store.UpdateCampaignAsync(TenantA, stored with { RetryCount = 7, Remarks = "changed" }, Ct));
        Assert.Equal((7, "changed"), ((await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!.RetryCount, (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!.Remarks));
        var autumn = await CampaignAsync(TenantA, "autumn");
        await Assert.ThrowsAsync<ConflictException>(() => Store.UpdateCampaignAsync(TenantA, autumn with { Name = "spring" }, Ct));
        Assert.Equal(["autumn", "spring"], (await Store.ListCampaignsAsync(TenantA, Ct)).Select(c => c.Name).Order(StringComparer.Ordinal));

        Assert.True(await Store.DeleteCampaignAsync(TenantA, campaign.Id, Ct));
        Assert.Null(await Store.GetCampaignAsync(TenantA, campaign.Id, Ct));
        Assert.False(await Store.DeleteCampaignAsync(TenantA, campaign.Id, Ct));
    }

    [Fact]
    public async Task A_campaign_reads_with_its_lists_in_one_call_default_list_first_then_by_name()
    {
        var campaign = await CampaignAsync(TenantA, "summer");
        var zeta = await ListAsync(TenantA, "zeta");
        var alpha = await ListAsync(TenantA, "alpha");
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, zeta.Id, Ct));
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, alpha.Id, Ct));
        var other = await CampaignAsync(TenantA, "other");

        var found = (await Store.GetCampaignWithListsAsync(TenantA, campaign.Id, Ct))!;
        Assert.Equal((campaign.Id, "summer", campaign.DefaultListId), (found.Campaign.Id, found.Campaign.Name, found.Campaign.DefaultListId));
        Assert.Equal([campaign.DefaultListId!, alpha.Id, zeta.Id], found.ListIds);
        Assert.Equal(await Store.GetCampaignListIdsAsync(TenantA, campaign.Id, Ct), found.ListIds);
        Assert.Equal([other.DefaultListId!], (await Store.GetCampaignWithListsAsync(TenantA, other.Id, Ct))!.ListIds);
        Assert.Null(await Store.GetCampaignWithListsAsync(TenantB, campaign.Id, Ct));

        var all = await Store.ListCampaignsWithListsAsync(TenantA, Ct);
        Assert.Equal(["other", "summer"], all.Select(c => c.Campaign.Name));
        Assert.Equal(found.ListIds, all[1].ListIds);
        Assert.Empty(await Store.ListCampaignsWithListsAsync(TenantB, Ct));
    }

    [Fact]
    public async Task An_attached_list_feeds_its_records_to_the_campaign_unless_an_externalId_would_repeat()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        var extra = await ListAsync(TenantA, "extra");
        var serials = await RecordsAsync(TenantA, extra.Id, 3, first: 10);
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.Equal([campaign.DefaultListId!, extra.Id], await Store.GetCampaignListIdsAsync(TenantA, campaign.Id, Ct));
        Assert.Equal(5, (await Store.GetCampaignCountsAsync(TenantA, campaign.Id, Now, Ct))!.Total);
        var inCampaign = await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id, ListId = extra.Id }, Ct);
        Assert.Equal(serials, inCampaign.Items.Select(r => r.Record.Number));
        Assert.All(inCampaign.Items, r => Assert.Equal(campaign.Id, Assert.Single(r.Progress).CampaignId));

        // x0 is already in the campaign (its default list): a second list holding x0 would make two records one.
        var clash = await ListAsync(TenantA, "clash");
        await RecordsAsync(TenantA, clash.Id, 1);
        await Assert.ThrowsAsync<ConflictException>(() => Store.AttachListAsync(TenantA, campaign.Id, clash.Id, Ct));
        Assert.Equal(2, (await Store.GetCampaignListIdsAsync(TenantA, campaign.Id, Ct)).Count);

        Assert.True(await Store.DetachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.False(await Store.DetachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.Equal(2, (await Store.GetCampaignCountsAsync(TenantA, campaign.Id, Now, Ct))!.Total);
        Assert.Equal(3, (await Store.SearchRecordsAsync(TenantA, new RecordQuery { ListId = extra.Id }, Ct)).Items.Count);
    }

    [Fact]
    public async Task The_dialer_runs_the_Active_and_Handled_campaigns_of_every_tenant()
    {
        var active = await CampaignAsync(TenantA, "active");
        var handled = await CampaignAsync(TenantA, "handled", c => c with { Status = CampaignStatus.Handled });
        await CampaignAsync(TenantA, "passive", c => c with { Status = CampaignStatus.Passive });
        await CampaignAsync(TenantA, "expired", c => c with { Status = CampaignStatus.Expired });
        var other = await CampaignAsync(TenantB, "active");
        Assert.Equal(
            new[] { (TenantA, active.Id), (TenantA, handled.Id), (TenantB, other.Id) }.Order(),
            (await Store.ListDialedCampaignsAsync(Ct)).Select(t => (t.TenantId, t.Campaign.Id)).Order());
    }

    [Fact]
    public async Task Setting_the_predictive_ratio_changes_nothing_else()
    {
        var campaign = await CampaignAsync(TenantA, configure: c => c with { RetryCount = 5, Remarks = "kept" });
        var before = (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!;
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.SetIncreasePredictiveRatioAsync(TenantA, campaign.Id, 12.5, Ct);
        var after = (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!;
        Assert.Equal(12.5, after.IncreasePredictiveRatio);
        Assert.Equal((before.Name, before.Status, before.RetryCount, before.Remarks, before.Modified, before.DefaultListId),
            (after.Name, after.Status, after.RetryCount, after.Remarks, after.Modified, after.DefaultListId));
    }

    [Fact]
    public async Task Diagnostics_evaluate_every_record_of_the_campaign_with_its_reason()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 4);
        await Store.AddDncAsync(TenantA, [new DncEntry(Id32.New(), Number(2), null, null, null, T0, null)], Ct);
        var seen = new List<Engine.Selection.Callability>();
        Assert.True(await DiagnosticsOperations.EvaluateRecordsAsync(Store, TenantA, campaign.Id, Now, seen.Add, Ct));
        Assert.Equal(4, seen.Count);
        Assert.Equal(3, seen.Count(c => c.Callable));
        Assert.Equal(Engine.Selection.NotCallableReason.DoNotCall, Assert.Single(seen, c => !c.Callable).Reason);
        Assert.False(await DiagnosticsOperations.EvaluateRecordsAsync(Store, TenantA, Id32.New(), Now, seen.Add, Ct));
    }
}
