using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Gives a leased record back without an attempt; it is a candidate again at once (a closed one leaves the
    /// pick order).</summary>
    /// <returns>False (nothing written) when the lease is not held as given (another owner or expiry, or an attempt started on it).</returns>
    Task<bool> ReleaseLeaseAsync(long tenant, RecordLease lease, CancellationToken ct);

    /// <summary>Extends a lease that is still held at <paramref name="now"/> (e.g. during a call longer than the lease taken at
    /// start) to <paramref name="now"/> + <paramref name="leaseFor"/>; only the returned lease is held from then on.</summary>
    /// <returns>The extended lease, or null (nothing written) when it had expired or was not held as given.</returns>
    Task<RecordLease?> RenewLeaseAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct);

    /// <summary>Makes every record of the campaign that waits for a future time a candidate again, to be re-evaluated at its
    /// next pick, before returning.</summary>
    /// <remarks>Changes that can make records callable sooner (window, caps, dates, status, RetryCount raised, a DNC entry
    /// removed or shortened) record a pending re-evaluation themselves, in their own transaction, for
    /// <see cref="RunPendingReevaluationsAsync"/>; this is the same work done at once (tools, benchmarks). Cost is
    /// proportional to the number of waiting records.</remarks>
    /// <returns>How many records were reset.</returns>
    Task<long> InvalidateEligibilityAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Works through every pending re-evaluation (all tenants), oldest first, in short transactions, and removes
    /// each when done. Pending ones survive a crash: the server runs this at start and whenever a change records one.</summary>
    /// <returns>How many records were reset.</returns>
    Task<long> RunPendingReevaluationsAsync(CancellationToken ct);

    /// <summary>The campaign's re-evaluations not finished yet (null when none): until then some waiting records may be
    /// picked later than the campaign's current settings allow, never sooner.</summary>
    Task<PendingReevaluation?> GetPendingReevaluationAsync(long tenant, string campaignId, CancellationToken ct);
}

/// <summary>Re-evaluations of a campaign's waiting records still to do: since when, how many changes, and why.</summary>
public sealed record PendingReevaluation(DateTimeOffset Since, int Changes, IReadOnlyList<string> Reasons);

/// <summary>A claim on one record in one campaign. <see cref="RecordSerial"/> is <see cref="CallRecord.Number"/>: never reused
/// for another record, even after a delete (see IStore.DialCycle.cs).</summary>
public sealed record RecordLease(string CampaignId, long RecordSerial, string Owner, DateTimeOffset Until);

/// <summary>A leased record, its progress at claim time, and the number to dial.</summary>
public sealed record ClaimedRecord(RecordLease Lease, CallRecord Record, RecordProgress Progress, int PhoneIndex);

public enum AttemptStartStatus { Started, NotCallable, LeaseLost }

/// <param name="Lease">The extended lease when started.</param>
public sealed record AttemptStart(
    AttemptStartStatus Status, string? AttemptId, int PhoneIndex, string? Number, NotCallableReason Reason, RecordLease? Lease);

public enum AttemptFinishStatus { Applied, LeaseLost, NotFound }

public sealed record AttemptFinish(AttemptFinishStatus Status, RecordProgress? Progress, DateTimeOffset? NextEligibleAt);

/// <summary>Telephony and agent facts about an attempt besides its result.</summary>
public sealed record AttemptDetails
{
    public DateTimeOffset? Answered { get; init; }
    public double RingSeconds { get; init; }
    public double TalkSeconds { get; init; }
    public double WrapSeconds { get; init; }
    public string? AgentId { get; init; }
    public string? Disposition { get; init; }
    /// <summary>The agent logged out while handling the customer (OBI numberOfOperLogoutCalls).</summary>
    public bool AgentLogout { get; init; }
}
