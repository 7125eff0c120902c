using System.Security.Claims;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Campaigns;

internal static class CampaignsApi
{
    public static void MapCampaignsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns").WithTags("Campaigns");

        group.MapGet("/", async (ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
            TypedResults.Ok((await campaigns.ListAsync(user.TenantId(), ct)).Select(c => c.AsDto()).ToList()))
            .WithSummary("List campaigns");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
            TypedResults.Ok((await campaigns.GetAsync(user.TenantId(), id, ct)).AsDto()))
            .WithSummary("Get a campaign").WithId("id", "The campaign's id (id32 or id36).").ProducesNotFound();

        group.MapPost("/", async (CampaignInput input, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var campaign = (await campaigns.CreateAsync(user.TenantId(), input.ToChanges(), ct)).AsDto();
            return TypedResults.Created($"/api/v1/campaigns/{campaign.Id}", campaign);
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Create a campaign")
            .WithDescription("Creates a Passive campaign and its default list (named after it). Omitted fields take their defaults; set the status to Active to dial.")
            .WithExample(CampaignExamples.Input, CampaignExamples.Output).ProducesInvalid();

        group.MapPut("/{id}", async (string id, CampaignInput input, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
            TypedResults.Ok((await campaigns.UpdateAsync(user.TenantId(), id, input.ToChanges(), partial: false, ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Replace a campaign's settings")
            .WithDescription("Every omitted field takes its default. Waiting records are re-evaluated in the background (see diagnostics' reevaluationPending).")
            .WithId("id", "The campaign's id.").WithExample(CampaignExamples.Input, CampaignExamples.Output).ProducesInvalid().ProducesNotFound();

        group.MapPatch("/{id}", async (string id, CampaignInput input, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
            TypedResults.Ok((await campaigns.UpdateAsync(user.TenantId(), id, input.ToChanges(), partial: true, ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Change some of a campaign's settings")
            .WithDescription("Omitted fields keep their value; given rules are merged into the campaign's rules. Waiting records are re-evaluated in the background.")
            .WithId("id", "The campaign's id.").WithExample("""{"callingWindow": {"start": "09:00", "end": "20:00"}, "retryCount": 5}""", CampaignExamples.Output)
            .ProducesInvalid().ProducesNotFound();

        group.MapPut("/{id}/status", async (string id, StatusInput input, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            await campaigns.SetStatusAsync(user.TenantId(), id, input.Status, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Start or stop dialing a campaign")
            .WithDescription("Active (dialer OPEN) or Passive (dialer PASSIVE); the other statuses are derived by the dialer. Active after the campaign's endDate is refused with 409: move the endDate first.")
            .WithId("id", "The campaign's id.").WithExample("""{"status": "Active"}""", null).ProducesInvalid().ProducesNotFound().ProducesConflict();

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            await campaigns.DeleteAsync(user.TenantId(), id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Delete a campaign").WithId("id", "The campaign's id.").ProducesNotFound();

        group.MapPut("/{id}/lists/{listId}", async (string id, string listId, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            await campaigns.AttachListAsync(user.TenantId(), id, listId, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Feed a calling list to a campaign")
            .WithDescription("Each record of the list gets its own progress in the campaign. Refused with 409 when an externalId of the list is already in another list of the campaign.")
            .WithId("id", "The campaign's id.").WithId("listId", "The calling list's id.").ProducesNotFound().ProducesConflict();

        group.MapDelete("/{id}/lists/{listId}", async (string id, string listId, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            await campaigns.DetachListAsync(user.TenantId(), id, listId, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Stop feeding a calling list to a campaign")
            .WithId("id", "The campaign's id.").WithId("listId", "The calling list's id.").ProducesNotFound();
    }
}

/// <summary>Example bodies for the OpenAPI document.</summary>
internal static class CampaignExamples
{
    public const string Input = """
        {"name": "Spring renewals", "dialingMode": "PREDICTIVE", "timeZone": "Europe/Berlin", "defaultRegion": "DE",
         "abandonRate": 3.0, "retryCount": 3, "callingWindow": {"start": "09:00", "end": "20:00"},
         "rules": {"NOANSWER": {"action": "Retry", "delaySeconds": 1800}}}
        """;

    public const string Output = """
        {"id": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5B", "name": "Spring renewals", "dialerType": "CampaignDialer", "dialingMode": "PREDICTIVE",
         "status": "Passive", "dialerStatus": "PASSIVE", "timeZone": "Europe/Berlin", "abandonRate": 3.0, "increasePredictiveRatio": 0,
         "registered": "2026-03-02T12:00:00+00:00", "modified": "2026-03-02T12:00:00+00:00", "retryCount": 3,
         "callingWindow": {"start": "09:00", "end": "20:00"}, "defaultRegion": "DE", "noRedialAfterAbandonHours": 72,
         "rules": {"NOANSWER": {"action": "Retry", "delaySeconds": 1800}}, "defaultListId": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5C",
         "lists": ["0195A1B2C3D47E5F8A9B0C1D2E3F4A5C"]}
        """;
}
