using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Features;

/// <summary>The OBI statuses the dialer derives: Handled (COMPLETED) when nothing is left, Expired (EXPIRED) after the
/// end date, Active (OPEN) again when records arrive, RetryCount is raised or the end date moves.</summary>
public sealed class CampaignLifecycleTests : VirtualClockServer
{
    private Task<(string Campaign, long Tenant)> ActiveCampaignAsync(int retryCount, DateTimeOffset? endDate = null) =>
        ActiveCampaignAsync("life", retryCount, "PREVIEW", endDate);

    /// <summary>One pass of the dialer service (hosted every 2 s; off in tests), then the campaign's two statuses.</summary>
    private async Task<(string Status, string DialerStatus)> ScanAsync(string campaign)
    {
        await App.Services.GetRequiredService<DialerService>().ScanAsync(Ct);
        var c = await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}");
        return (c.GetProperty("status").GetString()!, c.GetProperty("dialerStatus").GetString()!);
    }

    private async Task<string[]> BlockersAsync(string campaign) =>
        [.. (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/diagnostics")).GetProperty("blockers").EnumerateArray().Select(b => b.GetString()!)];

    [Fact]
    public async Task Handled_when_every_record_is_closed_or_at_MAXCALLS_and_Active_again_when_one_can_be_dialed()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 0);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign)); // empty: waits for records
        await Fixtures.Record(Client, campaign, new { externalId = "won", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "busy", numbers = "+447400000002" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        await DialAsync(tenant, campaign, "won", CallResult.SUCCESS);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign)); // "busy" is still to be dialed
        await DialAsync(tenant, campaign, "busy", CallResult.BUSY); // RetryCount 0: one attempt, then MAXCALLS
        Assert.Equal(("Handled", "COMPLETED"), await ScanAsync(campaign));
        Assert.Contains("Handled", await BlockersAsync(campaign));
        Assert.DoesNotContain("Passive", await BlockersAsync(campaign));

        // OBI: raising RetryCount makes MAXCALLS customers callable again, so the campaign has work again.
        await HttpAssert.Ok<JsonElement>(await Client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { retryCount = 2 }));
        await SettleAsync();
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
        Time.Advance(TimeSpan.FromHours(1)); // past the BUSY retry delay
        await DialAsync(tenant, campaign, "busy", CallResult.SUCCESS);
        Assert.Equal(("Handled", "COMPLETED"), await ScanAsync(campaign));

        // A record imported into a Handled campaign is dialed: the campaign is Active again.
        await Fixtures.Record(Client, campaign, new { externalId = "late", numbers = "+447400000003" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
        await DialAsync(tenant, campaign, "late", CallResult.SUCCESS);
    }

    [Fact]
    public async Task Records_leased_or_waiting_for_a_retry_keep_the_campaign_Active()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        await Fixtures.Record(Client, campaign, new { externalId = "later", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "held", numbers = "+447400000002" });
        await DialAsync(tenant, campaign, "later", CallResult.NOANSWER); // retried in an hour or so
        var held = await Store.ClaimCallableAsync(tenant, campaign, 1, "agent", TimeSpan.FromMinutes(5), Time.GetUtcNow(), Ct);
        Assert.Equal("held", Assert.Single(held).Record.ExternalId);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
    }

    [Fact]
    public async Task Expired_after_its_end_date_refuses_Active_until_the_date_moves_and_Passive_is_left_alone()
    {
        var (campaign, _) = await ActiveCampaignAsync(retryCount: 3, endDate: Now.AddHours(1));
        await Fixtures.Record(Client, campaign, new { externalId = "r", numbers = "+447400000001" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(("Expired", "EXPIRED"), await ScanAsync(campaign));
        Assert.Contains("AfterEndDate", await BlockersAsync(campaign));
        await HttpAssert.Problem(await Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" }),
            HttpStatusCode.Conflict, "endDate");
        Assert.Equal(("Expired", "EXPIRED"), await ScanAsync(campaign)); // the refused PUT changed nothing

        await HttpAssert.Ok<JsonElement>(await Client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { endDate = Now.AddDays(2) }));
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        // The operator's Passive stays Passive past the end date.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Passive" })).StatusCode);
        Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(("Passive", "PASSIVE"), await ScanAsync(campaign));
    }
}
