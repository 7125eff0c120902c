using Outdial.Engine.Domain;
using Outdial.Engine.Simulation;
using Xunit.Abstractions;

namespace Outdial.Engine.Tests.Pacing;

/// <summary>Predictive pacing on simulated shifts (the default simulated network: 25 % person answers): the abandon rate
/// (abandoned / answered by a person) stays at or under the campaign target over the run and in every hour.</summary>
public sealed class PredictiveShiftTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3.0, 1)]
    [InlineData(3.0, 2)]
    [InlineData(1.0, 1)]
    [InlineData(1.0, 2)]
    public void Fifty_agents_stay_under_the_target_every_hour(double target, int seed)
    {
        // Four hours keep the suite fast; every hour is checked, the first one (warm-up) included.
        var report = Run(DialingMode.PREDICTIVE, agents: 50, target, seed, hours: 4);

        AssertUnderTarget(report, target);
        Assert.True(report.Total.Occupancy > 0.80, $"occupancy {report.Total.Occupancy:P1}");
    }

    [Theory]
    [InlineData(3.0, 1)]
    [InlineData(3.0, 2)]
    [InlineData(3.0, 3)]
    public void Five_agents_stay_under_the_target_and_beat_progressive(double target, int seed)
    {
        var predictive = Run(DialingMode.PREDICTIVE, agents: 5, target, seed, hours: 8);
        var progressive = Run(DialingMode.PROGRESSIVE, agents: 5, target, seed, hours: 8);

        AssertUnderTarget(predictive, target);
        Assert.True(predictive.Total.Occupancy > progressive.Total.Occupancy,
            $"predictive {predictive.Total.Occupancy:P1}, progressive {progressive.Total.Occupancy:P1}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Five_agents_stay_under_a_one_percent_target(int seed)
    {
        // About 100 answers an hour: a single abandon is already 1 %, so this is nearly progressive, and must stay safe.
        AssertUnderTarget(Run(DialingMode.PREDICTIVE, agents: 5, target: 1, seed, hours: 8), 1);
    }

    private ShiftReport Run(DialingMode mode, int agents, double target, int seed, int hours)
    {
        var report = ShiftSimulation.Run(new ShiftOptions
        {
            Agents = agents,
            Records = 100_000,
            Mode = mode,
            TargetAbandonPercent = target,
            Seed = seed,
            Length = TimeSpan.FromHours(hours),
        });
        output.WriteLine($"{mode} {agents} agents, target {target} %, seed {seed}: occupancy {report.Total.Occupancy:P1}, " +
            $"abandon {report.Total.AbandonRatePercent:F2} % (worst hour {report.WorstHourAbandonPercent:F2} %), answered {report.Total.Answered}");
        return report;
    }

    private static void AssertUnderTarget(ShiftReport report, double target)
    {
        Assert.True(report.Total.Answered > 0);
        Assert.True(report.Total.AbandonRatePercent <= target, $"shift {report.Total.AbandonRatePercent:F2} %");
        foreach (var hour in report.Hours)
            Assert.True(hour.AbandonRatePercent <= target, $"hour {hour.Hour}: {hour.Abandoned}/{hour.Answered} = {hour.AbandonRatePercent:F2} %");
    }
}
