using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Records;

/// <summary>A page of completed records; <see cref="NextAfter"/> is the sequence to continue after, null on the last page.</summary>
public sealed record CompletedPage(IReadOnlyList<CompletedRecord> Items, long? NextAfter);

/// <summary>Records completed in a campaign, in completion order, paged by sequence (never skips or repeats).</summary>
public sealed class CompletedOperations(IStore store)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task<CompletedPage> GetPageAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since, long after,
        int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit) throw new ValidationException($"'limit' must be between 1 and {MaxLimit}", "limit");
        var size = limit ?? DefaultLimit;
        var page = await store.GetCompletedAsync(tenant, Validate.Id(campaignId, "campaignId"),
            listId is null ? null : Validate.Id(listId, "listId"), since, after, size, ct)
            ?? throw OperationException.NotFound($"campaign '{campaignId}'" + (listId is null ? "" : $" or its list '{listId}'"));
        return new CompletedPage(page, page.Count == size ? page[^1].Sequence : null);
    }
}
