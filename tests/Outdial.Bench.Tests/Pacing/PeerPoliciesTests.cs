using Outdial.Bench.Pacing;
using Outdial.Engine.Domain;
using Outdial.Engine.Simulation;

namespace Outdial.Bench.Tests.Pacing;

public sealed class PeerPoliciesTests
{
    private static readonly PacingWorld Stationary = PacingWorld.All(0.02).Single(w => w.Name == "stationary");

    private static ShiftReport Run(PacingWorld world, int agents, IDialPolicy? policy, TimeSpan length, DialingMode mode = DialingMode.PREDICTIVE) =>
        ShiftSimulation.Run(new ShiftOptions
        {
            Agents = agents,
            AgentShifts = world.Shifts(agents),
            Length = length,
            Start = world.Start,
            Mode = mode,
            TargetAbandonPercent = 3,
            Seed = 2,
            Network = world.Network,
            Policy = policy,
        });

    [Fact]
    public void The_clairvoyant_bound_never_abandons_and_keeps_agents_busier_than_any_pacer()
    {
        var bound = Run(Stationary, 10, new ClairvoyantPolicy(), TimeSpan.FromHours(2));
        var predictive = Run(Stationary, 10, null, TimeSpan.FromHours(2));
        Assert.Equal(0, bound.Total.Abandoned);
        Assert.True(bound.Total.Occupancy > 0.97, $"{bound.Total.Occupancy:P1}");
        Assert.True(bound.Total.Occupancy > predictive.Total.Occupancy, $"{bound.Total.Occupancy:P1} vs {predictive.Total.Occupancy:P1}");
    }

    [Fact]
    public void Ratio_one_is_progressive_and_a_higher_level_trades_abandons_for_occupancy()
    {
        var progressive = Run(Stationary, 10, null, TimeSpan.FromHours(2), DialingMode.PROGRESSIVE);
        var one = Run(Stationary, 10, new FixedRatioPolicy(1.0), TimeSpan.FromHours(2));
        var two = Run(Stationary, 10, new FixedRatioPolicy(2.0), TimeSpan.FromHours(2));
        Assert.Equal(0, one.Total.Abandoned);
        // Polled once a second rather than on every event: within a point of progressive.
        Assert.InRange(one.Total.Occupancy, progressive.Total.Occupancy - 0.01, progressive.Total.Occupancy + 0.01);
        Assert.True(two.Total.Occupancy > one.Total.Occupancy + 0.1);
        Assert.True(two.Total.AbandonRatePercent > 10, $"{two.Total.AbandonRatePercent:F1} %");
    }

    [Fact]
    public void Adaptive_hard_limit_holds_the_days_drop_rate_near_its_limit()
    {
        var report = Run(Stationary, 20, new VicidialAdaptive(AdaptMethod.HardLimit, 3), TimeSpan.FromHours(4));
        Assert.InRange(report.Total.AbandonRatePercent, 1, 5);
    }

    [Fact]
    public void A_shift_change_counts_only_logged_in_time()
    {
        var world = PacingWorld.All(0.02).Single(w => w.Name == "shift-change");
        var report = Run(world, 10, null, PacingWorld.Length);
        // 5 stay 8 h; 5 leave after about 4 h (+ their last call), 5 arrive over 4:05-4:15 for the rest.
        Assert.InRange(report.AgentHours, 5 * 8 + (5 * 4.03) + (5 * 3.82), 5 * 8 + (5 * 4.2) + (5 * 3.85));
        Assert.InRange(report.Total.Occupancy, 0.7, 1);
    }
}
