using NodaTime;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>Why a record is not callable now; <see cref="None"/> when it is.</summary>
public enum NotCallableReason
{
    None,
    OutsideCallingWindow,
    WaitingForRetry,
    CallbackLater,
    CapsReached,
    DoNotCall,
    InvalidNumbersOnly,
    Locked,
    Leased,
    Completed,
    CampaignPassive,
    OutsideCampaignDates,
}

/// <summary>Whether a record may be dialed now in a campaign, on which number, or why not and from when.</summary>
/// <param name="PhoneIndex">Index into <see cref="CallRecord.Phones"/> to dial when callable.</param>
/// <param name="NextEligibleAt">
/// Now when callable; otherwise the earliest instant at which the record becomes callable if nothing but time changes;
/// null when only a change of data can make it callable (closed, locked, campaign not active or ended, all numbers
/// invalid, blocked without expiry or over a permanent cap, RetryCount spent).
/// </param>
public readonly record struct Callability(bool Callable, int? PhoneIndex, NotCallableReason Reason, DateTimeOffset? NextEligibleAt)
{
    // Each step moves strictly forward; the bound is only hit by pathological inputs and then stays a safe lower bound.
    private const int MaxSteps = 64;

    /// <summary>Decides callability of one record at <paramref name="now"/>.</summary>
    /// <remarks>
    /// Pure: reads nothing but its arguments. Numbers are tried in priority order starting after
    /// <see cref="RecordProgress.LastBNumber"/> (from the first number before any call), wrapping around.
    /// A record is callable when the campaign is Active and now is in [StartDate, EndDate); the record is not closed,
    /// locked, leased or scheduled later; its calls are within RetryCount + 1 (callbacks are exempt, so an agent's
    /// promise is kept); and some number is valid, not blocked, within its caps, not held after an ABANDONED call and
    /// inside the calling window in all of its zones (see <see cref="NumberZones"/>).
    /// <see cref="NextEligibleAt"/> is exact: it is found by stepping from one lower bound to the next until callable.
    /// The reason reports the state at now, record-level causes first. A rolling cap needs both RollingCapCalls &gt; 0
    /// and RollingCapHours &gt; 0; TriesToday counts only while the last try is on the current day of the number's day zone.
    /// </remarks>
    public static Callability Evaluate(CallabilityInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var evaluator = new Evaluator(input);
        var first = evaluator.At(now);
        if (first.PhoneIndex is { } index) return new(true, index, NotCallableReason.None, now);

        var step = first;
        var t = now;
        for (var i = 0; i < MaxSteps; i++)
        {
            if (step.Bound is not { } bound) return new(false, null, first.Reason, null);
            t = bound > t ? bound : t.AddTicks(1);
            step = evaluator.At(t);
            if (step.PhoneIndex is not null) break;
        }
        return new(false, null, first.Reason, t);
    }

    /// <summary>One evaluation at a fixed instant: a phone to dial, or a reason and a lower bound on the next chance.</summary>
    internal readonly record struct Step(int? PhoneIndex, NotCallableReason Reason, DateTimeOffset? Bound)
    {
        public static Step Never(NotCallableReason reason) => new(null, reason, null);
        public static Step Until(NotCallableReason reason, DateTimeOffset bound) => new(null, reason, bound);
    }

    private sealed class Evaluator(CallabilityInput input)
    {
        private readonly Campaign _campaign = input.Campaign;
        private readonly CallRecord _record = input.Record;
        private readonly RecordProgress _progress = input.Progress;
        private readonly IReadOnlyList<DateTimeZone>[] _zones = [.. input.Record.Phones
            .Select(p => NumberZones.Resolve(input.Record.TimeZone, p, input.Campaign.TimeZone))];

        public Step At(DateTimeOffset t)
        {
            var recordLevel = RecordLevel(t);
            if (recordLevel is { Bound: null }) return recordLevel.Value;
            var numbers = Numbers(t);
            if (recordLevel is not { } r || numbers.Bound is null && numbers.PhoneIndex is null) return numbers;
            // Not callable before the record-level cause clears, nor before some number could be dialed.
            return r with { Bound = Max(r.Bound!.Value, numbers.Bound ?? t) };
        }

        /// <summary>The first dialable number in cycle order, else the number that frees earliest, else why none ever will.</summary>
        private Step Numbers(DateTimeOffset t)
        {
            var phones = _record.Phones;
            if (phones.Count == 0) return Step.Never(NotCallableReason.InvalidNumbersOnly);
            var start = _progress.CallCount == 0 ? 0 : (Math.Max(0, _progress.LastBNumber) + 1) % phones.Count;

            Step? earliest = null;
            Step? firstPermanent = null;
            for (var k = 0; k < phones.Count; k++)
            {
                var i = (start + k) % phones.Count;
                var ownAbandon = _progress.Result == CallResult.ABANDONED && _progress.LastBNumber == i ? phones[i].LastTry : null;
                var s = NumberRules.Check(_campaign, phones[i], _zones[i], input, ownAbandon, t);
                if (s.Reason == NotCallableReason.None) return new Step(i, NotCallableReason.None, null);
                if (s.Bound is null)
                {
                    if (s.Reason != NotCallableReason.InvalidNumbersOnly) firstPermanent ??= s;
                }
                else if (earliest is null || s.Bound < earliest.Value.Bound)
                {
                    earliest = s;
                }
            }
            return earliest ?? firstPermanent ?? Step.Never(NotCallableReason.InvalidNumbersOnly);
        }

        private Step? RecordLevel(DateTimeOffset t)
        {
            var c = _campaign;
            if (c.Status != CampaignStatus.Active) return Step.Never(NotCallableReason.CampaignPassive);
            if (c.EndDate is { } end && t >= end) return Step.Never(NotCallableReason.OutsideCampaignDates);
            if (_progress.State == RecordState.CLOSED) return Step.Never(NotCallableReason.Completed);
            if (_record.Locked) return Step.Never(NotCallableReason.Locked);
            var isCallback = _progress.ApplicationState == ApplicationState.RECALL;
            if (!isCallback && _progress.CallCount >= Math.Max(0, c.RetryCount) + 1) return Step.Never(NotCallableReason.CapsReached);

            Step? wait = null;
            if (c.StartDate is { } begin && t < begin) wait = Later(wait, Step.Until(NotCallableReason.OutsideCampaignDates, begin));
            if (input.LeasedUntil is { } lease && lease > t) wait = Later(wait, Step.Until(NotCallableReason.Leased, lease));
            if (_progress.ScheduledAt is { } due && due > t)
            {
                var reason = isCallback ? NotCallableReason.CallbackLater : NotCallableReason.WaitingForRetry;
                wait = Later(wait, Step.Until(reason, due));
            }
            return wait;
        }

        // Keeps the first cause's reason (checks run in reporting order) and the latest bound.
        private static Step Later(Step? prior, Step next) =>
            prior is { } p ? p with { Bound = Max(p.Bound!.Value, next.Bound!.Value) } : next;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
    }
}
