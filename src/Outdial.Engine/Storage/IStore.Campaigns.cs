using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    Task<IReadOnlyList<Campaign>> ListCampaignsAsync(long tenant, CancellationToken ct);

    /// <summary>Every Active or Handled campaign of every tenant: what the dialer service runs (a Handled campaign's
    /// runner dials nothing, keeps its agents' sessions, and dials again when records arrive and the campaign is Active).</summary>
    Task<IReadOnlyList<TenantCampaign>> ListDialedCampaignsAsync(CancellationToken ct);

    Task<Campaign?> GetCampaignAsync(long tenant, string id, CancellationToken ct);

    /// <summary>The campaign with the IDs of the lists feeding it (default list first), in one read: what a campaign GET
    /// answers.</summary>
    Task<CampaignWithLists?> GetCampaignWithListsAsync(long tenant, string id, CancellationToken ct);

    /// <summary><see cref="ListCampaignsAsync"/> with each campaign's lists, in one read.</summary>
    Task<IReadOnlyList<CampaignWithLists>> ListCampaignsWithListsAsync(long tenant, CancellationToken ct);
    Task<Campaign?> GetCampaignByNameAsync(long tenant, string name, CancellationToken ct);

    /// <summary>Creates the campaign and its default list (named after the campaign) in one transaction.</summary>
    Task<Campaign> CreateCampaignAsync(long tenant, Campaign campaign, CancellationToken ct);
    Task<bool> UpdateCampaignAsync(long tenant, Campaign campaign, CancellationToken ct);
    Task<bool> DeleteCampaignAsync(long tenant, string id, CancellationToken ct);

    /// <summary>Records the self-tuned OBI increasePredictiveRatio; no other field changes and no re-evaluation follows.</summary>
    Task SetIncreasePredictiveRatioAsync(long tenant, string campaignId, double ratio, CancellationToken ct);

    /// <summary>IDs of the lists feeding the campaign, default list first.</summary>
    Task<IReadOnlyList<string>> GetCampaignListIdsAsync(long tenant, string campaignId, CancellationToken ct);

    /// <summary>Feeds a list to a campaign: each of its records gets a fresh progress row in the campaign.</summary>
    /// <exception cref="ConflictException">an externalId of the list already exists in another list of the campaign</exception>
    Task<bool> AttachListAsync(long tenant, string campaignId, string listId, CancellationToken ct);
    Task<bool> DetachListAsync(long tenant, string campaignId, string listId, CancellationToken ct);
}

/// <summary>A campaign with the IDs of the lists feeding it, default list first.</summary>
public sealed record CampaignWithLists(Campaign Campaign, IReadOnlyList<string> ListIds);

/// <summary>A campaign with the tenant that owns it, for services that run across tenants (the dialer).</summary>
public sealed record TenantCampaign(long TenantId, Campaign Campaign);
