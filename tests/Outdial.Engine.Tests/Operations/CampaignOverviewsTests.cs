using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Operations.Statistics;
using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Operations;

public sealed class CampaignOverviewsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Overview_names_the_queue_counts_the_records_and_the_logged_on_agents()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var queue = new Queue(Id32.New(), "Sales");
        await db.Store.CreateQueueAsync(db.Tenant, queue, Ct);
        await db.Campaigns.UpdateAsync(db.Tenant, db.Campaign.Id, new CampaignChanges { QueueId = queue.Id }, partial: true, Ct);
        await db.Records.CreateInCampaignAsync(db.Tenant, db.Campaign.Id, new RecordFields { Numbers = ["+447400123456"] }, Ct);
        await db.Records.CreateInCampaignAsync(db.Tenant, db.Campaign.Id, new RecordFields { Numbers = ["+447400123457"] }, Ct);
        var agent = new Agent(Id32.New(), "a1", "Agent One");
        await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
        await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, OperationsDb.T0, Ct);
        var empty = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "empty" }, Ct);
        var overviews = new CampaignOverviews(db.Store, db.Time);

        var one = await overviews.GetAsync(db.Tenant, db.Campaign.Id, Ct);
        var all = await overviews.ListAsync(db.Tenant, Ct);

        Assert.Equal(("Sales", 2L, 1), (one.QueueName, one.Counts.Total, one.LoggedOn));
        var other = Assert.Single(all, o => o.Campaign.Id == empty.Campaign.Id);
        Assert.Equal((null, 0L, 0), (other.QueueName, other.Counts.Total, other.LoggedOn));
        await Assert.ThrowsAsync<OperationException>(() => overviews.GetAsync(db.Tenant, Id32.New(), Ct));
        Assert.Empty(await overviews.ListAsync(await db.Store.EnsureTenantAsync("t2", Ct), Ct));
    }

    [Fact]
    public async Task A_partial_update_replacing_named_fields_resets_them_and_keeps_the_rest()
    {
        await using var db = await OperationsDb.CreateAsync();
        var created = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges
        {
            Name = "c",
            Remarks = "r",
            TimeZone = "Europe/Berlin",
            RetryCount = 7,
            StartDate = OperationsDb.T0,
            AbandonRate = 2,
        }, Ct);

        var updated = await db.Campaigns.UpdateAsync(db.Tenant, created.Campaign.Id, new CampaignChanges
        {
            Name = "renamed",
            Replaced = new HashSet<string>(StringComparer.Ordinal) { "name", "remarks", "startDate", "abandonRate" },
        }, partial: true, Ct);

        var c = updated.Campaign;
        Assert.Equal(("renamed", null, null, 1.0), (c.Name, c.Remarks, c.StartDate, c.AbandonRate));
        Assert.Equal(("Europe/Berlin", 7), (c.TimeZone, c.RetryCount));
        await Assert.ThrowsAsync<ValidationException>(() => db.Campaigns.UpdateAsync(db.Tenant, created.Campaign.Id,
            new CampaignChanges { Replaced = new HashSet<string>(StringComparer.Ordinal) { "name" } }, partial: true, Ct));
    }

    [Fact]
    public async Task Statistics_of_several_agents_add_up_their_work_and_count_the_customers_once()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var record = await db.Records.CreateInCampaignAsync(db.Tenant, db.Campaign.Id, new RecordFields { Numbers = ["+447400123456"] }, Ct);
        var agents = new[] { new Agent(Id32.New(), "a1", "One"), new Agent(Id32.New(), "a2", "Two"), new Agent(Id32.New(), "a3", "Three") };
        foreach (var agent in agents) await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
        for (var i = 0; i < 3; i++)
        {
            var started = OperationsDb.T0.AddMinutes(i);
            await db.Store.AddAttemptAsync(db.Tenant, new Attempt
            {
                Id = Id32.New(),
                CampaignId = db.Campaign.Id,
                RecordId = record.Record.Id,
                NumberDialed = "+447400123456",
                Started = started,
                Answered = started.AddSeconds(5),
                Ended = started.AddSeconds(30),
                Result = i == 2 ? CallResult.SUCCESS : CallResult.NOANSWER,
                AgentId = agents[i == 2 ? 1 : 0].Id,
            }, i == 2 ? 10m : null, null, false, Ct);
        }
        db.Time.SetUtcNow(OperationsDb.T0.AddHours(1));
        var statistics = new StatisticsOperations(db.Store, db.Time);

        var both = await statistics.GetCampaignForAgentsAsync(db.Tenant, db.Campaign.Id, null, [agents[0].Id, agents[1].Id, agents[2].Id, Id32.New()], Ct);
        var first = await statistics.GetCampaignAsync(db.Tenant, db.Campaign.Id, null, agents[0].Id, Ct);
        var all = await statistics.GetCampaignAsync(db.Tenant, db.Campaign.Id, null, null, Ct);

        Assert.Equal((3L, 1L, 10.0), (both.Total.NumberOfCalls, both.Total.NumberOfSuccessfulCalls, both.Total.Amount));
        Assert.Equal(2L, first.Total.NumberOfCalls);
        Assert.Equal(all.Total.NumberOfCustomers, both.Total.NumberOfCustomers);
        Assert.Equal(1L, both.Total.NumberOfCustomers);
        await Assert.ThrowsAsync<OperationException>(() => statistics.GetCampaignForAgentsAsync(db.Tenant, db.Campaign.Id, null, [Id32.New()], Ct));
    }
}
