using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Adds entries (tenant-wide when CampaignId is null); an existing entry for the same number and scope is refreshed.</summary>
    /// <returns>Per entry: its id, or an error when the campaign does not exist.</returns>
    Task<IReadOnlyList<RowOutcome>> AddDncAsync(long tenant, IReadOnlyList<DncEntry> entries, CancellationToken ct);
    Task<DncEntry?> GetDncAsync(long tenant, string id, CancellationToken ct);
    Task<IReadOnlyList<DncEntry>> ListDncAsync(long tenant, string? campaignId, string? e164, int offset, int limit, CancellationToken ct);
    Task<bool> DeleteDncAsync(long tenant, string id, CancellationToken ct);

    /// <summary>The numbers among <paramref name="e164s"/> that may not be called now in the campaign (tenant-wide or campaign entries, not expired).</summary>
    Task<IReadOnlySet<string>> BlockedNumbersAsync(long tenant, string campaignId, IReadOnlyCollection<string> e164s, DateTimeOffset now, CancellationToken ct);
}
