using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;

namespace Outdial.Engine.Tests.Pacing;

public sealed class PacerTests
{
    internal static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 10, 0, TimeSpan.Zero);

    internal static AgentSnapshot Agent(AgentActivity activity, double secondsAgo = 0) => new(activity, Now.AddSeconds(-secondsAgo));
    private static CallSnapshot Dialing(double secondsAgo) => new(Now.AddSeconds(-secondsAgo), CallPhase.Dialing);

    /// <summary>An estimator that has seen a shift's worth of the benchmark world (30 % answer, talk ~120 s, wrap 15 s).</summary>
    internal static OutcomeEstimator Warm()
    {
        var estimator = new OutcomeEstimator();
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            var person = random.NextDouble() < 0.3;
            estimator.RecordCall(person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble()), person);
        }
        var talk = Outdial.Engine.Simulation.Distribution.LogNormal(120, 1);
        for (var i = 0; i < 1000; i++) estimator.RecordService(talk.Sample(random), 15);
        return estimator;
    }

    private static PacingState State(DialingMode mode, AgentSnapshot[] agents, CallSnapshot[]? calls = null,
        OutcomeEstimator? estimator = null, AbandonMeter? meter = null, double target = 3) => new()
        {
            Mode = mode,
            Agents = agents,
            Calls = calls ?? [],
            TargetAbandonPercent = target,
            Estimator = estimator ?? Warm(),
            Meter = meter ?? new AbandonMeter(),
        };

    [Theory]
    [InlineData(DialingMode.PREVIEW)]
    [InlineData(DialingMode.PROGRESSIVE)]
    [InlineData(DialingMode.PREDICTIVE)]
    public void Never_dials_without_agents_logged_in(DialingMode mode)
    {
        var pacer = new Pacer();
        Assert.Equal(0, pacer.Decide(State(mode, []), Now).CallsToLaunch);
        var notReady = pacer.Decide(State(mode, [Agent(AgentActivity.NotReady), Agent(AgentActivity.NotReady)]), Now);
        Assert.Equal(0, notReady.CallsToLaunch);
    }

    [Fact]
    public void Preview_never_launches_agents_pull()
    {
        var decision = new Pacer().Decide(State(DialingMode.PREVIEW, [Agent(AgentActivity.Ready), Agent(AgentActivity.Ready)]), Now);
        Assert.Equal(new PacingDecision(0, PacingReason.Preview), decision);
    }

    [Theory]
    [InlineData(5, 0, 5)]
    [InlineData(5, 2, 3)]
    [InlineData(2, 5, 0)]
    [InlineData(0, 0, 0)]
    public void Progressive_is_ready_agents_minus_calls_in_flight(int ready, int inFlight, int expected)
    {
        var agents = Enumerable.Repeat(Agent(AgentActivity.Ready, 30), ready).Append(Agent(AgentActivity.Talking, 10)).ToArray();
        var calls = Enumerable.Range(0, inFlight).Select(i => Dialing(i)).ToArray();
        var decision = new Pacer().Decide(State(DialingMode.PROGRESSIVE, agents, calls), Now);
        Assert.Equal(expected, decision.CallsToLaunch);
    }

    [Fact]
    public void Never_launches_more_than_records_or_lines_allow()
    {
        var agents = Enumerable.Repeat(Agent(AgentActivity.Ready), 10).ToArray();
        var pacer = new Pacer();
        Assert.Equal(3, pacer.Decide(State(DialingMode.PROGRESSIVE, agents) with { CallableRecords = 3 }, Now).CallsToLaunch);
        var noRecords = pacer.Decide(State(DialingMode.PREDICTIVE, agents) with { CallableRecords = 0 }, Now);
        Assert.Equal(new PacingDecision(0, PacingReason.NoRecords), noRecords);
        Assert.Equal(4, pacer.Decide(State(DialingMode.PROGRESSIVE, agents, [Dialing(1)]) with { MaxCallsInFlight = 5 }, Now).CallsToLaunch);
    }

    [Fact]
    public void Predictive_with_a_zero_target_makes_no_extra_calls()
    {
        // OBI: "If 0.0, then no extra predictive calls are made."
        var agents = new[] { Agent(AgentActivity.Ready), Agent(AgentActivity.WrapUp, 14), Agent(AgentActivity.WrapUp, 14) };
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents, target: 0), Now);
        Assert.Equal(1, decision.CallsToLaunch);
        Assert.Equal(PacingReason.Progressive, decision.Reason);
    }

    [Fact]
    public void Predictive_starts_as_progressive_before_it_has_seen_calls()
    {
        var agents = new[] { Agent(AgentActivity.Ready), Agent(AgentActivity.WrapUp, 10), Agent(AgentActivity.WrapUp, 10) };
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents, estimator: new OutcomeEstimator()), Now);
        Assert.Equal(1, decision.CallsToLaunch);
    }

    [Fact]
    public void Predictive_dials_ahead_for_agents_about_to_finish_wrap_up()
    {
        // Ten agents 9 s into a 15 s wrap-up: all free in 6 s, about when a call launched now would be answered.
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 9), 10).ToArray();
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents), Now);
        Assert.Equal(PacingReason.Predictive, decision.Reason);
        Assert.InRange(decision.CallsToLaunch, 3, 40);
        Assert.True(decision.ExpectedAbandons >= 0);
    }

    [Fact]
    public void Predictive_holds_back_when_agents_have_just_started_talking()
    {
        var agents = Enumerable.Repeat(Agent(AgentActivity.Talking, 1), 10).ToArray();
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents), Now);
        Assert.Equal(0, decision.CallsToLaunch);
        Assert.NotNull(decision.DecideAgainAfter); // time alone may change the answer
    }

    [Fact]
    public void Predictive_counts_calls_already_dialing()
    {
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 9), 10).ToArray();
        var pacer = new Pacer();
        var alone = pacer.Decide(State(DialingMode.PREDICTIVE, agents), Now).CallsToLaunch;
        var calls = Enumerable.Range(0, alone).Select(_ => Dialing(0.5)).ToArray();
        var after = pacer.Decide(State(DialingMode.PREDICTIVE, agents, calls), Now).CallsToLaunch;
        Assert.True(after < alone / 2, $"{after} more after {alone} in flight");
    }

    [Fact]
    public void Predictive_falls_back_to_progressive_once_the_hour_has_used_its_abandons()
    {
        var meter = new AbandonMeter();
        // 5 abandons in 100 answers at a 2 % target: with any plausible rest of the hour, one more is too many.
        for (var i = 0; i < 100; i++) meter.Record(Now.AddMinutes(-5), abandoned: i < 5);
        // Wrap-ups 5 s in end in 10 s: a call launched now may be answered before (after 4 s), so only the ready agent is sure.
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 5), 10).Append(Agent(AgentActivity.Ready)).ToArray();
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents, meter: meter, target: 2), Now);
        Assert.Equal(new PacingDecision(1, PacingReason.BudgetSpent, DecideAgainAfter: TimeSpan.FromSeconds(0.5)), decision);
    }

    [Fact]
    public void With_the_budget_spent_it_still_dials_for_wrap_ups_that_end_before_any_answer_can_come()
    {
        var meter = new AbandonMeter();
        for (var i = 0; i < 100; i++) meter.Record(Now.AddMinutes(-5), abandoned: i < 5);
        // Wrap-up is 15 s, a person answers after 4-14 s and an agent free within 2 s of an answer takes it: agents 10 s
        // into wrap-up (free in 5 s) are sure to take a call launched now, the one 3 s in is not, talking ones never.
        AgentSnapshot[] agents = [Agent(AgentActivity.WrapUp, 10), Agent(AgentActivity.WrapUp, 10.5), Agent(AgentActivity.WrapUp, 3),
            Agent(AgentActivity.Talking, 100), Agent(AgentActivity.Talking, 5)];
        var pacer = new Pacer();
        var decision = pacer.Decide(State(DialingMode.PREDICTIVE, agents, meter: meter, target: 2), Now);
        Assert.Equal(new PacingDecision(2, PacingReason.BudgetSpent, DecideAgainAfter: TimeSpan.FromSeconds(0.5)), decision);
        // A call in flight 1 s in (answered in 3 s at the earliest) takes the first of them; one that can no longer be
        // answered does not.
        Assert.Equal(1, pacer.Decide(State(DialingMode.PREDICTIVE, agents, [Dialing(1)], meter: meter, target: 2), Now).CallsToLaunch);
        Assert.Equal(2, pacer.Decide(State(DialingMode.PREDICTIVE, agents, [Dialing(16)], meter: meter, target: 2), Now).CallsToLaunch);
        // Earlier in wrap-up, nothing is sure yet; the pacer asks to decide again as the wrap-ups near their end.
        AgentSnapshot[] early = [Agent(AgentActivity.WrapUp, 5), Agent(AgentActivity.Talking, 100)];
        Assert.Equal(new PacingDecision(0, PacingReason.BudgetSpent, DecideAgainAfter: TimeSpan.FromSeconds(0.5)),
            pacer.Decide(State(DialingMode.PREDICTIVE, early, meter: meter, target: 2), Now));
    }

    [Fact]
    public void Sure_calls_leave_each_answer_of_the_calls_in_flight_an_agent_surely_free_by_then()
    {
        var pacer = new Pacer();
        var estimator = Warm();
        // Agents free in 4 s and 5 s.
        AgentSnapshot[] agents = [Agent(AgentActivity.WrapUp, 11), Agent(AgentActivity.WrapUp, 10), Agent(AgentActivity.Talking, 50)];
        int Sure(params CallSnapshot[] calls) => pacer.SureCalls(State(DialingMode.PREDICTIVE, agents, calls, estimator), Now);
        Assert.Equal(2, Sure());
        // A call 1 s in is answered in 3 s at the earliest: the agent free in 4 s takes it, the other one is left.
        Assert.Equal(1, Sure(Dialing(1)));
        // A call 5 s in may be answered now, and nobody is free within 2 s: nothing is sure.
        Assert.Equal(0, Sure(Dialing(5)));
        // Answered and waiting: needs an agent at once.
        Assert.Equal(0, Sure(new CallSnapshot(Now.AddSeconds(-8), CallPhase.AnsweredWaiting)));
        Assert.Equal(0, Sure(Dialing(1), Dialing(1)));
        // Before real wrap-ups are seen, the prior's wrap-up time is no ground to be sure.
        Assert.Equal(0, pacer.SureCalls(State(DialingMode.PREDICTIVE, agents, [], new OutcomeEstimator()), Now));

        // With abandons left, each may go to one call beyond the agents surely free: a call 5 s in may be answered now
        // and abandoned (nobody free within 2 s); two new calls still find the agents free in 4 s and 5 s.
        int Safe(int left, params CallSnapshot[] calls) => pacer.SafeCalls(State(DialingMode.PREDICTIVE, agents, calls, estimator), Now, left);
        Assert.Equal(3, Safe(1));
        Assert.Equal(2, Safe(1, Dialing(5)));
        Assert.Equal(3, Safe(2, Dialing(5)));
        Assert.Equal(0, Safe(1, Dialing(5), Dialing(6)));
    }

    [Fact]
    public void Increase_predictive_ratio_reports_extra_calls_for_busy_agents_in_percent()
    {
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 9), 10).ToArray();
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents), Now);
        Assert.Equal(Math.Min(100, 100.0 * decision.CallsToLaunch / 10), decision.IncreasePredictiveRatio, 6);
    }

    [Fact]
    public void With_one_abandon_left_in_the_hour_at_most_one_risky_call_goes_beyond_ready_agents()
    {
        // Ten agents 9 s into a 15 s wrap-up: calls launched now are answered about when they are free.
        var agents = Enumerable.Repeat(Agent(AgentActivity.WrapUp, 9), 10).Append(Agent(AgentActivity.Ready)).ToArray();
        var pacer = new Pacer();
        var fresh = pacer.Decide(State(DialingMode.PREDICTIVE, agents), Now);
        Assert.True(fresh.CallsToLaunch > 2, $"{fresh.CallsToLaunch} calls with the hour's budget untouched");

        // 7 abandons in 100 answers at 3 %: with the rest of the hour's answers counted low, one more abandon fits. Each
        // abandon needs a call no agent takes, so one call beyond ready agents cannot bring two.
        var meter = new AbandonMeter();
        for (var i = 0; i < 100; i++) meter.Record(Now.AddMinutes(-5), abandoned: i < 7);
        // Beyond that, only while two abandons from the calls in flight stay very unlikely.
        var last = pacer.Decide(State(DialingMode.PREDICTIVE, agents, meter: meter), Now);
        Assert.InRange(last.CallsToLaunch, 2, fresh.CallsToLaunch - 1);
        Assert.True(last.CallsToLaunch == 2 || last.ExpectedAbandons <= PacingBudget.MeanWithin(1, 0.001, 2.5));
        // Calls ringing past every answer time cover nobody and cannot abandon; one that may still be answered counts.
        Assert.Equal(last.CallsToLaunch, pacer.Decide(State(DialingMode.PREDICTIVE, agents, [Dialing(16), Dialing(20)], meter: meter), Now).CallsToLaunch);
        Assert.True(pacer.Decide(State(DialingMode.PREDICTIVE, agents, [Dialing(2)], meter: meter), Now).CallsToLaunch < last.CallsToLaunch);
    }

    [Fact]
    public void A_call_that_can_no_longer_be_answered_leaves_its_ready_agent_uncovered()
    {
        var meter = new AbandonMeter();
        for (var i = 0; i < 100; i++) meter.Record(Now.AddMinutes(-5), abandoned: i < 5);
        var agents = new[] { Agent(AgentActivity.Ready, 20), Agent(AgentActivity.Talking, 10) };
        // Budget spent (5 of 100 at 2 %): only calls a ready agent is sure to take.
        var decision = new Pacer().Decide(State(DialingMode.PREDICTIVE, agents, [Dialing(18)], meter: meter, target: 2), Now);
        Assert.Equal(new PacingDecision(1, PacingReason.BudgetSpent, DecideAgainAfter: TimeSpan.FromSeconds(0.5)), decision);
        Assert.Equal(0, new Pacer().Decide(State(DialingMode.PROGRESSIVE, agents, [Dialing(18)]), Now).CallsToLaunch);
    }
}
