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

    /// <summary>The first <paramref name="limit"/> completions whose <see cref="CompletedRecord.CompletedTime"/> is at or after
    /// <paramref name="from"/>, oldest first.</summary>
    /// <remarks>Completed times are unique in a campaign and grow in the order completions become visible, so a reader that
    /// passes back the last one it read (and drops that record, read again first) never skips nor repeats a completion, however
    /// many close in one millisecond.</remarks>
    /// <returns>Null when the campaign, or the list among the campaign's lists, does not exist.</returns>
    public async Task<IReadOnlyList<CompletedRecord>?> GetFromAsync(long tenant, string campaignId, string? listId, DateTimeOffset from,
        int limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit) throw new ValidationException($"'limit' must be between 1 and {MaxLimit}", "limit");
        return await store.GetCompletedFromAsync(tenant, Validate.Id(campaignId, "campaignId"),
            listId is null ? null : Validate.Id(listId, "listId"), from, limit, ct);
    }

    /// <summary><see cref="GetFromAsync"/> with the list and the campaign addressed by name (Bright Pattern's URL).</summary>
    /// <remarks>Not found names which: the list, the campaign, or the campaign not fed by the list.</remarks>
    public async Task<IReadOnlyList<CompletedRecord>> GetFromByNamesAsync(long tenant, string listName, string campaignName, DateTimeOffset from,
        int limit, CancellationToken ct)
    {
        var list = (await store.ListCallingListsAsync(tenant, ct)).FirstOrDefault(l => l.Name == listName)
            ?? throw OperationException.NotFound($"calling list '{listName}'");
        var campaign = await store.GetCampaignByNameAsync(tenant, campaignName, ct)
            ?? throw OperationException.NotFound($"campaign '{campaignName}'");
        var notFed = new OperationException(ErrorKind.NotFound, $"campaign '{campaignName}' is not fed by calling list '{listName}'");
        if (!(await store.GetCampaignListIdsAsync(tenant, campaign.Id, ct)).Contains(list.Id)) throw notFed;
        // Null still when the list was detached (or either deleted) since the check.
        return await GetFromAsync(tenant, campaign.Id, list.Id, from, limit, ct) ?? throw notFed;
    }
}
