using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Diagnostics;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Nothing of tenant A is visible to tenant B, nor changeable by it, for every kind of object; B may reuse A's names.</summary>
public abstract class TenancyContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Catalog_objects_of_one_tenant_are_invisible_and_unchangeable_from_another()
    {
        var queue = new Queue(Id32.New(), "q");
        var agent = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateQueueAsync(TenantA, queue, Ct);
        await Store.CreateAgentAsync(TenantA, agent, Ct);
        var list = await ListAsync(TenantA, "list");
        var campaign = await CampaignAsync(TenantA, "campaign");

        Assert.Null(await Store.GetQueueAsync(TenantB, queue.Id, Ct));
        Assert.Null(await Store.GetAgentAsync(TenantB, agent.Id, Ct));
        Assert.Null(await Store.GetCallingListAsync(TenantB, list.Id, Ct));
        Assert.Null(await Store.GetCampaignAsync(TenantB, campaign.Id, Ct));
        Assert.Null(await Store.GetCampaignByNameAsync(TenantB, "campaign", Ct));
        Assert.Empty(await Store.ListQueuesAsync(TenantB, Ct));
        Assert.Empty(await Store.ListAgentsAsync(TenantB, Ct));
        Assert.Empty(await Store.ListCallingListsAsync(TenantB, Ct));
        Assert.Empty(await Store.ListCampaignsAsync(TenantB, Ct));
        Assert.Empty(await Store.GetCampaignListIdsAsync(TenantB, campaign.Id, Ct));

        Assert.False(await Store.UpdateQueueAsync(TenantB, queue with { Name = "taken" }, Ct));
        Assert.False(await Store.UpdateAgentAsync(TenantB, agent with { Name = "taken" }, Ct));
        Assert.False(await Store.UpdateCallingListAsync(TenantB, list with { Name = "taken" }, Ct));
        Assert.False(await Store.UpdateCampaignAsync(TenantB, campaign with { Name = "taken" }, Ct));
        await Store.SetIncreasePredictiveRatioAsync(TenantB, campaign.Id, 42, Ct);
        Assert.False(await Store.AttachListAsync(TenantB, campaign.Id, list.Id, Ct));
        var own = await CampaignAsync(TenantB, "own");
        Assert.False(await Store.AttachListAsync(TenantB, own.Id, list.Id, Ct));
        Assert.False(await Store.DetachListAsync(TenantB, campaign.Id, campaign.DefaultListId!, Ct));
        Assert.False(await Store.DeleteQueueAsync(TenantB, queue.Id, Ct));
        Assert.False(await Store.DeleteAgentAsync(TenantB, agent.Id, Ct));
        Assert.False(await Store.DeleteCallingListAsync(TenantB, list.Id, Ct));
        Assert.False(await Store.DeleteCampaignAsync(TenantB, campaign.Id, Ct));
        Assert.False(await DiagnosticsOperations.EvaluateRecordsAsync(Store, TenantB, campaign.Id, Now, _ => { }, Ct));

        Assert.Equal(queue, await Store.GetQueueAsync(TenantA, queue.Id, Ct));
        Assert.Equal(agent, await Store.GetAgentAsync(TenantA, agent.Id, Ct));
        Assert.Equal(list, await Store.GetCallingListAsync(TenantA, list.Id, Ct));
        var stored = (await Store.GetCampaignAsync(TenantA, campaign.Id, Ct))!;
        Assert.Equal(("campaign", 0.0), (stored.Name, stored.IncreasePredictiveRatio));
        Assert.Equal([campaign.DefaultListId!], await Store.GetCampaignListIdsAsync(TenantA, campaign.Id, Ct));

        // Names are unique per tenant only.
        await Store.CreateQueueAsync(TenantB, queue with { Id = Id32.New() }, Ct);
        await Store.CreateAgentAsync(TenantB, agent with { Id = Id32.New() }, Ct);
        await Store.CreateCallingListAsync(TenantB, list with { Id = Id32.New() }, Ct);
        await CampaignAsync(TenantB, "campaign");
    }

    [Fact]
    public async Task Records_and_their_attempts_of_one_tenant_are_invisible_and_unchangeable_from_another()
    {
        var campaign = await CampaignAsync(TenantA);
        var record = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 1)))[0];
        await Store.AddAttemptAsync(TenantA, Attempt(campaign.Id, record.Id!), null, null, false, Ct);

        Assert.Null(await Store.BeginRecordWriteAsync(TenantB, campaign.DefaultListId!, DuplicatePolicy.overwrite, null, Ct));
        Assert.Null(await Store.GetRecordAsync(TenantB, record.Id!, Ct));
        Assert.Empty(await Store.GetAttemptsAsync(TenantB, record.Id!, Ct));
        Assert.Empty((await Store.SearchRecordsAsync(TenantB, new RecordQuery(), Ct)).Items);
        Assert.Empty((await Store.SearchRecordsAsync(TenantB, new RecordQuery { ListId = campaign.DefaultListId }, Ct)).Items);
        Assert.Empty((await Store.SearchRecordsAsync(TenantB, new RecordQuery { CampaignId = campaign.Id }, Ct)).Items);
        Assert.False(await Store.UpdateRecordAsync(TenantB, record.Id!, Draft("y", 2), Ct));
        Assert.False(await Store.DeleteRecordAsync(TenantB, record.Id!, Ct));
        await Assert.ThrowsAsync<ReferenceNotFoundException>(() => Store.AddAttemptAsync(TenantB, Attempt(campaign.Id, record.Id!), null, null, false, Ct));

        var stored = (await Store.GetRecordAsync(TenantA, record.Id!, Ct))!;
        Assert.Equal(("x", Number(1)), (stored.Record.ExternalId, stored.Record.Phones[0].E164));
        Assert.Single(await Store.GetAttemptsAsync(TenantA, record.Id!, Ct));
    }

    [Fact]
    public async Task Do_not_call_entries_of_one_tenant_block_nothing_of_another()
    {
        var a = await CampaignAsync(TenantA);
        var b = await CampaignAsync(TenantB);
        var added = await Store.AddDncAsync(TenantA, [new DncEntry(Id32.New(), Number(1), null, "asked", "test", T0, null)], Ct);
        var id = Assert.Single(added).Id!;

        Assert.Empty(await Store.BlockedNumbersAsync(TenantB, b.Id, [Number(1)], Now, Ct));
        Assert.Null(await Store.GetDncAsync(TenantB, id, Ct));
        Assert.Empty(await Store.ListDncAsync(TenantB, null, null, 0, 100, Ct));
        Assert.False(await Store.DeleteDncAsync(TenantB, id, Ct));
        // B cannot scope an entry to A's campaign.
        Assert.Equal(RowStatus.Failed, Assert.Single(await Store.AddDncAsync(TenantB, [new DncEntry(Id32.New(), Number(2), a.Id, null, null, T0, null)], Ct)).Status);
        Assert.Equal([Number(1)], await Store.BlockedNumbersAsync(TenantA, a.Id, [Number(1), Number(2)], Now, Ct));
        Assert.NotNull(await Store.GetDncAsync(TenantA, id, Ct));
    }

    [Fact]
    public async Task Import_jobs_and_their_keys_belong_to_one_tenant()
    {
        var list = await ListAsync(TenantA, "list");
        var (job, _) = await Store.CreateImportJobAsync(TenantA, ImportJobsContract<TFixture>.Job(list.Id, "key-1"), Ct);

        Assert.Null(await Store.GetImportJobAsync(TenantB, job.Id, Ct));
        Assert.Null(await Store.GetImportJobByKeyAsync(TenantB, "key-1", Ct));
        Assert.Empty(await Store.GetImportFailuresAsync(TenantB, job.Id, Ct));
        // The same key in another tenant is another job.
        var (other, created) = await Store.CreateImportJobAsync(TenantB, ImportJobsContract<TFixture>.Job(list.Id, "key-1"), Ct);
        Assert.True(created);
        Assert.NotEqual(job.Id, other.Id);
        Assert.Equal(job.Id, (await Store.GetImportJobByKeyAsync(TenantA, "key-1", Ct))!.Id);
    }

    [Fact]
    public async Task Agents_sessions_statistics_and_keys_of_one_tenant_are_out_of_reach_of_another()
    {
        var campaign = await CampaignAsync(TenantA);
        var agent = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateAgentAsync(TenantA, agent, Ct);
        var record = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 1)))[0];
        await Store.AddAttemptAsync(TenantA, Attempt(campaign.Id, record.Id!) with { AgentId = agent.Id }, null, null, false, Ct);
        Assert.Null((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, campaign.Id, Now, Ct)).Error);

        Assert.True((await Store.MoveAgentAsync(TenantB, agent.Id, AgentState.LoggedOut, null, Now, Ct)).NotFound);
        Assert.Null(await Store.GetAgentSessionAsync(TenantB, agent.Id, Ct));
        Assert.Empty(await Store.ListAgentSessionsAsync(TenantB, null, Ct));
        Assert.Equal(AgentState.Ready, (await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct))!.State);
        var b = new Agent(Id32.New(), "bob", "Bob");
        await Store.CreateAgentAsync(TenantB, b, Ct);
        Assert.True((await Store.MoveAgentAsync(TenantB, b.Id, AgentState.Ready, campaign.Id, Now, Ct)).NotFound);

        Assert.Null(await Store.GetStatisticsAsync(TenantB, campaign.Id, T0.AddDays(-1), T0.AddDays(1), null, Now, Ct));
        Assert.Null(await Store.GetCampaignCountsAsync(TenantB, campaign.Id, Now, Ct));
        Assert.Null(await Store.GetCompletedAsync(TenantB, campaign.Id, null, null, 0, 10, Ct));
        Assert.Empty(await Store.GetAgentStatisticsAsync(TenantB, T0.AddDays(-1), T0.AddDays(1), null, null, Now, Ct));
        Assert.Empty(await Store.GetResultStatisticsAsync(TenantB, campaign.Id, Ct));
        Assert.Equal(0, (await Store.GetAbandonRateAsync(TenantB, campaign.Id, TimeSpan.FromDays(1), Now, Ct)).AnsweredByPerson);
        Assert.NotEmpty(await Store.GetAgentStatisticsAsync(TenantA, T0.AddDays(-1), T0.AddDays(1), null, null, Now, Ct));

        Assert.False(await Store.AddAgentKeyAsync(TenantB, agent.Id, [1, 2, 3], "odk_b", Ct));
        Assert.True(await Store.AddAgentKeyAsync(TenantA, agent.Id, [4, 5, 6], "odk_a", Ct));
        Assert.Empty(await Store.ListApiKeysAsync("tenant-b", Ct));
        Assert.Equal(TenantA, (await Store.FindApiKeyAsync([4, 5, 6], Ct))!.TenantId);
    }

    internal static Attempt Attempt(string campaignId, string recordId) => new()
    {
        Id = Id32.New(),
        CampaignId = campaignId,
        RecordId = recordId,
        NumberDialed = Number(1),
        Started = T0,
        Answered = T0.AddSeconds(5),
        Ended = T0.AddSeconds(30),
        Result = CallResult.SUCCESS,
        TalkSeconds = 25,
    };
}
