using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Features.Dialing;
using Outdial.Server.Tests.Infrastructure;

namespace Outdial.Server.Tests.Features;

/// <summary>The OBI statuses the dialer derives: Handled (COMPLETED) when nothing is left, Expired (EXPIRED) after the
/// end date, Active (OPEN) again when records arrive, RetryCount is raised or the end date moves.</summary>
public sealed class CampaignLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2); // fails a hung test; no timing is asserted
    private readonly FakeTimeProvider _time = new(Now);
    private readonly OutdialFactory _factory = new();
    private readonly WebApplicationFactory<Program> _app;
    private readonly HttpClient _client;
    private readonly IStore _store;

    public CampaignLifecycleTests()
    {
        _app = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_time)));
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new("Bearer", OutdialFactory.BootstrapKey);
        _store = _app.Services.GetRequiredService<IStore>();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        _factory.Dispose();
    }

    private async Task<(string Campaign, long Tenant)> ActiveCampaignAsync(int retryCount, object? endDate = null)
    {
        var (campaign, _) = await Fixtures.Campaign(_client, "life",
            new { timeZone = "UTC", callingWindow = new { start = "00:00", end = "23:59" }, dialingMode = "PREVIEW", retryCount, endDate });
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" })).StatusCode);
        return (campaign, await _store.EnsureTenantAsync("default", Ct));
    }

    private async Task DialAsync(long tenant, string campaign, string externalId, CallResult result)
    {
        var now = _time.GetUtcNow();
        var claimed = await _store.ClaimCallableAsync(tenant, campaign, 100, "probe", TimeSpan.FromMinutes(5), now, Ct);
        var mine = claimed.Single(c => c.Record.ExternalId == externalId);
        foreach (var other in claimed.Where(c => c != mine)) await _store.ReleaseLeaseAsync(tenant, other.Lease, Ct);
        var start = await _store.StartAttemptAsync(tenant, mine.Lease, TimeSpan.FromMinutes(10), now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);
        Assert.Equal(AttemptFinishStatus.Applied,
            (await _store.FinishAttemptAsync(tenant, start.AttemptId!, new AttemptOutcome(result, start.PhoneIndex), new AttemptDetails(), now, Ct)).Status);
    }

    /// <summary>One pass of the dialer service (hosted every 2 s; off in tests), then the campaign's two statuses.</summary>
    private async Task<(string Status, string DialerStatus)> ScanAsync(string campaign)
    {
        await _app.Services.GetRequiredService<DialerService>().ScanAsync(Ct);
        var c = await Fixtures.Get(_client, $"/api/v1/campaigns/{campaign}");
        return (c.GetProperty("status").GetString()!, c.GetProperty("dialerStatus").GetString()!);
    }

    private async Task<string[]> BlockersAsync(string campaign) =>
        [.. (await Fixtures.Get(_client, $"/api/v1/campaigns/{campaign}/diagnostics")).GetProperty("blockers").EnumerateArray().Select(b => b.GetString()!)];

    private async Task SettleAsync() => await _app.Services.GetRequiredService<ReevaluationWorker>().WhenIdleAsync().WaitAsync(HangGuard);

    [Fact]
    public async Task Handled_when_every_record_is_closed_or_at_MAXCALLS_and_Active_again_when_one_can_be_dialed()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 0);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign)); // empty: waits for records
        await Fixtures.Record(_client, campaign, new { externalId = "won", numbers = "+447400000001" });
        await Fixtures.Record(_client, campaign, new { externalId = "busy", numbers = "+447400000002" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        await DialAsync(tenant, campaign, "won", CallResult.SUCCESS);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign)); // "busy" is still to be dialed
        await DialAsync(tenant, campaign, "busy", CallResult.BUSY); // RetryCount 0: one attempt, then MAXCALLS
        Assert.Equal(("Handled", "COMPLETED"), await ScanAsync(campaign));
        Assert.Contains("Handled", await BlockersAsync(campaign));
        Assert.DoesNotContain("Passive", await BlockersAsync(campaign));

        // OBI: raising RetryCount makes MAXCALLS customers callable again, so the campaign has work again.
        await HttpAssert.Ok<JsonElement>(await _client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { retryCount = 2 }));
        await SettleAsync();
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
        _time.Advance(TimeSpan.FromHours(1)); // past the BUSY retry delay
        await DialAsync(tenant, campaign, "busy", CallResult.SUCCESS);
        Assert.Equal(("Handled", "COMPLETED"), await ScanAsync(campaign));

        // A record imported into a Handled campaign is dialed: the campaign is Active again.
        await Fixtures.Record(_client, campaign, new { externalId = "late", numbers = "+447400000003" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
        await DialAsync(tenant, campaign, "late", CallResult.SUCCESS);
    }

    [Fact]
    public async Task Records_leased_or_waiting_for_a_retry_keep_the_campaign_Active()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        await Fixtures.Record(_client, campaign, new { externalId = "later", numbers = "+447400000001" });
        await Fixtures.Record(_client, campaign, new { externalId = "held", numbers = "+447400000002" });
        await DialAsync(tenant, campaign, "later", CallResult.NOANSWER); // retried in an hour or so
        var held = await _store.ClaimCallableAsync(tenant, campaign, 1, "agent", TimeSpan.FromMinutes(5), _time.GetUtcNow(), Ct);
        Assert.Equal("held", Assert.Single(held).Record.ExternalId);
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));
    }

    [Fact]
    public async Task Expired_after_its_end_date_refuses_Active_until_the_date_moves_and_Passive_is_left_alone()
    {
        var (campaign, _) = await ActiveCampaignAsync(retryCount: 3, endDate: Now.AddHours(1));
        await Fixtures.Record(_client, campaign, new { externalId = "r", numbers = "+447400000001" });
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(("Expired", "EXPIRED"), await ScanAsync(campaign));
        Assert.Contains("AfterEndDate", await BlockersAsync(campaign));
        await HttpAssert.Problem(await _client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" }),
            HttpStatusCode.Conflict, "endDate");
        Assert.Equal(("Expired", "EXPIRED"), await ScanAsync(campaign)); // the refused PUT changed nothing

        await HttpAssert.Ok<JsonElement>(await _client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { endDate = Now.AddDays(2) }));
        Assert.Equal(("Active", "OPEN"), await ScanAsync(campaign));

        // The operator's Passive stays Passive past the end date.
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Passive" })).StatusCode);
        _time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(("Passive", "PASSIVE"), await ScanAsync(campaign));
    }
}
