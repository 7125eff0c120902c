using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

/// <summary>
/// The dial cycle: claim callable records, start an attempt at the moment of dialing, finish it. Every decision is here
/// (<see cref="Callability.Evaluate"/>, <see cref="ResultRules.Apply"/> and the steps in DialCycle.Decisions.cs); the
/// store is asked for reads and conditional writes in one transaction per step (see IStore.DialCycle.cs).
/// </summary>
public static partial class DialCycle
{
    /// <summary>Leases up to <paramref name="max"/> records callable now, in pick order; with <paramref name="callbacksOnly"/>
    /// only due callbacks (what a dialer checks every second so a callback is dialed at its time).</summary>
    /// <remarks>
    /// Order: due callbacks first, then priority (high first), then the longest waiting (earliest next eligible time;
    /// never-evaluated records first). Each candidate is evaluated with <see cref="Callability.Evaluate"/> at
    /// <paramref name="now"/> (DNC, caps, windows); a record found not callable gets its next eligible time written back
    /// and is skipped. A leased record is in no other lease until the lease expires or is released. Returns fewer than
    /// <paramref name="max"/> (possibly none) when fewer are callable, or when the campaign is not Active or outside its dates.
    /// The campaign is read inside the transaction: read before it, a campaign update committed meanwhile (RetryCount
    /// raised, window widened) would be evaluated with the old rules, and the update's re-evaluation undone by what the
    /// claim writes back.
    /// </remarks>
    public static async Task<IReadOnlyList<ClaimedRecord>> ClaimCallableAsync(this IStore store,
        long tenant, string campaignId, int max, string leaseOwner, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct,
        bool callbacksOnly = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentException.ThrowIfNullOrEmpty(leaseOwner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        await using var tx = await store.BeginClaimAsync(tenant, ct);
        var campaign = await tx.ReadCampaignAsync(campaignId, ct);
        if (campaign is null || !IsOpen(campaign, now)) return [];
        var until = now + leaseFor;
        var since = AttemptsSince(campaign, now);
        var claimed = new List<ClaimedRecord>(max);
        var budget = EvaluationBudget(max);
        foreach (var group in await tx.ReadPickGroupsAsync(campaignId, callbacksOnly, ct))
        {
            while (claimed.Count < max && budget > 0)
            {
                var candidates = await tx.ReadDueAsync(campaignId, group, Math.Min(max - claimed.Count, budget), now, ct);
                if (candidates.Count == 0) break;
                budget -= candidates.Count;
                var facts = await tx.ReadNumberFactsAsync(campaignId, Numbers(candidates.Select(c => c.Record)), since, now, ct);
                var stuck = false;
                foreach (var c in candidates)
                {
                    // Due: any lease it had has expired.
                    var callability = Evaluate(campaign, c.Record, c.Progress, facts, now);
                    var written = ClaimStepOf(callability, c.Progress) switch
                    {
                        ClaimStep.Lease => await tx.LeaseAsync(campaignId, c, leaseOwner, until, ct),
                        ClaimStep.Drop => await tx.DropAsync(campaignId, c, ct),
                        _ => await tx.DeferAsync(campaignId, c, callability.NextEligibleAt, ct),
                    };
                    if (!written) stuck = true; // not where it was read: it would come back at once
                    else if (callability.Callable)
                        claimed.Add(new ClaimedRecord(new RecordLease(campaignId, c.Record.Number, leaseOwner, until), c.Record, c.Progress, callability.PhoneIndex!.Value));
                }
                if (stuck) break;
            }
            if (claimed.Count >= max || budget <= 0) break;
        }
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Checks DNC and caps again at the moment of dialing and, when still callable, records the attempt (DIALING).</summary>
    /// <remarks>One transaction. The lease must still be held; it is extended to now + <paramref name="leaseFor"/> for the call.
    /// When refused the lease is released and the record's next eligible time written back.</remarks>
    public static async Task<AttemptStart> StartAttemptAsync(this IStore store,
        long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lease);
        var lost = new AttemptStart(AttemptStartStatus.LeaseLost, null, -1, null, NotCallableReason.Leased, null);
        await using var tx = await store.BeginStartAsync(tenant, ct);
        var campaign = await tx.ReadCampaignAsync(lease.CampaignId, ct);
        if (campaign is null) return lost;
        if (await tx.ReadLeasedAsync(lease, now, ct) is not { } held) return lost;
        // Fresh DNC and caps: the record may have waited in a prepared batch while a number was blocked or called elsewhere.
        var facts = await tx.ReadNumberFactsAsync(lease.CampaignId, Numbers([held.Record]), AttemptsSince(campaign, now), now, ct);
        var callability = Evaluate(campaign, held.Record, held.Progress, facts, now);
        if (callability is not { Callable: true, PhoneIndex: { } phone })
        {
            // A record closed while leased leaves the pick order with the lease.
            if (held.Progress.State == RecordState.CLOSED) await tx.DropLeasedAsync(lease, ct);
            else await tx.ReleaseAsync(lease, callability.NextEligibleAt, ct);
            await tx.CommitAsync(ct);
            return new AttemptStart(AttemptStartStatus.NotCallable, null, -1, null, callability.Reason, null);
        }

        var number = held.Record.Phones[phone].E164!;
        var until = now + leaseFor;
        if (await tx.StartAttemptAsync(lease, phone, number, until, now, ct) is not { } attemptId) return lost;
        await tx.CommitAsync(ct);
        return new AttemptStart(AttemptStartStatus.Started, attemptId, phone, number, NotCallableReason.None, lease with { Until = until });
    }

    /// <summary>Ends an attempt: updates the attempt, applies <see cref="ResultRules.Apply"/>, computes the next eligible time
    /// and releases the lease, in one transaction.</summary>
    /// <remarks>When the record's lease was lost meanwhile (expired and claimed again) only the attempt row is updated.
    /// An attempt ended by the lease sweeper while its dialer stalled is still finished: a late finish records what happened.</remarks>
    public static async Task<AttemptFinish> FinishAttemptAsync(this IStore store,
        long tenant, string attemptId, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Result is CallResult.DIALING or CallResult.MAXCALLS)
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, "not an attempt outcome");
        await using var tx = await store.BeginFinishAsync(tenant, ct);
        var attempt = await tx.ReadAttemptAsync(attemptId, ct);
        if (attempt is null || !IsFinishable(attempt)) return new AttemptFinish(AttemptFinishStatus.NotFound, null, null);
        await tx.WriteAttemptEndAsync(attempt, outcome, details, now, ct);
        var lost = new AttemptFinish(AttemptFinishStatus.LeaseLost, null, null);
        if (!attempt.HoldsLease)
        {
            // The lease expired and the record moved on; its progress is no longer this attempt's to change.
            await tx.CommitAsync(ct);
            return lost;
        }

        var campaign = await tx.ReadCampaignAsync(attempt.CampaignId, ct) ?? throw new InvalidOperationException("The attempt's campaign is gone.");
        var current = await tx.ReadRecordAsync(attempt, ct);
        // Read after the attempt's end is written: the caps count this attempt with its result.
        var facts = await tx.ReadNumberFactsAsync(attempt.CampaignId, Numbers([current.Record]), AttemptsSince(campaign, now), now, ct);
        var (applied, next) = Settle(campaign, current, outcome with { PhoneIndex = attempt.PhoneIndex }, facts, now);
        var written = await tx.WriteProgressAsync(attempt, applied.Record, applied.Progress, next.NextEligibleAt, now, ct);
        await tx.CommitAsync(ct);
        return written ? new AttemptFinish(AttemptFinishStatus.Applied, applied.Progress, next.NextEligibleAt) : lost;
    }
}
