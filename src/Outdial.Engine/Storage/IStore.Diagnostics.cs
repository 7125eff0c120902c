using Outdial.Engine.Selection;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Evaluates every record of the campaign at <paramref name="now"/> as if the campaign were Active and inside its
    /// dates, so record-level reasons show even behind a campaign-level blocker.</summary>
    /// <returns>False when the campaign does not exist in the tenant.</returns>
    /// <remarks>Reads the whole campaign in batches: a diagnostic, not a hot path.</remarks>
    Task<bool> EvaluateCampaignRecordsAsync(long tenant, string campaignId, DateTimeOffset now, Action<Callability> onRecord, CancellationToken ct);
}
