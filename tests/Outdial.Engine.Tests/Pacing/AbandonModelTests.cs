using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using Xunit.Abstractions;

namespace Outdial.Engine.Tests.Pacing;

public sealed class AbandonModelTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 10, 0, TimeSpan.Zero);
    private static readonly OutcomeEstimator Estimator = PacingWorld.Warm();

    private static AgentSnapshot Agent(AgentActivity activity, double secondsAgo = 0) => new(activity, Now.AddSeconds(-secondsAgo));
    private static CallSnapshot Dialing(double secondsAgo) => new(Now.AddSeconds(-secondsAgo), CallPhase.Dialing);

    private static PacingState State(AgentSnapshot[] agents, CallSnapshot[] calls) =>
        new() { Mode = DialingMode.PREDICTIVE, Agents = agents, Calls = calls, Estimator = Estimator, Meter = new AbandonMeter() };

    public static TheoryData<string> Cases => ["small", "wrap", "busy", "large"];

    private static (AgentSnapshot[] Agents, CallSnapshot[] Calls) Case(string name) => name switch
    {
        "small" => ([Agent(AgentActivity.Ready, 3), Agent(AgentActivity.WrapUp, 5), Agent(AgentActivity.WrapUp, 12),
            Agent(AgentActivity.Talking, 30), Agent(AgentActivity.Talking, 150)], [Dialing(1), Dialing(6), Dialing(10), Dialing(15)]),
        "wrap" => ([.. Enumerable.Range(0, 5).Select(i => Agent(AgentActivity.WrapUp, 2 * i)),
            .. Enumerable.Range(0, 5).Select(i => Agent(AgentActivity.Talking, 20 * i))],
            [.. Enumerable.Range(0, 12).Select(i => Dialing(i))]),
        "busy" => ([.. Enumerable.Range(0, 20).Select(i => Agent(AgentActivity.Talking, 10 * i))],
            [.. Enumerable.Range(0, 10).Select(i => Dialing(1.5 * i))]),
        _ => ([.. Enumerable.Range(0, 50).Select(i => i % 9 == 0 ? Agent(AgentActivity.WrapUp, i % 15) : Agent(AgentActivity.Talking, 4 * i)),
            Agent(AgentActivity.Ready, 1)], [.. Enumerable.Range(0, 30).Select(i => Dialing(0.5 * i))]),
    };

    /// <summary>The model treats 1 s slots as independent and places each ringing call's answer at one instant, so it is
    /// an approximation: what a decision uses (one more call's added abandons) stays within about half of the exact
    /// figure, and the abandons of the calls in flight are not underestimated by more than that.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Expected_abandons_match_a_monte_carlo_of_the_same_world(string name)
    {
        var (agents, calls) = Case(name);
        var state = State(agents, calls);
        var ready = agents.Count(a => a.Activity == AgentActivity.Ready);
        foreach (var launched in (int[])[0, 3])
        {
            var (baseline, delta) = new AbandonModel().Assess(state, Now, new PacerOptions(), ready, launched);
            var (mcBase, mcMore) = PacingWorld.Abandons(agents, [.. calls, .. Enumerable.Repeat(Dialing(0), launched)], Now, 100_000, 5);
            var mcDelta = mcMore - mcBase;
            output.WriteLine($"{name} +{launched}: model {baseline:F4} + {delta:F4}, monte carlo {mcBase:F4} + {mcDelta:F4}");
            Assert.InRange(delta, (0.6 * mcDelta) - 0.002, (1.5 * mcDelta) + 0.002);
            Assert.True(baseline >= (0.6 * mcBase) - 0.005, $"baseline {baseline:F4} against {mcBase:F4}");
        }
    }

    [Fact]
    public void Calls_ringing_past_every_answer_time_bring_no_abandons()
    {
        // Every agent busy for minutes: any answer would be abandoned, but these calls can no longer be answered.
        AgentSnapshot[] agents = [.. Enumerable.Repeat(Agent(AgentActivity.Talking, 1), 3)];
        var (baseline, _) = new AbandonModel().Assess(State(agents, [Dialing(15), Dialing(20)]), Now, new PacerOptions(), 0, 0);
        Assert.Equal(0, baseline, 6);
        Assert.True(Estimator.MayStillAnswer(13));
        Assert.False(Estimator.MayStillAnswer(14.5));
    }

    [Fact]
    public void An_extra_call_with_nobody_free_soon_abandons_at_about_the_answer_rate()
    {
        AgentSnapshot[] agents = [.. Enumerable.Repeat(Agent(AgentActivity.Talking, 1), 3)];
        var (_, delta) = new AbandonModel().Assess(State(agents, []), Now, new PacerOptions(), 0, 0);
        Assert.InRange(delta, 0.27, 0.31); // a person answers 30 % of calls, and no talk of 1 s ends within 15 s + wrap-up
    }
}
