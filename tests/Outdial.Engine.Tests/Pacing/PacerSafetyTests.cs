using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using static Outdial.Engine.Tests.Pacing.PacerTests;

namespace Outdial.Engine.Tests.Pacing;

/// <summary>The hourly guard past the expected allowance (<see cref="Pacer.SafeCalls"/>), line caps, and estimates that
/// must not lose what they know about answers (the time, agents and warm estimator of <see cref="PacerTests"/>).</summary>
public sealed class PacerSafetyTests
{
    /// <summary>10 agents surely free in 4 s, 10 talking, 6 answered calls waiting with nobody ready (6 abandons in
    /// the worst case); the hour has <c>13 - abandoned</c> whole abandons left.</summary>
    private static PacingState Crowded(int abandoned, OutcomeEstimator estimator, int maxCallsInFlight = int.MaxValue)
    {
        var meter = new AbandonMeter();
        for (var i = 0; i < 100; i++) meter.Record(Now.AddMinutes(-5), abandoned: i < abandoned);
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 11), 10).Concat(Enumerable.Repeat(Agent(AgentActivity.Talking, 30), 10)).ToArray();
        var calls = Enumerable.Repeat(new CallSnapshot(Now.AddSeconds(-8), CallPhase.AnsweredWaiting), 6).ToArray();
        return new PacingState
        {
            Mode = DialingMode.PREDICTIVE,
            Agents = agents,
            Calls = calls,
            TargetAbandonPercent = 3,
            Estimator = estimator,
            Meter = meter,
            MaxCallsInFlight = maxCallsInFlight,
        };
    }

    [Theory]
    [InlineData(4, 13)] // 9 left: 6 for the waiting calls, 3 beyond the 10 agents surely free
    [InlineData(6, 11)] // 7 left
    [InlineData(8, 0)]  // 5 left: the waiting calls alone may take more
    public void Past_the_allowance_the_hourly_guard_allows_surely_free_agents_plus_abandons_left(int abandoned, int calls)
    {
        Assert.Equal(calls, new Pacer().Decide(Crowded(abandoned, Warm()), Now).CallsToLaunch);
    }

    // The abandons the calls in flight may bring count against the hour whatever the lines left for new calls.
    [Fact]
    public void A_line_cap_never_turns_an_allowed_launch_into_none()
    {
        var estimator = Warm();
        Assert.Equal(13, new Pacer().Decide(Crowded(4, estimator), Now).CallsToLaunch);
        Assert.Equal(3, new Pacer().Decide(Crowded(4, estimator, maxCallsInFlight: 6 + 3), Now).CallsToLaunch);
    }

    // Fast failures (trunk down, bad list) are real calls but say nothing about answers: the priors' answers stay until
    // real ones replace them, so ringing calls still cover ready agents.
    [Fact]
    public void Fast_failures_alone_do_not_make_ringing_calls_worthless()
    {
        var estimator = new OutcomeEstimator();
        for (var i = 0; i < 500; i++) estimator.RecordCall(0.5, answeredByPerson: false);
        Assert.True(estimator.MayStillAnswer(1));
        var agents = Enumerable.Repeat(Agent(AgentActivity.Ready, 5), 5).ToArray();
        var calls = Enumerable.Repeat(new CallSnapshot(Now.AddSeconds(-1), CallPhase.Dialing), 30).ToArray();
        var state = new PacingState { Mode = DialingMode.PREDICTIVE, Agents = agents, Calls = calls, TargetAbandonPercent = 3, Estimator = estimator, Meter = new AbandonMeter() };
        Assert.Equal(0, new Pacer().Decide(state, Now).CallsToLaunch);
    }

    [Fact]
    public void Safe_calls_take_calls_in_flight_in_answer_order_and_a_waiting_answer_needs_an_agent_at_once()
    {
        var pacer = new Pacer();
        var estimator = Warm();
        int Safe(AgentSnapshot[] agents, int left, params CallSnapshot[] calls) =>
            pacer.SafeCalls(new PacingState { Mode = DialingMode.PREDICTIVE, Agents = agents, Calls = calls, Estimator = estimator, Meter = new AbandonMeter() }, Now, left);
        var waiting = new CallSnapshot(Now.AddSeconds(-8), CallPhase.AnsweredWaiting);
        var later = new CallSnapshot(Now.AddSeconds(-1), CallPhase.Dialing); // answered in 3 s at the earliest

        // A ready agent and one free in 4 s: the waiting answer takes the ready one, a new call the other.
        AgentSnapshot[] readyAndWrap = [Agent(AgentActivity.Ready), Agent(AgentActivity.WrapUp, 11)];
        Assert.Equal(1, Safe(readyAndWrap, 0, waiting));
        // The call 1 s in takes the agent free in 4 s, whichever order the calls come in.
        Assert.Equal(0, Safe(readyAndWrap, 0, later, waiting));
        Assert.Equal(1, Safe(readyAndWrap, 1, later, waiting));
        Assert.Equal(1, Safe(readyAndWrap, 1, waiting, later));
        // With a third agent free in 5 s, a new call is sure once the waiting answer takes the ready agent and the call
        // 1 s in the one free in 4 s; matched in the order given instead, the call 1 s in would take the ready agent.
        AgentSnapshot[] three = [.. readyAndWrap, Agent(AgentActivity.WrapUp, 10)];
        Assert.Equal(1, Safe(three, 0, later, waiting));

        // How long an answer has waited is not known: it may have used its grace already, so an agent free in 1.5 s
        // may be too late for it.
        AgentSnapshot[] wrapsOnly = [Agent(AgentActivity.WrapUp, 13.5), Agent(AgentActivity.WrapUp, 11)];
        Assert.Equal(0, Safe(wrapsOnly, 0, waiting));
        // With one abandon left it may be lost; then both agents are left for two new calls.
        Assert.Equal(2, Safe(wrapsOnly, 1, waiting));
    }
}
