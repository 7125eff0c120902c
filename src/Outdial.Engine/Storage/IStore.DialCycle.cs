using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Storage;

/// <remarks>
/// The dial cycle's primitives. The engine (<see cref="Dialing.DialCycle"/>) takes every decision: which records are
/// callable and until when, the number to dial, a result's effect on the record; the store reads and writes what it is
/// told, atomically and on conditions it checks itself. Each claim, start and finish is one transaction opened by
/// <c>Begin…Async</c>: what it reads is what was there when it writes (no other writer of the same rows commits in
/// between: on SQLite a BEGIN IMMEDIATE transaction, on an MVCC database row locks, e.g. <c>FOR UPDATE</c>); nothing is
/// kept unless <see cref="IDialingTransaction.CommitAsync"/> is called; disposing without it rolls everything back. A store
/// may run these transactions one at a time (SQLite does): a caller holds one only for its reads, decisions and writes,
/// never while waiting for anything else, and never opens a second one meanwhile.
/// A store must also guarantee, whatever the engine asks:
/// <list type="bullet">
/// <item>a record is in at most one lease at a time, and has at most one attempt in progress (an attempt holds the
/// record's lease until it finishes or the lease expires);</item>
/// <item>a lease is the pair (<see cref="RecordLease.Owner"/>, <see cref="RecordLease.Until"/>): it is held while the
/// time given is before <c>Until</c>, and a lease extended (a start, <see cref="IStore.RenewLeaseAsync"/>) is held only as
/// the extended value returned; an expired lease's record is due again, and the next claim may lease it;</item>
/// <item>a record's handle (<see cref="CallRecord.Number"/>, <see cref="RecordLease.RecordSerial"/>) is a positive
/// integer assigned at insert, never changed and never given to another record, even after the record is deleted;</item>
/// <item>a closed record is in no pick order (no lease, no pick group); an expired lease's attempt still in progress when
/// its record is dropped is ended as NOT_DIALED (what the lease sweeper writes), never left DIALING.</item>
/// </list>
/// </remarks>
public partial interface IStore
{
    /// <summary>Opens a claim: the transaction in which a dialer reads due records in pick order and leases the callable ones.</summary>
    Task<IClaimTransaction> BeginClaimAsync(long tenant, CancellationToken ct);

    /// <summary>Opens the start of an attempt on a leased record (the moment of dialing).</summary>
    Task<IStartTransaction> BeginStartAsync(long tenant, CancellationToken ct);

    /// <summary>Opens the end of an attempt: its result written, the record's progress moved on, the lease ended.</summary>
    Task<IFinishTransaction> BeginFinishAsync(long tenant, CancellationToken ct);
}

/// <summary>One atomic unit of the dial cycle, in one tenant. Not thread-safe; one caller at a time.</summary>
/// <remarks>Tenancy: the reads and writes conditional on a lease or an attempt of another tenant find nothing (null or
/// false); the others name a campaign the engine has read in this transaction, and naming one the tenant does not have is
/// an <see cref="InvalidOperationException"/>, never a read or write in another tenant.</remarks>
public interface IDialingTransaction : ICampaignReads, IAsyncDisposable
{
    /// <summary>Keeps every write of the transaction; without it they are rolled back at disposal.</summary>
    Task CommitAsync(CancellationToken ct);
}

/// <remarks>
/// Pick order: the groups of <see cref="ReadPickGroupsAsync"/> in the order given (due callbacks first, then priority, high
/// first), and within a group <see cref="ReadDueAsync"/>'s order (never evaluated first, then the earliest next eligible
/// time, then the record handle). A record waiting for its time, or leased, is not due: a lease's record is due again when
/// the lease expires. Every write is conditional on the record still being where it was read
/// (<see cref="PickCandidate.Position"/>) and says whether it was.
/// </remarks>
public interface IClaimTransaction : IDialingTransaction
{
    /// <summary>The campaign's non-empty pick groups in pick order; with <paramref name="callbacksOnly"/> the callbacks' groups only.</summary>
    Task<IReadOnlyList<PickGroup>> ReadPickGroupsAsync(string campaignId, bool callbacksOnly, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> records of the group due at <paramref name="now"/>, in pick order.</summary>
    Task<IReadOnlyList<PickCandidate>> ReadDueAsync(string campaignId, PickGroup group, int limit, DateTimeOffset now, CancellationToken ct);

    /// <summary>Leases the record to <paramref name="owner"/> until <paramref name="until"/>: it is not due again before then.</summary>
    /// <returns>False (nothing written) when the record moved since it was read: leased, deferred, dropped, edited (its
    /// priority changed) or closed meanwhile. The engine's callability verdict holds for the version read only.</returns>
    Task<bool> LeaseAsync(string campaignId, PickCandidate candidate, string owner, DateTimeOffset until, CancellationToken ct);

    /// <summary>Makes the record due at <paramref name="next"/> (never when null: only a change of data brings it back).</summary>
    Task<bool> DeferAsync(string campaignId, PickCandidate candidate, DateTimeOffset? next, CancellationToken ct);

    /// <summary>Takes a closed record out of the pick order (and ends its expired lease's attempt, if any was left in progress).</summary>
    Task<bool> DropAsync(string campaignId, PickCandidate candidate, CancellationToken ct);
}

/// <remarks>Every call is conditional on <c>lease</c> being held: by its owner, unexpired at the time given, with no attempt started on it.</remarks>
public interface IStartTransaction : IDialingTransaction
{
    /// <summary>The leased record and its progress, or null when the lease is not held at <paramref name="now"/>.</summary>
    Task<LeasedRecord?> ReadLeasedAsync(RecordLease lease, DateTimeOffset now, CancellationToken ct);

    /// <summary>Records an attempt (DIALING) at phone <paramref name="phoneIndex"/>, number <paramref name="number"/>, and
    /// extends the lease to <paramref name="until"/> for the call: from then on the lease holds the attempt, and neither the
    /// old nor the extended lease can start another until the attempt is finished or the lease expires.</summary>
    /// <returns>The attempt's id, or null (nothing written) when the lease is not held (expired, taken, another owner or
    /// expiry, an attempt already started on it).</returns>
    Task<string?> StartAttemptAsync(RecordLease lease, int phoneIndex, string number, DateTimeOffset until, DateTimeOffset now, CancellationToken ct);

    /// <summary>Ends the lease without an attempt: the record is due again at <paramref name="next"/> (never when null).</summary>
    /// <returns>False (nothing written) when the lease is not held as given.</returns>
    Task<bool> ReleaseAsync(RecordLease lease, DateTimeOffset? next, CancellationToken ct);

    /// <summary>Ends the lease of a record closed meanwhile: it leaves the pick order.</summary>
    Task<bool> DropLeasedAsync(RecordLease lease, CancellationToken ct);
}

/// <remarks>Progress is written only while the attempt holds its record's lease; the attempt's own row always.</remarks>
public interface IFinishTransaction : IDialingTransaction
{
    /// <summary>The attempt, or null when the tenant has none with that id.</summary>
    Task<AttemptOnRecord?> ReadAttemptAsync(string attemptId, CancellationToken ct);

    /// <summary>Writes the attempt's end: its result, the outcome's amount and classifier, and the details. Written whether or
    /// not the attempt still holds its lease (a late finish records what happened), on an attempt read in this transaction.</summary>
    Task WriteAttemptEndAsync(AttemptOnRecord attempt, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct);

    /// <summary>The record and its progress in the attempt's campaign (an attempt read in this transaction).</summary>
    Task<LeasedRecord> ReadRecordAsync(AttemptOnRecord attempt, CancellationToken ct);

    /// <summary>Writes the record's phones and progress and ends the lease: the record is due at <paramref name="next"/>
    /// (never when null), or leaves the pick order when closed.</summary>
    /// <returns>False (nothing written) when the attempt no longer holds its record's lease.</returns>
    Task<bool> WriteProgressAsync(
        AttemptOnRecord attempt, CallRecord record, RecordProgress progress, DateTimeOffset? next, DateTimeOffset now, CancellationToken ct);
}

/// <summary>Do-not-call status and recent attempts of some numbers: what <see cref="Callability.Evaluate"/> needs besides the record.</summary>
public sealed record NumberFacts(DoNotCallCheck DoNotCall, IReadOnlyDictionary<string, IReadOnlyList<NumberAttempt>> RecentAttempts);

/// <summary>A group of the pick order: callbacks or not, and a priority.</summary>
public readonly record struct PickGroup(bool Callbacks, long Priority);

/// <summary>Where a record stood in the pick order when read: a write conditional on it succeeds only if it still does.</summary>
public readonly record struct PickPosition(PickGroup Group, long Base, long Due);

/// <summary>A due record, its progress in the campaign, and its position in the pick order.</summary>
public sealed record PickCandidate(CallRecord Record, RecordProgress Progress, PickPosition Position);

public sealed record LeasedRecord(CallRecord Record, RecordProgress Progress);

/// <summary>An attempt as read for its end.</summary>
/// <param name="HoldsLease">The attempt holds its record's lease (its progress is still the attempt's to change).</param>
public sealed record AttemptOnRecord(
    string AttemptId, string CampaignId, long RecordSerial, int PhoneIndex, CallResult Result, string? Disposition, bool HoldsLease);
