using System.Security.Claims;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Statistics;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>OBI's /campaigns: list and search, get, replace, status.</summary>
internal static class SinchCampaignsApi
{
    public static void MapSinchCampaigns(this RouteGroupBuilder obi)
    {
        obi.MapGet("/campaigns", async (HttpRequest request, ClaimsPrincipal user, CampaignOverviews overviews, StatisticsOperations statistics, CancellationToken ct) =>
        {
            var search = SinchCampaignSearch.Parse(request.Query, filters: true);
            var tenant = user.TenantId();
            var result = new List<SinchCampaign>();
            foreach (var overview in await overviews.ListAsync(tenant, ct))
            {
                var campaign = overview.AsSinch(null);
                if (!search.Matches(campaign)) continue;
                if (search.Statistics && await WithStatsAsync(campaign, search, tenant, statistics, ct) is { } withStats) result.Add(withStats);
                else if (!search.Statistics) result.Add(campaign);
            }
            return SinchResults.Ok(result, "campaigns", "campaign");
        });

        obi.MapGet("/campaigns/{campaignId}", async (string campaignId, HttpRequest request, ClaimsPrincipal user, CampaignOverviews overviews,
            StatisticsOperations statistics, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var search = SinchCampaignSearch.Parse(request.Query, filters: false);
            var tenant = user.TenantId();
            var campaign = (await overviews.GetAsync(tenant, id, ct)).AsSinch(null);
            if (search.Statistics) campaign = await WithStatsAsync(campaign, search, tenant, statistics, ct) ?? campaign;
            return SinchResults.Ok(campaign, "campaign");
        });

        obi.MapPut("/campaigns/{campaignId}", async (string campaignId, HttpRequest request, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var input = await SinchWire.ReadAsync<SinchCampaign>(request, "campaign", null, ct);
            await campaigns.UpdateAsync(user.TenantId(), id, input.ToChanges(), partial: true, ct);
            return Results.NoContent();
        }).RequireAuthorization(Policies.Write);

        obi.MapPut("/campaigns/{campaignId}/status", async (string campaignId, HttpRequest request, ClaimsPrincipal user, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var text = await SinchWire.ReadTextAsync(request, ct);
            CampaignStatus? status = text switch
            {
                "Active" => CampaignStatus.Active,
                "Passive" => CampaignStatus.Passive,
                _ => throw new ValidationException($"the status must be Active or Passive, got '{text}'", "status"),
            };
            await campaigns.SetStatusAsync(user.TenantId(), id, status, ct);
            return Results.NoContent();
        }).RequireAuthorization(Policies.Write);
    }

    /// <summary>The campaign with its stats; null when agents were asked for and none of them worked on it (OBI then leaves
    /// the campaign out of the list).</summary>
    private static async Task<SinchCampaign?> WithStatsAsync(SinchCampaign campaign, SinchCampaignSearch search, long tenant, StatisticsOperations statistics, CancellationToken ct)
    {
        CampaignStatistics figures;
        try
        {
            figures = search.AgentIds is { } agents
                ? await statistics.GetCampaignForAgentsAsync(tenant, campaign.Id!, search.StatisticsDate, agents, ct)
                : await statistics.GetCampaignAsync(tenant, campaign.Id!, search.StatisticsDate, null, ct);
        }
        catch (OperationException e) when (e.Kind == ErrorKind.NotFound && search.AgentIds is not null)
        {
            return null;
        }
        var stats = figures.AsSinchStats(withTotal: search.StatisticsDate is null);
        return stats is null && search.AgentIds is not null ? null : campaign with { Stats = stats };
    }
}
