namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Records of a campaign (optionally of one of its lists) completed at or after <paramref name="since"/>, in
    /// completion order, after the given sequence number.</summary>
    /// <returns>Null when the campaign (or list) does not exist in the tenant.</returns>
    Task<IReadOnlyList<CompletedRecord>?> GetCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        long afterSequence, int limit, CancellationToken ct);
}

/// <summary>A completed record with the facts of its last attempt (Bright Pattern's status block).</summary>
public sealed record CompletedRecord(long Sequence, StoredRecord Record, string? LastPhone, double? LastCallDuration, string? LastAgent, long TotalAttempts);
