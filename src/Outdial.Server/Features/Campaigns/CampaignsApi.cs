using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Campaigns;

internal static class CampaignsApi
{
    public static void MapCampaignsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns").WithTags("Campaigns");

        group.MapGet("/", async (ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            var result = new List<CampaignDto>();
            foreach (var campaign in await store.ListCampaignsAsync(tenant, ct))
                result.Add(campaign.AsDto(await store.GetCampaignListIdsAsync(tenant, campaign.Id, ct)));
            return TypedResults.Ok(result);
        });

        group.MapGet("/{id}", async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            await Find(id, user, store, ct) is { } campaign
                ? TypedResults.Ok(campaign.AsDto(await store.GetCampaignListIdsAsync(user.TenantId(), campaign.Id, ct)))
                : Problem.NotFound($"campaign '{id}'"));

        group.MapPost("/", async Task<Results<Created<CampaignDto>, ProblemHttpResult>> (CampaignInput input, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var campaign = input.Apply(new Campaign { Id = Id32.New(), Name = "", Registered = now, Modified = now }, partial: false);
            campaign = await store.CreateCampaignAsync(user.TenantId(), campaign, ct);
            return TypedResults.Created($"/api/v1/campaigns/{campaign.Id}", campaign.AsDto([campaign.DefaultListId!]));
        }).RequireAuthorization(Policies.Write);

        group.MapPut("/{id}", (string id, CampaignInput input, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, TimeProvider time, CancellationToken ct) =>
            Update(id, input, partial: false, user, store, reevaluation, time, ct)).RequireAuthorization(Policies.Write);

        group.MapPatch("/{id}", (string id, CampaignInput input, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, TimeProvider time, CancellationToken ct) =>
            Update(id, input, partial: true, user, store, reevaluation, time, ct)).RequireAuthorization(Policies.Write);

        group.MapPut("/{id}/status", async Task<Results<NoContent, ProblemHttpResult>> (
            string id, StatusInput input, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, TimeProvider time, CancellationToken ct) =>
        {
            if (input.Status is not (CampaignStatus.Active or CampaignStatus.Passive))
                return Problem.BadRequest("'status' must be Active or Passive");
            if (await Find(id, user, store, ct) is not { } campaign) return Problem.NotFound($"campaign '{id}'");
            // It would be Expired again at the dialer's next scan: say why instead.
            if (input.Status == CampaignStatus.Active && campaign.EndDate is { } end && time.GetUtcNow() >= end)
                return Problem.Conflict($"campaign '{id}' ended at its endDate {end:yyyy-MM-ddTHH:mm:ssZ}: move the endDate later to make it Active again");
            var updated = campaign with
            {
                Status = input.Status.Value,
                DialerStatus = input.Status == CampaignStatus.Active ? DialerStatus.OPEN : DialerStatus.PASSIVE,
                Modified = time.GetUtcNow(),
            };
            await store.UpdateCampaignAsync(user.TenantId(), updated, ct);
            reevaluation.Wake(); // the update recorded any re-evaluation it needs; done in the background
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var cid) && await store.DeleteCampaignAsync(user.TenantId(), cid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"campaign '{id}'"))
            .RequireAuthorization(Policies.Write);

        group.MapPut("/{id}/lists/{listId}", async Task<Results<NoContent, ProblemHttpResult>> (string id, string listId, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var cid) && Id32.TryNormalize(listId, out var lid) && await store.AttachListAsync(user.TenantId(), cid, lid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"campaign '{id}' or list '{listId}'"))
            .RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}/lists/{listId}", async Task<Results<NoContent, ProblemHttpResult>> (string id, string listId, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var cid) && Id32.TryNormalize(listId, out var lid) && await store.DetachListAsync(user.TenantId(), cid, lid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"list '{listId}' in campaign '{id}'"))
            .RequireAuthorization(Policies.Write);
    }

    internal static async Task<Campaign?> Find(string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        Id32.TryNormalize(id, out var cid) ? await store.GetCampaignAsync(user.TenantId(), cid, ct) : null;

    private static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Update(
        string id, CampaignInput input, bool partial, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, TimeProvider time, CancellationToken ct)
    {
        if (await Find(id, user, store, ct) is not { } existing) return Problem.NotFound($"campaign '{id}'");
        var campaign = input.Apply(existing, partial) with { Modified = time.GetUtcNow() };
        if (!await store.UpdateCampaignAsync(user.TenantId(), campaign, ct)) return Problem.NotFound($"campaign '{id}'");
        reevaluation.Wake(); // the update recorded any re-evaluation it needs (window, caps, ...); done in the background
        return TypedResults.Ok(campaign.AsDto(await store.GetCampaignListIdsAsync(user.TenantId(), campaign.Id, ct)));
    }
}
