using System.Globalization;
using System.Security.Claims;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Statistics;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Statistics;

internal static class StatisticsApi
{
    public static void MapStatisticsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Statistics");

        group.MapGet("/campaigns/{campaignId}/statistics", async (
            string campaignId, string? date, string? agentId, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
            TypedResults.Ok((await statistics.GetCampaignAsync(user.TenantId(), campaignId, ParseDay(date, "date"), agentId, ct)).AsDto()))
            .WithSummary("A campaign's statistics: totals, one day, counts and abandon rates")
            .WithDescription("Totals since the campaign began and for one UTC day (default today), as OBI's stats.total and stats.daily, with the campaign's counts now and its abandon rate over 24 hours and 30 days. Recounted from the call history on every read.")
            .WithId("campaignId", "The campaign's id.").WithId("date", "The UTC day of 'daily': 2026-01-31 or 2026-01-31T00:00:00Z (default today).")
            .WithId("agentId", "Count only this agent's work.").ProducesInvalid().ProducesNotFound();

        group.MapGet("/campaigns/{campaignId}/counts", async (string campaignId, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
            TypedResults.Ok((await statistics.GetCountsAsync(user.TenantId(), campaignId, ct)).AsDto()))
            .WithSummary("How many of a campaign's records are in which condition now")
            .WithId("campaignId", "The campaign's id.").WithExample(null, """{"total": 1000, "handled": 250, "notHandled": 750, "callable": 600, "maxCalls": 40, "filtered": 110}""")
            .ProducesInvalid().ProducesNotFound();

        group.MapGet("/campaigns/{campaignId}/result-statistics", async (string campaignId, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
            TypedResults.Ok((await statistics.GetResultsAsync(user.TenantId(), campaignId, ct)).Select(r => r.AsDto()).ToList()))
            .WithSummary("A campaign's records by result").WithId("campaignId", "The campaign's id.").ProducesInvalid().ProducesNotFound();

        group.MapGet("/statistics", async (string? startDate, string? endDate, string? campaignId, string? agentId, ClaimsPrincipal user, StatisticsOperations statistics, CancellationToken ct) =>
            TypedResults.Ok((await statistics.GetByAgentAsync(user.TenantId(), ParseDay(startDate, "startDate"), ParseDay(endDate, "endDate"), campaignId, agentId, ct))
                .Select(a => a.AsDto()).ToList()))
            .WithSummary("Statistics per campaign and agent over whole UTC days")
            .WithDescription("One row per (campaign, agent) pair over the UTC days [startDate, endDate] (default today), as OBI's /statistics; a row without an agent is work the dialer did alone.")
            .WithId("startDate", "First UTC day: 2026-01-31 or 2026-01-31T00:00:00Z.").WithId("endDate", "Last UTC day, included.")
            .WithId("campaignId", "Only this campaign.").WithId("agentId", "Only this agent.").ProducesInvalid();
    }

    /// <summary>A UTC day, given as a date or as midnight of it (OBI sends 2023-05-16T00:00:00Z); null when not given.</summary>
    private static DateOnly? ParseDay(string? value, string field)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            if (t.TimeOfDay != TimeSpan.Zero) throw new ValidationException($"'{field}' must be a whole UTC day (00:00:00Z): statistics are kept per UTC day", field);
            return DateOnly.FromDateTime(t.UtcDateTime);
        }
        throw new ValidationException($"'{field}' must be a date (2026-01-31) or a UTC midnight (2026-01-31T00:00:00Z), got '{value}'", field);
    }
}
