using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

/// <summary>What a claim does with a due record.</summary>
public enum ClaimStep { Lease, Defer, Drop }

/// <summary>The dial cycle's decisions, on top of <see cref="Callability.Evaluate"/> and <see cref="ResultRules.Apply"/>: pure, from their arguments.</summary>
public static partial class DialCycle
{
    /// <summary>What migration 0007's lease sweeper writes on an attempt whose dialer lost the lease (the same text is in its SQL).</summary>
    public const string LeaseExpiredDisposition = "lease expired: the dialer stopped before the call ended";

    // Bound the work of one claim when most candidates turn out not callable (e.g. after an invalidation).
    internal const int EvaluationsPerClaimed = 8;
    internal const int MinEvaluations = 256;

    /// <summary>How many due records one claim of <paramref name="max"/> may evaluate at most.</summary>
    public static int EvaluationBudget(int max) => Math.Max(MinEvaluations, max * EvaluationsPerClaimed);

    /// <summary>Whether a campaign dials at all at <paramref name="now"/>: Active, and within its dates.</summary>
    public static bool IsOpen(Campaign campaign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Status == CampaignStatus.Active
            && (campaign.StartDate is not { } start || now >= start) && (campaign.EndDate is not { } end || now < end);
    }

    /// <summary>How far back the attempts at a number matter to the campaign's caps (the rolling cap, no redial after an
    /// abandoned call), or null when they do not.</summary>
    public static DateTimeOffset? AttemptsSince(Campaign campaign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var hours = Math.Max(campaign.RollingCapCalls > 0 ? campaign.RollingCapHours ?? 0 : 0, campaign.NoRedialAfterAbandonHours);
        return hours == 0 ? null : now - TimeSpan.FromHours(hours);
    }

    /// <summary>A claim leases a callable record, drops a closed one (it leaves the pick order), and defers the rest to
    /// their next eligible time.</summary>
    public static ClaimStep ClaimStepOf(Callability callability, RecordProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return callability.Callable ? ClaimStep.Lease : progress.State == RecordState.CLOSED ? ClaimStep.Drop : ClaimStep.Defer;
    }

    /// <summary>An attempt may be finished while in progress, or after the lease sweeper ended it (its dialer stalled).</summary>
    public static bool IsFinishable(AttemptOnRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Result == CallResult.DIALING
            || (attempt.Result == CallResult.NOT_DIALED && attempt.Disposition == LeaseExpiredDisposition);
    }

    /// <summary>The distinct numbers of the records, in order.</summary>
    public static IReadOnlyCollection<string> Numbers(IEnumerable<CallRecord> records) =>
        records.SelectMany(r => r.Phones).Select(p => p.E164).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>An attempt's effect on its record (<see cref="ResultRules.Apply"/>) and when the record may be dialed next.</summary>
    /// <param name="facts">DNC and recent attempts of the record's numbers, this attempt's result included (the result
    /// rules change a number's counters and validity, never the number).</param>
    public static (AppliedOutcome Applied, Callability Next) Settle(
        Campaign campaign, LeasedRecord current, AttemptOutcome outcome, NumberFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var applied = ResultRules.Apply(campaign, current.Record, current.Progress, outcome, now);
        return (applied, Evaluate(campaign, applied.Record, applied.Progress, facts, now));
    }

    /// <summary><see cref="Callability.Evaluate"/> with the facts read for the record's numbers.</summary>
    public static Callability Evaluate(Campaign campaign, CallRecord record, RecordProgress progress, NumberFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Callability.Evaluate(new CallabilityInput
        {
            Campaign = campaign,
            Record = record,
            Progress = progress,
            DoNotCall = facts.DoNotCall,
            RecentAttempts = facts.RecentAttempts,
        }, now);
    }
}
