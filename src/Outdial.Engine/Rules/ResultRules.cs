using Outdial.Engine.Domain;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Rules;

/// <summary>Applies the outcome of an attempt to a record's phone state and its progress in the campaign.</summary>
public static class ResultRules
{
    /// <summary>Updates counters and state per the campaign's <see cref="Campaign.Rules"/>.</summary>
    /// <remarks>
    /// <para>Always: CallCount + 1; the dialed number's Tries + 1, TriesToday + 1 (restarting at 1 on a new local day of
    /// the number's day zone, see <see cref="NumberZones"/>), LastTry = now; LastBNumber = the dialed index; Result and
    /// CallResult = the attempt's result; Modified = now. A result missing from the campaign's map uses
    /// <see cref="Campaign.DefaultRules"/>.</para>
    /// <para>Final: State and ApplicationState CLOSED, ClosedAt = now. Retry: OPEN/RETRY, ScheduledAt = now + delay.
    /// NextNumber: OPEN/RETRY, no delay (selection moves on to the next number). InvalidateNumber: marks the number
    /// Invalid, then as NextNumber; with no valid number left the record closes with Result NOT_DIALED.
    /// Callback: OPEN/RECALL, ScheduledAt = CallbackAt (else now + delay), AgentId = CallbackAgentId.</para>
    /// <para>MAXCALLS (OBI): when a Retry or NextNumber outcome (or InvalidateNumber with a valid number left) brings
    /// CallCount to RetryCount + 1, Result becomes MAXCALLS (CallResult keeps BUSY, NOANSWER, ...). Such records stay
    /// OPEN/RETRY, not CLOSED: <see cref="Callability"/> excludes them while CallCount &gt;= RetryCount + 1 against the
    /// campaign's current RetryCount, so raising RetryCount makes them callable again. The OBI names BUSY and NOANSWER;
    /// any other result that leaves the record to be dialed again (by default also ANSWERING_MACHINE, AGENT_REJECTED,
    /// HANGUP, ABANDONED, SKIP) and spends the budget is reported as MAXCALLS too.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The phone index is not one of the record's numbers, or the result
    /// has no rule (MAXCALLS and DIALING are not attempt outcomes).</exception>
    public static AppliedOutcome Apply(Campaign campaign, CallRecord record, RecordProgress progress, AttemptOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.PhoneIndex < 0 || outcome.PhoneIndex >= record.Phones.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome.PhoneIndex, "the dialed number is not one of the record's numbers");
        }
        var rule = RuleFor(campaign, outcome);

        var phones = record.Phones.ToArray();
        var dialed = phones[outcome.PhoneIndex];
        var dayZone = NumberZones.DayZone(record.TimeZone, dialed, campaign.TimeZone);
        phones[outcome.PhoneIndex] = dialed with
        {
            Tries = dialed.Tries + 1,
            TriesToday = NumberRules.TriesOnDayOf(dialed, dayZone, now) + 1,
            LastTry = now,
            Invalid = dialed.Invalid || rule.Action == RuleAction.InvalidateNumber,
            InvalidReason = rule.Action == RuleAction.InvalidateNumber ? outcome.Result.ToString() : dialed.InvalidReason,
        };
        var updatedRecord = record with { Phones = phones, Modified = now };

        var callCount = progress.CallCount + 1;
        var counted = progress with
        {
            CallCount = callCount,
            LastBNumber = outcome.PhoneIndex,
            Result = outcome.Result,
            CallResult = outcome.Result.ToString(),
            Classifier = outcome.Classifier ?? progress.Classifier,
            Amount = outcome.Amount ?? progress.Amount,
            Script = outcome.Script ?? progress.Script,
            Modified = now,
        };

        var action = rule.Action;
        if (action == RuleAction.InvalidateNumber && !phones.Any(p => !p.Invalid && !string.IsNullOrEmpty(p.E164)))
        {
            return new(updatedRecord, Close(counted, now) with { Result = CallResult.NOT_DIALED }, action);
        }
        var next = action switch
        {
            RuleAction.Final => Close(counted, now),
            RuleAction.Callback => counted with
            {
                State = RecordState.OPEN,
                ApplicationState = ApplicationState.RECALL,
                ScheduledAt = outcome.CallbackAt ?? now.AddSeconds(rule.DelaySeconds),
                AgentId = outcome.CallbackAgentId,
            },
            RuleAction.Retry => Reopen(counted, now.AddSeconds(rule.DelaySeconds)),
            _ => Reopen(counted, null),
        };
        if (action is RuleAction.Retry or RuleAction.NextNumber or RuleAction.InvalidateNumber && callCount >= Math.Max(0, campaign.RetryCount) + 1)
        {
            next = next with { Result = CallResult.MAXCALLS };
        }
        return new(updatedRecord, next, action);
    }

    /// <summary>The Conpeek State/ApplicationState an action leaves a record in (a record never attempted is OPEN/NEW).</summary>
    public static (RecordState State, ApplicationState ApplicationState) StatesFor(RuleAction action) => action switch
    {
        RuleAction.Final => (RecordState.CLOSED, ApplicationState.CLOSED),
        RuleAction.Callback => (RecordState.OPEN, ApplicationState.RECALL),
        _ => (RecordState.OPEN, ApplicationState.RETRY),
    };

    private static ResultRule RuleFor(Campaign campaign, AttemptOutcome outcome)
    {
        if (outcome.CallbackAt is not null) return new ResultRule(RuleAction.Callback);
        if (campaign.Rules.TryGetValue(outcome.Result, out var rule) || Campaign.DefaultRules.TryGetValue(outcome.Result, out rule)) return rule;
        throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, "no rule for this result; it is not an attempt outcome");
    }

    private static RecordProgress Close(RecordProgress p, DateTimeOffset now) => p with
    {
        State = RecordState.CLOSED,
        ApplicationState = ApplicationState.CLOSED,
        ClosedAt = now,
        ScheduledAt = null,
    };

    private static RecordProgress Reopen(RecordProgress p, DateTimeOffset? scheduledAt) => p with
    {
        State = RecordState.OPEN,
        ApplicationState = ApplicationState.RETRY,
        ScheduledAt = scheduledAt,
    };
}
