using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Campaigns;

/// <summary>A campaign with the lists feeding it, default list first.</summary>
public sealed record CampaignView(Campaign Campaign, IReadOnlyList<string> Lists);

/// <summary>
/// Campaigns: create, read, update, status, delete, and the lists that feed them. Every change that may make waiting
/// records callable again (window, caps, status, ...) raises the <see cref="ReevaluationSignal"/> after it commits.
/// </summary>
/// <remarks>Ids are taken as the caller wrote them: one that is not an id32/id36 is simply not found.</remarks>
public sealed class CampaignOperations(IStore store, TimeProvider time, ReevaluationSignal reevaluation)
{
    public async Task<IReadOnlyList<CampaignView>> ListAsync(long tenant, CancellationToken ct) =>
        (await store.ListCampaignsWithListsAsync(tenant, ct)).Select(c => new CampaignView(c.Campaign, c.ListIds)).ToList();

    public async Task<CampaignView> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var cid) && await store.GetCampaignWithListsAsync(tenant, cid, ct) is { } found
            ? new CampaignView(found.Campaign, found.ListIds)
            : throw OperationException.NotFound($"campaign '{id}'");

    /// <summary>The campaign, or <see cref="ErrorKind.NotFound"/>.</summary>
    public async Task<Campaign> FindAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var cid) && await store.GetCampaignAsync(tenant, cid, ct) is { } campaign
            ? campaign
            : throw OperationException.NotFound($"campaign '{id}'");

    /// <summary>
    /// The one campaign whose id starts with <paramref name="prefix"/> (hex digits, any case), for dialects whose ids are
    /// shorter than id32; <see cref="ErrorKind.NotFound"/> when none does, <see cref="ErrorKind.Conflict"/> when several do.
    /// </summary>
    public async Task<Campaign> FindByIdPrefixAsync(long tenant, string prefix, CancellationToken ct)
    {
        var found = (await store.ListCampaignsAsync(tenant, ct))
            .Where(c => c.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw OperationException.NotFound($"campaign '{prefix}'"),
            _ => throw OperationException.Conflict($"campaign id '{prefix}' names several campaigns: address one by its full id"),
        };
    }

    /// <summary>Creates a Passive campaign with its default list.</summary>
    public async Task<CampaignView> CreateAsync(long tenant, CampaignChanges changes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var campaign = changes.ApplyTo(new Campaign { Id = Id32.New(), Name = "", Registered = now, Modified = now }, partial: false);
        campaign = await store.CreateCampaignAsync(tenant, campaign, ct);
        return new CampaignView(campaign, [campaign.DefaultListId!]);
    }

    /// <summary>Replaces (<paramref name="partial"/> false: omitted fields take their defaults) or patches the campaign.</summary>
    public async Task<CampaignView> UpdateAsync(long tenant, string id, CampaignChanges changes, bool partial, CancellationToken ct)
    {
        var existing = await FindAsync(tenant, id, ct);
        var campaign = changes.ApplyTo(existing, partial) with { Modified = time.GetUtcNow() };
        await SaveAsync(tenant, id, campaign, ct);
        return new CampaignView(campaign, await store.GetCampaignListIdsAsync(tenant, campaign.Id, ct));
    }

    /// <summary>
    /// Sets the operator's status: Active (dialer OPEN) or Passive (dialer PASSIVE). The other statuses are derived by the
    /// dialer (<see cref="Dialing.CampaignLifecycle"/>) and cannot be set; Active past the endDate is a conflict, as the
    /// next scan would make it Expired again.
    /// </summary>
    public async Task SetStatusAsync(long tenant, string id, CampaignStatus? status, CancellationToken ct)
    {
        if (status is not (CampaignStatus.Active or CampaignStatus.Passive))
            throw new ValidationException("'status' must be Active or Passive", "status");
        var campaign = await FindAsync(tenant, id, ct);
        var now = time.GetUtcNow();
        if (status == CampaignStatus.Active && campaign.EndDate is { } end && now >= end)
            throw OperationException.Conflict($"campaign '{id}' ended at its endDate {end:yyyy-MM-ddTHH:mm:ssZ}: move the endDate later to make it Active again");
        await SaveAsync(tenant, id, campaign with
        {
            Status = status.Value,
            DialerStatus = DialerStatusOf(status.Value),
            Modified = now,
        }, ct);
    }

    /// <summary>The dialer status an operator's status opens: Active dials (OPEN), Passive does not.</summary>
    public static DialerStatus DialerStatusOf(CampaignStatus status) =>
        status == CampaignStatus.Active ? DialerStatus.OPEN : DialerStatus.PASSIVE;

    public async Task DeleteAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var cid) || !await store.DeleteCampaignAsync(tenant, cid, ct))
            throw OperationException.NotFound($"campaign '{id}'");
    }

    /// <summary>Feeds the list to the campaign; <see cref="ErrorKind.Conflict"/> when an externalId would be there twice.</summary>
    public async Task AttachListAsync(long tenant, string id, string listId, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var cid) || !Id32.TryNormalize(listId, out var lid) || !await store.AttachListAsync(tenant, cid, lid, ct))
            throw OperationException.NotFound($"campaign '{id}' or list '{listId}'");
    }

    public async Task DetachListAsync(long tenant, string id, string listId, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var cid) || !Id32.TryNormalize(listId, out var lid) || !await store.DetachListAsync(tenant, cid, lid, ct))
            throw OperationException.NotFound($"list '{listId}' in campaign '{id}'");
    }

    private async Task SaveAsync(long tenant, string id, Campaign campaign, CancellationToken ct)
    {
        if (!await store.UpdateCampaignAsync(tenant, campaign, ct)) throw OperationException.NotFound($"campaign '{id}'");
        reevaluation.Raise(); // the update recorded any re-evaluation it needs (window, caps, ...); done in the background
    }
}
