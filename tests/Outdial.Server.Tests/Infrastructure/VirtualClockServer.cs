using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Campaigns;

namespace Outdial.Server.Tests.Infrastructure;

/// <summary>A server on a virtual clock whose records a test dials itself through the store (claim, start, finish):
/// what HTTP reads then report is checked against calls made one by one.</summary>
public abstract class VirtualClockServer : IDisposable
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2); // fails a hung test; no timing is asserted
    private readonly OutdialFactory _factory = new();

    protected VirtualClockServer()
    {
        App = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time)));
        Client = App.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new("Bearer", OutdialFactory.BootstrapKey);
        Store = App.Services.GetRequiredService<IStore>();
    }

    protected FakeTimeProvider Time { get; } = new(Now);
    protected WebApplicationFactory<Program> App { get; }
    protected HttpClient Client { get; }
    protected IStore Store { get; }

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An Active campaign open all day in UTC, of the tenant "default" (the bootstrap key's).</summary>
    protected async Task<(string Campaign, long Tenant)> ActiveCampaignAsync(string name, int retryCount, string dialingMode = "PROGRESSIVE", DateTimeOffset? endDate = null)
    {
        var (campaign, _) = await Fixtures.Campaign(Client, name,
            new { timeZone = "UTC", callingWindow = new { start = "00:00", end = "23:59" }, dialingMode, retryCount, endDate });
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" })).StatusCode);
        return (campaign, await Store.EnsureTenantAsync("default", Ct));
    }

    /// <summary>Claims the callable record with this external id and ends one attempt on it with the given result.</summary>
    protected async Task DialAsync(long tenant, string campaign, string externalId, CallResult result, string? agentId = null)
    {
        var now = Time.GetUtcNow();
        var claimed = await Store.ClaimCallableAsync(tenant, campaign, 100, "probe", TimeSpan.FromMinutes(5), now, Ct);
        var mine = claimed.Single(c => c.Record.ExternalId == externalId);
        foreach (var other in claimed.Where(c => c != mine)) await Store.ReleaseLeaseAsync(tenant, other.Lease, Ct);
        var start = await Store.StartAttemptAsync(tenant, mine.Lease, TimeSpan.FromMinutes(10), now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);
        var finish = await Store.FinishAttemptAsync(tenant, start.AttemptId!, new AttemptOutcome(result, start.PhoneIndex),
            new AttemptDetails { AgentId = agentId }, now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
    }

    /// <summary>Waits until the background re-evaluation of waiting records has caught up with the changes made.</summary>
    protected async Task SettleAsync() => await App.Services.GetRequiredService<ReevaluationWorker>().WhenIdleAsync().WaitAsync(HangGuard);
}
