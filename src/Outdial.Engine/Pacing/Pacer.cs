using Outdial.Engine.Domain;

namespace Outdial.Engine.Pacing;

/// <summary>Decides how many calls to launch now, from a snapshot; call it on every call and agent event.</summary>
/// <remarks>
/// PREVIEW never launches (agents pull records). PROGRESSIVE launches one call per ready agent not yet covered by a call
/// in flight. PREDICTIVE also dials for busy agents about to be free: for each extra call it models, at several instants
/// a new call may be answered, the agents free by then (+ grace) against the person-answered calls competing for them,
/// and launches while the expected abandons stay within the share the campaign's target still allows this hour and
/// over the last 24 h (measured abandons are charged against it, so bad luck makes it more careful).
/// Not thread-safe (reuses scratch buffers): one instance per deciding loop.
/// </remarks>
public sealed class Pacer(PacerOptions? options = null)
{
    private readonly PacerOptions _options = options ?? new PacerOptions();
    private readonly AbandonModel _model = new();

    public PacerOptions Options => _options;

    public PacingDecision Decide(PacingState state, DateTimeOffset now)
    {
        if (state.Mode == DialingMode.PREVIEW) return new(0, PacingReason.Preview);

        int ready = 0, busy = 0, waiting = 0, dialing = 0;
        foreach (var a in state.Agents)
        {
            if (a.Activity == AgentActivity.Ready) ready++;
            else if (a.Activity != AgentActivity.NotReady) busy++;
        }
        foreach (var c in state.Calls)
        {
            if (c.Phase == CallPhase.Dialing) dialing++;
            else waiting++;
        }
        var loggedIn = ready + busy;
        if (loggedIn == 0) return new(0, PacingReason.NoAgents);

        var inFlight = dialing + waiting;
        var lines = Math.Min(state.MaxCallsInFlight, (int)(_options.MaxCallsPerAgent * loggedIn)) - inFlight;
        var room = Math.Min(Math.Min(lines, state.CallableRecords), _options.MaxCallsPerDecision);
        if (room <= 0) return new(0, state.CallableRecords <= 0 ? PacingReason.NoRecords : PacingReason.NoLines);

        var progressive = Math.Clamp(ready - inFlight, 0, room);
        var target = Math.Max(0, state.TargetAbandonPercent) / 100;
        if (state.Mode == DialingMode.PROGRESSIVE || target == 0)
            return new(progressive, PacingReason.Progressive);

        var (share, allowance) = Allowance(state, now, target, loggedIn);
        // Budget spent: only calls a ready agent is sure to take (the model is approximate; this is not).
        if (share <= 0 || allowance <= 0) return new(progressive, PacingReason.BudgetSpent);
        var (calls, expected) = _model.Launchable(state, now, _options, ready, progressive, room,
            Math.Min(0.9, share * _options.MarginalFactor), allowance);
        var ratio = busy == 0 ? 0 : Math.Clamp(100.0 * (inFlight + calls - ready) / busy, 0, 100);
        var reason = calls > progressive ? PacingReason.Predictive : PacingReason.Progressive;
        // Held back while agents are busy: their release draws nearer with time alone.
        TimeSpan? again = calls < room && busy > 0 ? _options.DecideAgainAfter : null;
        return new(calls, reason, expected, ratio, again);
    }

    /// <summary>The abandon share (of person-answered calls) the near future may spend: what is left of this hour's
    /// and the last 24 h's allowance, spread over the answers still expected this hour; and the abandons this hour can
    /// still take, with a reserve, if the rest of the hour answers few calls (the calls in flight must fit in it).</summary>
    private (double Share, double Allowance) Allowance(PacingState state, DateTimeOffset now, double target, int loggedIn)
    {
        var remaining = (TimeSpan.TicksPerHour - (now.UtcTicks % TimeSpan.TicksPerHour)) / (double)TimeSpan.TicksPerSecond;
        var fullRate = loggedIn * Math.Max(60, remaining) / Math.Max(1, state.Estimator.MeanServiceSeconds);
        var hour = state.Meter.CurrentHour(now);
        // Whole abandons this hour can still take at the target; the calls in flight may bring several at once.
        var allowance = Math.Floor((target * (hour.Answered + (fullRate * _options.LowProjectionShare))) - hour.Abandoned) - _options.HourReserve;
        // Calls launched in the last seconds of an hour are answered in the next one, which starts with no answers.
        if (remaining < _options.HourLookahead.TotalSeconds)
        {
            var nextHour = loggedIn * 3600 / Math.Max(1, state.Estimator.MeanServiceSeconds) * _options.LowProjectionShare;
            allowance = Math.Min(allowance, Math.Floor(target * nextHour) - _options.HourReserve);
        }

        var aim = target * _options.Safety;
        var projected = Math.Max(1, fullRate * _options.ProjectionShare);
        var day = state.Meter.Last24Hours(now);
        var credits = Math.Min(aim * (hour.Answered + projected) - hour.Abandoned, aim * (day.Answered + projected) - day.Abandoned);
        var share = Math.Clamp(credits / projected, 0, target * _options.MaxRateFactor);
        // Early in a shift the estimates are mostly priors: start near progressive.
        return (share * Math.Min(1, (double)state.Estimator.CallsObserved / Math.Max(1, _options.WarmupCalls)), allowance);
    }
}
