using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outdial.Engine.Agents;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Features;

/// <summary>`--demo`: the campaign is ready to dial before the server listens, and its records are all there soon after.</summary>
public sealed class DemoTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task The_demo_starts_with_ready_agents_and_its_first_records_and_writes_the_rest_in_the_background_once()
    {
        var dataDir = "";
        for (var run = 0; run < 2; run++) // a restart on the same files adds nothing
        {
            using var factory = new OutdialFactory(run == 0 ? null : dataDir) { KeepData = run == 0 };
            dataDir = factory.DataDir;
            factory.Settings["Outdial:Demo"] = "true";
            _ = factory.Server;
            var store = factory.Store;
            var tenant = await store.EnsureTenantAsync("demo", Ct);
            var campaign = (await store.GetCampaignByNameAsync(tenant, DemoSeeder.CampaignName, Ct))!;
            Assert.Equal(Engine.Domain.CampaignStatus.Active, campaign.Status);
            var sessions = await store.ListAgentSessionsAsync(tenant, campaign.Id, Ct);
            Assert.Equal(10, sessions.Count(s => s.State == AgentState.Ready));
            Assert.InRange((await store.GetCampaignCountsAsync(tenant, campaign.Id, DateTimeOffset.UtcNow, Ct))!.Total, DemoSeeder.FirstRecords, DemoSeeder.Records);

            // The seeder's own background task ends when the rest is written: awaited, not polled on the wall clock.
            var seeder = factory.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();
            await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            var total = (await store.GetCampaignCountsAsync(tenant, campaign.Id, DateTimeOffset.UtcNow, Ct))!.Total;
            Assert.Equal(DemoSeeder.Records, total);
        }
    }
}
