using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Records;

internal static class CompletedApi
{
    public sealed record CompletedDto(long Sequence, DateTimeOffset? CompletedTime, RecordDto Record, string? LastPhone,
        double? LastCallDuration, string? LastAgent, long TotalAttempts);

    public sealed record CompletedPageDto(IReadOnlyList<CompletedDto> Items, string? NextCursor);

    /// <summary>Records completed in a campaign since a time, in completion order; page with <c>cursor</c> (never skips or repeats).</summary>
    public static void MapCompletedApi(this RouteGroupBuilder api) =>
        api.MapGet("/campaigns/{campaignId}/completed", async Task<Results<Ok<CompletedPageDto>, ProblemHttpResult>> (
            string campaignId, string? since, string? listId, int? limit, string? cursor, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            DateTimeOffset? from = null;
            if (since is not null)
            {
                if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) || t.Year is < 1900 or > 9999)
                    return Problem.BadRequest($"'since' must be an ISO 8601 time, got '{since}'");
                from = t;
            }
            if (limit is < 1 or > 1000) return Problem.BadRequest("'limit' must be between 1 and 1000");
            long after = 0;
            if (cursor is not null && !(cursor.StartsWith('c') && long.TryParse(cursor.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out after)))
                return Problem.BadRequest($"'cursor' is not a cursor this server issued: '{cursor}'");
            var size = limit ?? 100;
            var page = await store.GetCompletedAsync(user.TenantId(), Validate.Id(campaignId, "campaignId"),
                listId is null ? null : Validate.Id(listId, "listId"), from, after, size, ct);
            if (page is null) return Problem.NotFound($"campaign '{campaignId}'" + (listId is null ? "" : $" or its list '{listId}'"));
            var items = page.Select(c => new CompletedDto(c.Sequence, c.Record.Progress[0].ClosedAt, c.Record.AsDto(), c.LastPhone,
                c.LastCallDuration, c.LastAgent, c.TotalAttempts)).ToList();
            var next = items.Count == size ? "c" + items[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new CompletedPageDto(items, next));
        }).WithTags("Records");
}
