using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Operations;

/// <summary>Bulk adds (OBI's customers/list) and the records of one campaign.</summary>
public sealed class RecordBulkOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static SourceRow Row(long n, string number, string? externalId = null) =>
        new(n, new RecordFields { Numbers = [number], ExternalId = externalId }, null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_row_answers_for_itself_and_atomic_lands_nothing_when_one_fails(bool atomic)
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var target = await db.Records.TargetOfCampaignAsync(db.Tenant, db.Campaign.Id, Ct);
        SourceRow[] rows =
        [
            Row(1, "+447400123456", "a"), Row(2, "not a number"), Row(3, "+447400123457", "a"), new(4, null, "unreadable"),
            new(5, new RecordFields { Numbers = ["+447400123458"], AgentId = Id32.New() }, null), Row(6, "+447400123459"),
        ];

        var results = await db.Records.CreateManyAsync(db.Tenant, target, rows, atomic, Ct);

        var created = atomic ? 200 : 201;
        Assert.Equal([created, 400, 409, 400, 422, created], results.Select(r => r.StatusCode));
        Assert.Equal(atomic ? 0 : 2, results.Count(r => r.Id is not null));
        Assert.Equal("unreadable", results[3].Error);
        Assert.Equal("Invalid externalId: a : Value is not unique", results[2].Error);
        var page = await db.Records.SearchAsync(db.Tenant, new RecordQuery { CampaignId = db.Campaign.Id }, Ct);
        Assert.Equal(atomic ? 0 : 2, page.Items.Count);
    }

    [Fact]
    public async Task A_record_is_found_and_deleted_only_through_a_campaign_it_is_in()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var other = (await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "other" }, Ct)).Campaign;
        var record = await db.Records.CreateInCampaignAsync(db.Tenant, db.Campaign.Id, new RecordFields { Numbers = ["+447400123456"] }, Ct);
        var id = record.Record.Id;

        Assert.Equal(id, (await db.Records.GetInCampaignAsync(db.Tenant, db.Campaign.Id.ToLowerInvariant(), id, Ct)).Record.Id);
        await Assert.ThrowsAsync<OperationException>(() => db.Records.GetInCampaignAsync(db.Tenant, other.Id, id, Ct));
        await Assert.ThrowsAsync<OperationException>(() => db.Records.DeleteInCampaignAsync(db.Tenant, other.Id, id, Ct));
        await Assert.ThrowsAsync<OperationException>(() => db.Records.GetInCampaignAsync(db.Tenant, Id32.New(), id, Ct));

        await db.Records.DeleteInCampaignAsync(db.Tenant, db.Campaign.Id, id, Ct);
        var gone = await Assert.ThrowsAsync<OperationException>(() => db.Records.GetInCampaignAsync(db.Tenant, db.Campaign.Id, id, Ct));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task A_search_by_several_agents_finds_the_records_of_any_of_them()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var agents = new[] { new Agent(Id32.New(), "a1", "One"), new Agent(Id32.New(), "a2", "Two"), new Agent(Id32.New(), "a3", "Three") };
        foreach (var agent in agents)
        {
            await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
        }
        for (var i = 0; i < 3; i++)
            await db.Records.CreateInCampaignAsync(db.Tenant, db.Campaign.Id, new RecordFields { Numbers = [$"+44740012345{i}"], AgentId = agents[i].Id, ExternalId = $"r{i}" }, Ct);

        var page = await db.Records.SearchAsync(db.Tenant, new RecordQuery { CampaignId = db.Campaign.Id, AgentIds = [agents[0].Id, agents[2].Id] }, Ct);

        Assert.Equal(["r0", "r2"], page.Items.Select(r => r.Record.ExternalId).Order());
    }
}
