using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Statistics;

internal static class StatisticsApi
{
    public sealed record CampaignStatisticsDto(
        StatisticsCounters Total, StatisticsCounters Daily, DateOnly Date, CampaignCounts Counts,
        double AbandonRate24h, double AbandonRate30d);

    public static void MapStatisticsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Statistics");

        // Totals since the campaign began plus one UTC day (default today), as OBI's stats.total / stats.daily.
        group.MapGet("/campaigns/{campaignId}/statistics", async Task<Results<Ok<CampaignStatisticsDto>, ProblemHttpResult>> (
            string campaignId, string? date, string? agentId, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            var now = time.GetUtcNow();
            var day = date is null ? DateOnly.FromDateTime(now.UtcDateTime) : ParseDay(date, "date");
            var cid = Validate.Id(campaignId, "campaignId");
            var aid = agentId is null ? null : Validate.Id(agentId, "agentId");
            var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var total = await store.GetStatisticsAsync(tenant, cid, DateTimeOffset.UnixEpoch, now.AddMilliseconds(1), aid, now, ct);
            var daily = await store.GetStatisticsAsync(tenant, cid, dayStart, dayStart.AddDays(1), aid, now, ct);
            var counts = await store.GetCampaignCountsAsync(tenant, cid, now, ct);
            if (total is null || daily is null || counts is null) return Problem.NotFound($"campaign '{campaignId}'" + (aid is null ? "" : $" or agent '{agentId}'"));
            var rate24 = await store.GetAbandonRateAsync(tenant, cid, TimeSpan.FromHours(24), now, ct);
            var rate30 = await store.GetAbandonRateAsync(tenant, cid, TimeSpan.FromDays(30), now, ct);
            return TypedResults.Ok(new CampaignStatisticsDto(total, daily, day, counts, rate24.Percent, rate30.Percent));
        });

        group.MapGet("/campaigns/{campaignId}/counts", async Task<Results<Ok<CampaignCounts>, ProblemHttpResult>> (
            string campaignId, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
            await store.GetCampaignCountsAsync(user.TenantId(), Validate.Id(campaignId, "campaignId"), time.GetUtcNow(), ct) is { } counts
                ? TypedResults.Ok(counts)
                : Problem.NotFound($"campaign '{campaignId}'"));

        group.MapGet("/campaigns/{campaignId}/result-statistics", async Task<Results<Ok<IReadOnlyList<ResultStatistics>>, ProblemHttpResult>> (
            string campaignId, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var cid = Validate.Id(campaignId, "campaignId");
            if (await store.GetCampaignAsync(user.TenantId(), cid, ct) is null) return Problem.NotFound($"campaign '{campaignId}'");
            return TypedResults.Ok(await store.GetResultStatisticsAsync(user.TenantId(), cid, ct));
        });

        // Per campaign and agent over whole UTC days [startDate, endDate], as OBI's /statistics.
        group.MapGet("/statistics", async (string? startDate, string? endDate, string? campaignId, string? agentId, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var from = startDate is null ? today : ParseDay(startDate, "startDate");
            var to = endDate is null ? today : ParseDay(endDate, "endDate");
            if (to < from) throw new ValidationException("'endDate' is before 'startDate'");
            var rows = await store.GetAgentStatisticsAsync(user.TenantId(),
                new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                campaignId is null ? null : Validate.Id(campaignId, "campaignId"), agentId is null ? null : Validate.Id(agentId, "agentId"), now, ct);
            return TypedResults.Ok(rows);
        });
    }

    /// <summary>A UTC day, given as a date or as midnight of it (OBI sends 2023-05-16T00:00:00Z).</summary>
    private static DateOnly ParseDay(string value, string field)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return InRange(d, field);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            if (t.TimeOfDay != TimeSpan.Zero) throw new ValidationException($"'{field}' must be a whole UTC day (00:00:00Z): statistics are kept per UTC day");
            return InRange(DateOnly.FromDateTime(t.UtcDateTime), field);
        }
        throw new ValidationException($"'{field}' must be a date (2026-01-31) or a UTC midnight (2026-01-31T00:00:00Z), got '{value}'");
    }

    /// <summary>The store's range of days; the last one stops short of DateOnly.MaxValue, whose end (the next midnight) has no value.</summary>
    private static DateOnly InRange(DateOnly day, string field) =>
        day.Year >= 1900 && day < DateOnly.MaxValue
            ? day
            : throw new ValidationException($"'{field}' is out of range (1900-01-01 to 9999-12-30), got {day:yyyy-MM-dd}");
}
