using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Pacing;
using Outdial.Engine.Storage;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Dialing;

/// <summary>Predictive and progressive dialing: a pacing decision on every event, the calls it places, and the
/// self-tuned increasePredictiveRatio written back to the campaign.</summary>
public sealed partial class CampaignRunner
{
    /// <summary>OBI's self-tuned increasePredictiveRatio: the decisions' ratios averaged over the last minutes (see
    /// <see cref="RatioAverage"/>); written back to the campaign at most once a minute. Each decision event carries its own.</summary>
    public double IncreasePredictiveRatio { get; private set; }

    private readonly RatioAverage _ratio = new();

    private DateTimeOffset _ratioSaved = DateTimeOffset.MinValue;
    private double _ratioSavedValue = double.NaN;

    /// <summary>What pacing counts on right now: person answers and abandons of this hour and of the last 24 h, and the
    /// calls and conversations its estimates have learned from (this run's and those read back at start). Read it
    /// while the runner is idle (<see cref="IsIdle"/>); it is not synchronized with the loop.</summary>
    public PacingView Pacing
    {
        get
        {
            var now = _time.GetUtcNow();
            return new(_meter.CurrentHour(now), _meter.Last24Hours(now), _estimator.CallsObserved, _estimator.ServicesObserved);
        }
    }

    /// <summary>Reads the campaign's attempt history back before the first decision: without it a restart in the middle
    /// of an hour would give that hour its whole abandon budget again (and the last 24 h none of their abandons), and
    /// pacing would start over from priors.</summary>
    private async Task LoadPacingHistoryAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var history = await _store.GetPacingHistoryAsync(_tenant, Campaign.Id, now - PacingHistory.AbandonWindow,
            OutcomeEstimator.CallWindow, OutcomeEstimator.ServiceWindow, ct);
        history.ApplyTo(_meter, _estimator);
    }

    private async Task DecideAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (Campaign.Status != CampaignStatus.Active || Campaign.DialingMode == DialingMode.PREVIEW) return;
        var state = new PacingState
        {
            Mode = Campaign.DialingMode,
            Agents = _agents.Values.Select(a => new AgentSnapshot(a.State switch
            {
                AgentState.Ready => AgentActivity.Ready,
                AgentState.Talking => AgentActivity.Talking,
                AgentState.WrapUp => AgentActivity.WrapUp,
                _ => AgentActivity.NotReady,
            }, a.Since)).ToList(),
            Calls = _calls.Values.Where(c => c.AgentId is null).Select(c => new CallSnapshot(c.Started, c.Phase)).ToList(),
            TargetAbandonPercent = Campaign.AbandonRate,
            Estimator = _estimator,
            Meter = _meter,
            CallableRecords = _noRecords ? 0 : int.MaxValue,
        };
        var decision = _pacer.Decide(state, now);
        if (Campaign.DialingMode == DialingMode.PREDICTIVE)
        {
            _ratio.Add(decision.IncreasePredictiveRatio, now);
            IncreasePredictiveRatio = _ratio.Value;
            // Written back at most once a minute: the campaign shows the self-tuned value without a write per decision.
            if (now - _ratioSaved >= TimeSpan.FromMinutes(1)) await SaveRatioAsync(now, ct);
        }
        _noRecords = false;
        var placed = 0;
        // Records refused at the moment of dialing (DNC added meanwhile, caps) are skipped for the next; bounded so a bad
        // batch cannot spin the loop.
        try
        {
            for (var tries = 0; placed < decision.CallsToLaunch && tries < 4 * decision.CallsToLaunch + 10; tries++)
            {
                var record = await NextRecordAsync(null, ct);
                if (record is null)
                {
                    _noRecords = true;
                    break;
                }
                // The lease covers ring time and talk: a call is never taken from under the dialer.
                var start = await _store.StartAttemptAsync(_tenant, record.Lease, _options.RingTimeout + CallLease, now, ct);
                if (start.Status != AttemptStartStatus.Started) continue;
                var id = _telephony.Originate(new OriginateRequest(start.Number!, Campaign.CallerId, _options.RingTimeout), p => Post(new Progress(p)));
                _calls[id] = new Call(id, start.AttemptId!, start.PhoneIndex, record.Lease.RecordSerial, now) { Lease = start.Lease };
                placed++;
            }
        }
        finally
        {
            PublishDecision(decision, placed); // also when a store call failed after some calls were placed
        }
    }

    /// <summary>
    /// Calls placed are published; a campaign held back (nothing callable, no agents, no lines, abandon budget spent) once
    /// when the hold begins or its reason changes, not on every re-decision while it lasts.
    /// </summary>
    private void PublishDecision(PacingDecision decision, int placed)
    {
        PacingReason? hold = placed > 0 ? null
            : _noRecords ? PacingReason.NoRecords
            : decision.Reason is PacingReason.NoRecords or PacingReason.NoAgents or PacingReason.NoLines or PacingReason.BudgetSpent ? decision.Reason
            : null;
        if (placed == 0 && (hold is null || hold == _lastHold))
        {
            if (hold is null) _lastHold = null; // the hold ended: announce it again if it comes back
            return;
        }
        _lastHold = hold;
        _events.Publish(_tenant, new PacingDecided(Campaign.Id, placed, hold ?? decision.Reason, decision.ExpectedAbandons,
            decision.IncreasePredictiveRatio));
    }

    private async Task SaveRatioAsync(DateTimeOffset now, CancellationToken ct)
    {
        _ratioSaved = now;
        if (IncreasePredictiveRatio.Equals(_ratioSavedValue)) return;
        _ratioSavedValue = IncreasePredictiveRatio;
        await _store.SetIncreasePredictiveRatioAsync(_tenant, Campaign.Id, Math.Round(IncreasePredictiveRatio, 2), ct);
    }
}

/// <summary>See <see cref="CampaignRunner.Pacing"/>.</summary>
public readonly record struct PacingView(AbandonStats ThisHour, AbandonStats Last24Hours, long CallsObserved, long ServicesObserved);
