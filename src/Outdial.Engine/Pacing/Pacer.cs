using Outdial.Engine.Domain;

namespace Outdial.Engine.Pacing;

/// <summary>Decides how many calls to launch now, from a snapshot; call it on every call and agent event.</summary>
/// <remarks>
/// PREVIEW never launches (agents pull records). PROGRESSIVE launches one call per ready agent not yet covered by a call
/// in flight. PREDICTIVE covers ready agents whose calls can no longer be answered, and also dials for busy agents about
/// to be free: for each extra call it models, at every second a new call may be answered, the agents free by then
/// (+ grace) against the person-answered calls competing for them, and launches while the abandons it adds per person
/// answer stay under a threshold that spends what is left of the hour's target evenly (<see cref="PacingBudget"/>;
/// measured abandons are charged against it, so bad luck makes it more careful), and while the calls in flight are very
/// unlikely to bring more abandons than the hour can still take.
/// Not thread-safe (reuses scratch buffers): one instance per deciding loop.
/// </remarks>
public sealed class Pacer(PacerOptions? options = null)
{
    private readonly PacerOptions _options = options ?? new PacerOptions();
    private readonly AbandonModel _model = new();
    private readonly List<double> _allowances = [];
    private const int MinServicesForSure = 20;
    private readonly List<double> _free = [];    // scratch for SafeCalls
    private readonly List<double> _answers = []; // scratch for SafeCalls
    // by whole abandons left: depends only on options, so computed once

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

        // Ready agents no call in flight can still reach: a call ringing past every observed answer time will not bring
        // a person, so it covers nobody (calls answered and waiting do).
        var live = waiting;
        foreach (var c in state.Calls)
            if (c.Phase == CallPhase.Dialing && state.Estimator.MayStillAnswer(Math.Max(0, (now - c.Started).TotalSeconds))) live++;
        var uncovered = Math.Clamp(ready - live, 0, room);
        // Calls an agent is sure to take whatever the outcomes: also those timed against a wrap-up's known end.
        var sure = Math.Clamp(Math.Max(uncovered, SureCalls(state, now)), 0, room);

        var budget = PacingBudget.Compute(state, now, _options, target, loggedIn, Allowance);
        // Budget spent: only calls an agent is sure to take (the model is approximate; this is not).
        if (budget.Threshold <= 0 || budget.WholeLeft <= 0)
            return new(sure, PacingReason.BudgetSpent, 0, 0, sure < room && (busy > 0 || dialing > 0) ? _options.DecideAgainAfter : null);
        // Not capped by room: the calls in flight alone may need more of the hour's abandons than the lines left.
        var safe = SafeCalls(state, now, (int)Math.Min(budget.WholeLeft, 1000));
        var (calls, expected) = _model.Launchable(state, now, _options, ready, sure, room, budget, safe);
        var ratio = busy == 0 ? 0 : Math.Clamp(100.0 * (inFlight + calls - ready) / busy, 0, 100);
        var reason = calls > uncovered ? PacingReason.Predictive : PacingReason.Progressive;
        // Held back while agents are busy or calls ring: releases draw nearer and ringing calls run out of answers with
        // time alone.
        TimeSpan? again = calls < room && (busy > 0 || dialing > 0) ? _options.DecideAgainAfter : null;
        return new(calls, reason, expected, ratio, again);
    }

    /// <summary>New calls that cannot be abandoned whatever the calls in flight do: every answer, at its earliest
    /// possible time, finds an agent surely free by then (+ grace).</summary>
    internal int SureCalls(PacingState state, DateTimeOffset now) => SafeCalls(state, now, 0);

    /// <summary>The most new calls with which no outcome of the calls in flight and the new ones can bring more than
    /// <paramref name="abandonsLeft"/> abandons.</summary>
    /// <remarks>Agents are surely free now (ready) or when the longest observed wrap-up ends; a talking agent never is.
    /// A dialing call may be answered from the shortest observed answer time on (at once if it rang longer), a call
    /// answered and waiting needs an agent at once. The worst case is every call answering at its earliest: an agent
    /// free by an answer's time (+ grace) is free for every later answer too, so answering later never abandons more.
    /// Then answers in time order take the next surely free agent or are abandoned; new calls answer no earlier than
    /// any call in flight, so they take the agents left, in order of release. With a fixed wrap-up this launches a call
    /// for an agent wrapping up as soon as its earliest answer can no longer come before the release. The extremes are
    /// those observed (real ones once there are enough); they are only as sure as the recent past, so wrap-ups count
    /// once real ones have been seen. Unlike a count of calls beyond ready agents, this rests on those extremes and on
    /// agents in wrap-up going Ready (not logging out meanwhile).</remarks>
    internal int SafeCalls(PacingState state, DateTimeOffset now, int abandonsLeft)
    {
        var est = state.Estimator;
        var grace = _options.Grace.TotalSeconds;
        var earliest = est.EarliestAnswerSeconds;
        // Before real calls and wrap-ups are seen, the extremes are the priors' guesses: only ready agents are sure.
        var longestWrap = est.CallsObserved >= _options.WarmupCalls && est.ServicesObserved >= MinServicesForSure
            ? est.LongestWrapSeconds : double.PositiveInfinity;
        _free.Clear();
        _answers.Clear();
        foreach (var a in state.Agents)
        {
            if (a.Activity == AgentActivity.Ready) _free.Add(0);
            else if (a.Activity == AgentActivity.WrapUp && double.IsFinite(longestWrap))
                _free.Add(Math.Max(0, longestWrap - Math.Max(0, (now - a.Since).TotalSeconds)));
        }
        foreach (var c in state.Calls)
        {
            var elapsed = Math.Max(0, (now - c.Started).TotalSeconds);
            if (c.Phase == CallPhase.AnsweredWaiting) _answers.Add(-grace);
            else if (est.MayStillAnswer(elapsed)) _answers.Add(Math.Max(0, earliest - elapsed));
        }
        _free.Sort();
        _answers.Sort();
        int taken = 0, abandons = 0;
        foreach (var answer in _answers)
        {
            if (taken < _free.Count && _free[taken] <= answer + grace) taken++;
            else abandons++;
        }
        if (abandons > abandonsLeft) return 0;
        var spare = 0;
        for (var k = taken; k < _free.Count; k++)
            if (_free[k] <= earliest + grace) spare++;
        return spare + (abandonsLeft - abandons);
    }

    private double Allowance(int whole)
    {
        if (whole <= 0) return 0;
        while (_allowances.Count <= whole)
            _allowances.Add(PacingBudget.MeanWithin(_allowances.Count, _options.HourRisk, _options.BurstSize));
        return _allowances[whole];
    }
}
