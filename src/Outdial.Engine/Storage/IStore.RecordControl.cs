using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>The id of the tenant's record whose handle (<see cref="CallRecord.Number"/>) is <paramref name="number"/>.</summary>
    Task<string?> FindRecordIdAsync(long tenant, long number, CancellationToken ct);

    /// <summary>Locks or unlocks a record; an unlocked record is evaluated again at the next pick of every campaign.</summary>
    /// <returns>False when the record does not exist in the tenant.</returns>
    Task<bool> SetRecordLockedAsync(long tenant, string id, bool locked, CancellationToken ct);

    /// <summary>
    /// In one transaction: the record's numbers become <paramref name="resetPhones"/> of the numbers as stored, and its
    /// progress in every campaign is reopened as a new record's (OPEN/NEW, no result, call count 0, nothing scheduled, not
    /// completed), so the next pick evaluates it. Attempts (its history) are kept. Tallies follow by the store's triggers.
    /// </summary>
    /// <returns>False when the record does not exist in the tenant.</returns>
    Task<bool> ResetRecordAsync(long tenant, string id, Func<IReadOnlyList<RecordPhone>, IReadOnlyList<RecordPhone>> resetPhones, CancellationToken ct);
}
