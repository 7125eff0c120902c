using System.Collections.Concurrent;

namespace Outdial.Engine.Dialing;

/// <summary>The campaigns being dialed in this process and their runners: the host starts and stops them, operations (agent
/// work) find the runner of a campaign here.</summary>
public sealed class RunningCampaigns
{
    private readonly ConcurrentDictionary<string, (long Tenant, CampaignRunner Runner)> _runners = new(StringComparer.Ordinal);

    /// <summary>The runner of a campaign of this tenant, or null when the campaign is not being dialed here.</summary>
    public CampaignRunner? Find(long tenant, string campaignId) =>
        _runners.TryGetValue(campaignId, out var r) && r.Tenant == tenant ? r.Runner : null;

    public bool TryGet(string campaignId, out CampaignRunner runner)
    {
        var found = _runners.TryGetValue(campaignId, out var r);
        runner = r.Runner;
        return found;
    }

    public void Add(long tenant, string campaignId, CampaignRunner runner) => _runners[campaignId] = (tenant, runner);

    public bool Remove(string campaignId) => _runners.TryRemove(campaignId, out _);

    /// <summary>A snapshot of the running campaigns.</summary>
    public IReadOnlyList<(string CampaignId, long Tenant, CampaignRunner Runner)> All() =>
        _runners.Select(r => (r.Key, r.Value.Tenant, r.Value.Runner)).ToList();

    public void Clear() => _runners.Clear();
}
