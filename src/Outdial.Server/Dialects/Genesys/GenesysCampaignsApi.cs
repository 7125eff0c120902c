using System.Security.Claims;
using System.Text.Json;
using Outdial.Engine.Operations.AgentWork;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>
/// <c>POST /api/v2/me/outbound-campaigns/{campaign_name}</c> with <c>GetPreviewRecord</c>: the next record of the agent's
/// preview campaign is held for the agent and offered as a PreviewRecord notification (NoRecordsAvailable when none is
/// callable now), from the engine's record.offered event.
/// </summary>
internal static class GenesysCampaignsApi
{
    public static void MapGenesysCampaigns(this RouteGroupBuilder api) =>
        api.MapPost("/me/outbound-campaigns/{campaignName}", HandleAsync);

    private static async Task<IResult> HandleAsync(string campaignName, HttpContext http, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct)
    {
        if (GenesysApi.AgentOf(user) is not var (tenant, agent)) return GenesysResults.AgentKeyRequired();
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, GenesysRequest.Strict, ct);
        }
        catch (JsonException e)
        {
            return GenesysResults.Error(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}");
        }
        var request = new GenesysRequest(body);
        var operation = request.Text("operationName", required: true);
        if (request.Error is null && operation != "GetPreviewRecord")
            return GenesysResults.Error(StatusCodes.Status400BadRequest, $"unknown operationName '{operation}' on a campaign: use GetPreviewRecord");
        var reference = request.Text("referenceId");
        if (request.Error is { } error) return GenesysResults.Error(StatusCodes.Status400BadRequest, error);

        var campaign = await work.CampaignOfAsync(tenant, agent, ct);
        if (!string.Equals(campaign.Name, campaignName, StringComparison.Ordinal))
            return GenesysResults.Error(StatusCodes.Status404NotFound, $"the agent works in campaign '{campaign.Name}', not '{campaignName}'");
        await work.PreviewAsync(tenant, agent, ct, reference);
        return GenesysResults.Accepted();
    }
}
