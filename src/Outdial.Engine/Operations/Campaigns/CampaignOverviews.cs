using Outdial.Engine.Domain;
using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Campaigns;

/// <summary>A campaign as a supervisor's list shows it: its queue's name, its counts now and how many agents are logged on to it.</summary>
public sealed record CampaignOverview(Campaign Campaign, string? QueueName, CampaignCounts Counts, int LoggedOn);

/// <summary>Campaigns with their queue, counts and logged-on agents (OBI's campaign entity), from the store's real state.</summary>
public sealed class CampaignOverviews(IStore store, TimeProvider time)
{
    public async Task<IReadOnlyList<CampaignOverview>> ListAsync(long tenant, CancellationToken ct) =>
        await OverviewsAsync(tenant, await store.ListCampaignsAsync(tenant, ct), ct);

    /// <summary>One campaign's overview, or <see cref="ErrorKind.NotFound"/>.</summary>
    public async Task<CampaignOverview> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var cid) && await store.GetCampaignAsync(tenant, cid, ct) is { } campaign
            ? (await OverviewsAsync(tenant, [campaign], ct))[0]
            : throw OperationException.NotFound($"campaign '{id}'");

    private async Task<IReadOnlyList<CampaignOverview>> OverviewsAsync(long tenant, IReadOnlyList<Campaign> campaigns, CancellationToken ct)
    {
        if (campaigns.Count == 0) return [];
        var now = time.GetUtcNow();
        var queues = (await store.ListQueuesAsync(tenant, ct)).ToDictionary(q => q.Id, q => q.Name, StringComparer.Ordinal);
        var loggedOn = (await store.ListAgentSessionsAsync(tenant, null, ct))
            .GroupBy(s => s.CampaignId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<CampaignOverview>(campaigns.Count);
        foreach (var campaign in campaigns)
        {
            // A campaign deleted since it was listed has no counts: left out, as a list read a moment later would.
            if (await store.GetCampaignCountsAsync(tenant, campaign.Id, now, ct) is not { } counts) continue;
            result.Add(new CampaignOverview(campaign, campaign.QueueId is { } q ? queues.GetValueOrDefault(q) : null, counts,
                loggedOn.GetValueOrDefault(campaign.Id)));
        }
        return result;
    }
}
