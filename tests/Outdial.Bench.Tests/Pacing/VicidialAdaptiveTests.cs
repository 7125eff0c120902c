using Outdial.Bench.Pacing;

namespace Outdial.Bench.Tests.Pacing;

/// <summary>The dial-level arithmetic of AST_VDadapt.pl's calculate_dial_level and AST_VDauto.pl's goal calls, against
/// cases worked by hand.</summary>
public sealed class VicidialAdaptiveTests
{
    [Theory]
    // level x (1 + (avg ready - avg waiting) / avg agents)
    [InlineData(2.0, 3 - 1, 10, 2.4)]      // 2 x (1 + 2/10)
    [InlineData(2.0, 0 - 2, 10, 1.6)]      // 2 x (1 - 2/10)
    [InlineData(1.5, 1.2 - 0.4, 8, 1.65)]  // 1.5 x (1 + 0.8/8) = 1.65
    [InlineData(2.8, 2, 10, 3.0)]          // 3.36 capped at the maximum level 3
    [InlineData(1.0, -5, 10, 1.0)]         // 0.5 raised to 1
    [InlineData(2.0, 0, 10, 2.0)]          // no differential, no change
    [InlineData(1.234, 1, 3, 1.645)]       // 1.234 x 4/3 = 1.64533 -> 3 decimals
    public void Level_follows_the_differential_per_agent(double level, double differential, double agents, double expected) =>
        Assert.Equal(expected, VicidialAdaptive.NextLevel(level, differential, agents, maximumLevel: 3.0), 9);

    [Theory]
    [InlineData(AdaptMethod.HardLimit, 2.4, 1000, 1.0)]
    [InlineData(AdaptMethod.Average, 2.4, 1000, 1.2)]   // halved
    [InlineData(AdaptMethod.Tapered, 2.4, 1000, 2.4)]   // 2100 - 1000 = 1100 "hours" left > 1000: full rate
    [InlineData(AdaptMethod.Tapered, 2.4, 1600, 1.2)]   // 500 left: x 0.5
    [InlineData(AdaptMethod.Tapered, 3.0, 1700, 1.2)]   // 400 left: x 0.4
    [InlineData(AdaptMethod.Tapered, 2.4, 1845, 1.0)]   // 255 left: 0.612, raised to 1
    [InlineData(AdaptMethod.Tapered, 2.4, 2200, 1.0)]   // past the latest server time
    public void Over_the_drop_limit_today_each_method_cuts_the_level(AdaptMethod method, double level, int hourMinute, double expected) =>
        Assert.Equal(expected, VicidialAdaptive.ApplyDropRules(level, method, callsToday: 500, dropPercentToday: 3.5, droppedPercentage: 3,
            callsOneMinute: 30, dropPercentOneMinute: 10, hourMinute, latestServerTime: 2100), 9);

    [Fact]
    public void Under_the_limit_or_with_few_calls_the_level_stands()
    {
        Assert.Equal(2.4, VicidialAdaptive.ApplyDropRules(2.4, AdaptMethod.HardLimit, 500, 3.0, 3, 30, 10, 1000, 2100), 9);  // at, not over
        Assert.Equal(2.4, VicidialAdaptive.ApplyDropRules(2.4, AdaptMethod.HardLimit, 50, 10.0, 3, 30, 10, 1000, 2100), 9);  // 50 calls: not more than 50
    }

    [Fact]
    public void More_than_half_of_the_last_minute_dropped_halves_the_level()
    {
        Assert.Equal(1.2, VicidialAdaptive.ApplyDropRules(2.4, AdaptMethod.HardLimit, 500, 1.0, 3, 21, 50.01, 1000, 2100), 9);
        Assert.Equal(2.4, VicidialAdaptive.ApplyDropRules(2.4, AdaptMethod.HardLimit, 500, 1.0, 3, 20, 90, 1000, 2100), 9); // 20 calls: not more than 20
        // Both rules: halved for the minute, then halved again by AVERAGE.
        Assert.Equal(1.0, VicidialAdaptive.ApplyDropRules(2.4, AdaptMethod.Average, 500, 5.0, 3, 30, 60, 1000, 2100), 9);
        Assert.Equal(1.5, VicidialAdaptive.ApplyDropRules(6.0, AdaptMethod.Average, 500, 5.0, 3, 30, 60, 1000, 2100), 9);
    }

    [Theory]
    // goal = round(level x (ready + in call)); place goal - (dialing and waiting + connected)
    [InlineData(1.0, 3, 7, 1, 2)]   // progressive: 10 - (1 + 7) = 2 = ready - dialing
    [InlineData(2.0, 1, 9, 4, 7)]   // 20 - (4 + 9)
    [InlineData(1.5, 0, 5, 0, 3)]   // 7.5 rounds to even 8: 8 - 5
    [InlineData(2.5, 0, 5, 0, 7)]   // 12.5 rounds to even 12: 12 - 5
    [InlineData(3.0, 0, 2, 9, 0)]   // 6 - (9 + 2) < 0: none
    public void Calls_to_make_are_the_goal_less_the_calls_in_flight(double level, int ready, int talking, int inFlight, int expected)
        => Assert.Equal(expected, VicidialDialing.CallsToMake(level, ready, talking, inFlight));
}
