using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Records;

/// <summary>Lock, unlock and reset one record (jtel's contact functions; any adapter may offer them).</summary>
/// <remarks>A locked record is never dialed (<see cref="Selection.Callability"/>) until unlocked; a reset record is as if
/// just imported, and callable at the next pick.</remarks>
public sealed class RecordControlOperations(IStore store)
{
    public Task<StoredRecord> LockAsync(long tenant, string id, CancellationToken ct) => SetLockedAsync(tenant, id, true, ct);

    public Task<StoredRecord> UnlockAsync(long tenant, string id, CancellationToken ct) => SetLockedAsync(tenant, id, false, ct);

    public async Task<StoredRecord> ResetAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var rid) || !await store.ResetRecordAsync(tenant, rid, RecordReset.Phones, ct))
            throw OperationException.NotFound($"record '{id}'");
        return await store.GetRecordAsync(tenant, rid, ct) ?? throw OperationException.NotFound($"record '{id}'");
    }

    private async Task<StoredRecord> SetLockedAsync(long tenant, string id, bool locked, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var rid) || !await store.SetRecordLockedAsync(tenant, rid, locked, ct))
            throw OperationException.NotFound($"record '{id}'");
        return await store.GetRecordAsync(tenant, rid, ct) ?? throw OperationException.NotFound($"record '{id}'");
    }
}

/// <summary>What a reset leaves of a record's numbers.</summary>
public static class RecordReset
{
    /// <summary>Every try counter back to zero and nothing scheduled; a number the dialer found invalid (its reason is a
    /// call result) is valid again, a number that never parsed stays invalid.</summary>
    public static IReadOnlyList<RecordPhone> Phones(IReadOnlyList<RecordPhone> phones) =>
        phones.Select(p =>
        {
            var byDialer = p.Invalid && p.InvalidReason is { } reason && Enum.GetNames<CallResult>().Contains(reason, StringComparer.Ordinal)
                && !string.IsNullOrEmpty(p.E164);
            return p with
            {
                Tries = 0,
                TriesToday = 0,
                LastTry = null,
                NextTry = null,
                Invalid = p.Invalid && !byDialer,
                InvalidReason = byDialer ? null : p.InvalidReason,
            };
        }).ToList();
}

/// <summary>What an edit of a record's numbers keeps of them.</summary>
public static class PhoneCounters
{
    /// <summary>Each new number that the record already had (same E.164, else same text) takes the old one's counters,
    /// times and dialer-found invalidity; new numbers start at zero.</summary>
    public static IReadOnlyList<RecordPhone> Carry(IReadOnlyList<RecordPhone> before, IReadOnlyList<RecordPhone> after) =>
        after.Select(p => before.FirstOrDefault(b => Key(b) == Key(p)) is { } old
            ? p with
            {
                Tries = old.Tries,
                TriesToday = old.TriesToday,
                LastTry = old.LastTry,
                NextTry = old.NextTry,
                Invalid = p.Invalid || old.Invalid,
                InvalidReason = p.Invalid ? p.InvalidReason : old.InvalidReason,
            }
            : p).ToList();

    private static string Key(RecordPhone p) => p.E164 ?? p.Raw.Trim();
}
