using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Operations;

public sealed class RecordOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A campaign's records land in its default list; a national number is read in that list's region, else the
    /// campaign's; a record's own country wins over both.</summary>
    [Theory]
    [InlineData("FI", "DE", null, "FI")]
    [InlineData(null, "DE", null, "DE")]
    [InlineData("FI", "DE", "SE", "SE")]
    [InlineData(null, null, null, null)]
    public async Task Campaign_records_take_the_default_lists_region_else_the_campaigns(string? listRegion, string? campaignRegion, string? recordCountry, string? expected)
    {
        await using var db = await OperationsDb.CreateAsync();
        var campaign = (await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c", DefaultRegion = campaignRegion }, Ct)).Campaign;
        var list = (await db.Store.GetCallingListAsync(db.Tenant, campaign.DefaultListId!, Ct))!;
        await db.Store.UpdateCallingListAsync(db.Tenant, list with { DefaultRegion = listRegion }, Ct);

        var target = await db.Records.TargetOfCampaignAsync(db.Tenant, campaign.Id.ToLowerInvariant(), Ct);
        Assert.Equal(new RecordTarget(campaign.DefaultListId!, listRegion ?? campaignRegion), target);

        var fields = new RecordFields { Numbers = ["040 1234567"], Region = recordCountry };
        if (expected is null)
        {
            var error = await Assert.ThrowsAsync<ValidationException>(() => db.Records.CreateInCampaignAsync(db.Tenant, campaign.Id, fields, Ct));
            Assert.Contains("040 1234567", error.Message, StringComparison.Ordinal);
            return;
        }
        var record = await db.Records.CreateInCampaignAsync(db.Tenant, campaign.Id, fields, Ct);
        Assert.Equal(campaign.DefaultListId, record.Record.ListId);
        Assert.Equal(expected, record.Record.Phones[0].Region);
        Assert.Equal(campaign.Id, Assert.Single(record.Progress).CampaignId);
    }

    [Fact]
    public async Task Unknown_or_malformed_targets_are_not_found()
    {
        await using var db = await OperationsDb.CreateAsync();
        var fields = new RecordFields { Numbers = ["+358401234567"] };
        foreach (var id in new[] { Id32.New(), "not-an-id" })
        {
            Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<OperationException>(() => db.Records.CreateInCampaignAsync(db.Tenant, id, fields, Ct))).Kind);
            Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<OperationException>(() => db.Records.CreateInListAsync(db.Tenant, id, fields, Ct))).Kind);
            Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<OperationException>(() => db.Records.SearchAsync(db.Tenant, new RecordQuery { CampaignId = id }, Ct))).Kind);
        }
    }

    [Fact]
    public async Task A_duplicate_external_id_is_a_conflict_and_an_update_rereads_the_lists_region()
    {
        await using var db = await OperationsDb.CreateAsync();
        var campaign = (await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c", DefaultRegion = "FI" }, Ct)).Campaign;
        var first = await db.Records.CreateInCampaignAsync(db.Tenant, campaign.Id, new RecordFields { ExternalId = "x1", Numbers = ["+358401234567"] }, Ct);

        var duplicate = await Assert.ThrowsAsync<OperationException>(() =>
            db.Records.CreateInListAsync(db.Tenant, campaign.DefaultListId!, new RecordFields { ExternalId = "x1", Numbers = ["+358401234568"] }, Ct));
        Assert.Equal(ErrorKind.Conflict, duplicate.Kind);

        var list = (await db.Store.GetCallingListAsync(db.Tenant, campaign.DefaultListId!, Ct))!;
        await db.Store.UpdateCallingListAsync(db.Tenant, list with { DefaultRegion = "DE" }, Ct);
        var updated = await db.Records.UpdateAsync(db.Tenant, first.Record.Id, new RecordFields { ExternalId = "x1", Numbers = ["030 1234567"] }, Ct);
        Assert.Equal("+49301234567", updated.Record.Phones[0].E164);
    }
}
