using System.Security.Claims;
using System.Text.Json.Serialization;
using Outdial.Engine.Operations.Statistics;
using Outdial.Engine.Statistics;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Sinch;

internal sealed record SinchResultStatistics(string Result, string? CallResult, string? Classifier, long Count);

/// <summary>A row of /statistics: one campaign and agent; a null agent is what the dialer handled without one (written as null).</summary>
internal sealed record SinchStatisticsRow : SinchCounters
{
    public SinchStatisticsRow(SinchCounters counters) : base(counters) { }

    public required string CampaignId { get; init; }
    public required string CampaignName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? AgentId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? AgentName { get; init; }

    public static SinchStatisticsRow Of(AgentStatistics a) => new(SinchCounters.Of(a.Counters, withAgents: false))
    {
        CampaignId = a.CampaignId,
        CampaignName = a.CampaignName,
        AgentId = a.AgentId,
        AgentName = a.AgentName,
    };
}

/// <summary>OBI's /campaigns/{campaignId}/customerResultStatistics and /statistics.</summary>
internal static class SinchStatisticsApi
{
    public static void MapSinchStatistics(this RouteGroupBuilder obi)
    {
        obi.MapGet("/campaigns/{campaignId}/customerResultStatistics", async (string campaignId, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var rows = await statistics.GetResultsAsync(user.TenantId(), id, ct);
            return SinchResults.Ok(rows.Select(r => new SinchResultStatistics(r.Result, r.CallResult, r.Classifier, r.Count)).ToList(),
                "customerResultStatistics", "customerResultStatistic");
        });

        obi.MapGet("/statistics", async (HttpRequest request, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
        {
            var query = request.Query;
            foreach (var key in query.Keys)
                if (key is not ("startDate" or "endDate" or "campaignId" or "agentId"))
                    throw new Engine.Operations.ValidationException($"unknown parameter '{key}'; valid: startDate, endDate, campaignId, agentId", key);
            var from = SinchQuery.One(query, "startDate") is { } s ? SinchQuery.Day(s, "startDate") : (DateOnly?)null;
            var to = SinchQuery.One(query, "endDate") is { } e ? SinchQuery.Day(e, "endDate") : (DateOnly?)null;
            var campaignId = SinchQuery.One(query, "campaignId") is { } c ? SinchIds.Parse(c, "campaignId") : null;
            // Several agents: the rows of each, which never overlap (one row per campaign and agent).
            IReadOnlyList<string?> agents = SinchQuery.One(query, "agentId") is { } a ? [.. SinchIds.ParseList(a, "agentId")] : [null];
            var rows = new List<SinchStatisticsRow>();
            foreach (var agent in agents)
                rows.AddRange((await statistics.GetByAgentAsync(user.TenantId(), from, to, campaignId, agent, ct)).Select(SinchStatisticsRow.Of));
            return SinchResults.Ok(rows, "statistics", "statistic");
        });
    }
}
