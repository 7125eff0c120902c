using System.Collections.Concurrent;
using Outdial.Engine.Dialing;
using Outdial.Engine.Events;
using Outdial.Engine.Simulation;
using Outdial.Engine.Storage;
using Outdial.Engine.Telephony;

namespace Outdial.Server.Features.Dialing;

/// <summary>Runs a <see cref="CampaignRunner"/> for every Active campaign and stops it when the campaign stops.</summary>
/// <remarks>Campaign changes reach runners within <see cref="ScanInterval"/>; pacing itself reacts to every call and agent event.</remarks>
internal sealed class DialerService(IStore store, ITelephony telephony, EventBus events, TimeProvider time, DemoCampaigns demo, RunningCampaigns runners, ILogger<DialerService> logger)
    : BackgroundService
{
    private static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(2);

    public CampaignRunner? Runner(long tenant, string campaignId) => runners.Find(tenant, campaignId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ScanInterval, time);
        do
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            // Only the service's own stop ends it: any other failure, a foreign cancellation included, waits for the next scan.
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Dialer scan failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Brings campaigns' derived status up to date (Handled, Expired, Active again), then starts runners for
    /// Active and Handled campaigns and stops the others (every 2 s when hosted; tests call it directly).</summary>
    internal async Task ScanAsync(CancellationToken ct)
    {
        foreach (var t in await store.ApplyCampaignLifecycleAsync(time.GetUtcNow(), ct))
        {
            events.Publish(t.TenantId, new CampaignStatusChanged(t.CampaignId, t.To, t.DialerStatus, t.From));
            logger.LogInformation("Campaign {CampaignId} is now {Status} ({DialerStatus})", t.CampaignId, t.To, t.DialerStatus);
        }
        var active = (await store.ListDialedCampaignsAsync(ct)).ToDictionary(c => c.Campaign.Id, StringComparer.Ordinal);
        foreach (var (id, tc) in active)
        {
            if (runners.TryGet(id, out var existing))
            {
                existing.Update(tc.Campaign);
                continue;
            }
            var options = new RunnerOptions { SimulateAgents = demo.Contains(id) };
            Func<double>? wrap = telephony is SimulatedNetwork sim ? sim.DrawWrapSeconds : null;
            var runner = new CampaignRunner(store, telephony, events, time, tc.TenantId, tc.Campaign, options, wrap, seed: id.GetHashCode(StringComparison.Ordinal));
            runners.Add(tc.TenantId, id, runner);
            runner.Start();
            events.Publish(tc.TenantId, new DialerStarted(id, tc.Campaign.DialingMode));
            logger.LogInformation("Dialing campaign {CampaignId} ({Mode})", id, tc.Campaign.DialingMode);
        }
        foreach (var (id, tenant, runner) in runners.All())
        {
            if (active.ContainsKey(id)) continue;
            runners.Remove(id);
            await runner.DisposeAsync();
            events.Publish(tenant, new DialerStopped(id));
            logger.LogInformation("Stopped dialing campaign {CampaignId}", id);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (_, _, runner) in runners.All()) await runner.DisposeAsync();
        runners.Clear();
    }
}

/// <summary>Campaigns whose agents are simulated (the demo); real agents complete calls through the API.</summary>
internal sealed class DemoCampaigns
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public void Add(string campaignId) => _ids[campaignId] = 0;

    public bool Contains(string campaignId) => _ids.ContainsKey(campaignId);
}
