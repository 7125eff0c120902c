using System.Globalization;
using System.Security.Claims;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Records;
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
        api.MapGet("/campaigns/{campaignId}/completed", async (
            string campaignId, string? since, string? listId, int? limit, string? cursor, ClaimsPrincipal user, CompletedOperations completed, CancellationToken ct) =>
        {
            var page = await completed.GetPageAsync(user.TenantId(), campaignId, listId, ParseSince(since), ParseCursor(cursor), limit, ct);
            var items = page.Items.Select(c => new CompletedDto(c.Sequence, c.Record.Progress[0].ClosedAt, c.Record.AsDto(), c.LastPhone,
                c.LastCallDuration, c.LastAgent, c.TotalAttempts)).ToList();
            return TypedResults.Ok(new CompletedPageDto(items, page.NextAfter is { } after ? "c" + after.ToString(CultureInfo.InvariantCulture) : null));
        }).WithTags("Records")
            .WithSummary("Records completed in a campaign, in completion order")
            .WithDescription("Records whose progress in the campaign closed at or after 'since', oldest first. Page with the nextCursor of the previous page: a page never skips or repeats a record.")
            .WithId("campaignId", "The campaign's id.").WithId("since", "Completed at or after this time (ISO 8601, UTC when no offset is given).")
            .WithId("listId", "Only records of this list of the campaign.").WithId("limit", "Records per page, 1-1000 (default 100).")
            .WithId("cursor", "The nextCursor of the previous page.").ProducesInvalid().ProducesNotFound();

    private static DateTimeOffset? ParseSince(string? since) =>
        since is null ? null
        : DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) && t.Year is >= 1900 and <= 9999
            ? t
            : throw new ValidationException($"'since' must be an ISO 8601 time, got '{since}'", "since");

    private static long ParseCursor(string? cursor) =>
        cursor is null ? 0
        : cursor.StartsWith('c') && long.TryParse(cursor.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            ? after
            : throw new ValidationException($"'cursor' is not a cursor this server issued: '{cursor}'", "cursor");
}
