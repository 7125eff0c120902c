using Outdial.Engine.Domain;
using Outdial.Engine.Simulation;

namespace Outdial.Engine.Tests.Simulation;

public sealed class ShiftSimulationTests
{
    [Fact]
    public void Progressive_never_abandons_and_accounts_every_answered_call()
    {
        var report = ShiftSimulation.Run(new ShiftOptions { Agents = 10, Mode = DialingMode.PROGRESSIVE, Length = TimeSpan.FromHours(2), Seed = 3 });
        Assert.Equal(0, report.Total.Abandoned);
        Assert.Equal(2, report.Hours.Count);
        Assert.Equal(report.Total.Answered, report.Hours.Sum(h => h.Answered));
        Assert.InRange(report.Total.Occupancy, 0.5, 0.8);
    }

    [Fact]
    public void Preview_places_no_calls()
    {
        var report = ShiftSimulation.Run(new ShiftOptions { Agents = 5, Mode = DialingMode.PREVIEW, Length = TimeSpan.FromHours(1) });
        Assert.Equal(0, report.Total.Calls);
        Assert.Equal(0, report.Total.Occupancy);
    }

    [Fact]
    public void Stops_when_the_records_run_out()
    {
        var report = ShiftSimulation.Run(new ShiftOptions { Agents = 20, Records = 500, Length = TimeSpan.FromHours(2) });
        Assert.Equal(500, report.Total.Calls);
    }

    [Fact]
    public void Same_seed_gives_the_same_shift()
    {
        var options = new ShiftOptions { Agents = 8, Length = TimeSpan.FromHours(1), Seed = 9, TargetAbandonPercent = 3 };
        Assert.Equal(ShiftSimulation.Run(options).Total, ShiftSimulation.Run(options).Total);
    }
}
