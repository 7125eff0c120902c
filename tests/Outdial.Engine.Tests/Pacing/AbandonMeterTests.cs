using Outdial.Engine.Pacing;

namespace Outdial.Engine.Tests.Pacing;

public sealed class AbandonMeterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Rate_is_abandoned_over_answered_by_a_person_per_window()
    {
        var meter = new AbandonMeter();
        meter.Record(Now.AddMinutes(-10), abandoned: true);
        meter.Record(Now.AddMinutes(-10), abandoned: false);
        meter.Record(Now.AddHours(-2), abandoned: false);
        meter.Record(Now.AddHours(-2), abandoned: false);
        meter.Record(Now.AddDays(-3), abandoned: true);
        meter.Record(Now.AddDays(-31), abandoned: true); // outside every window

        Assert.Equal(new AbandonStats(2, 1), meter.CurrentHour(Now));
        Assert.Equal(new AbandonStats(4, 1), meter.Last24Hours(Now));
        Assert.Equal(new AbandonStats(5, 2), meter.Last30Days(Now));
        Assert.Equal(40, meter.Last30Days(Now).RatePercent, 6);
        Assert.Equal(0, new AbandonStats(0, 0).RatePercent);
    }

    [Fact]
    public void Hours_are_clock_hours()
    {
        var meter = new AbandonMeter();
        meter.Record(new DateTimeOffset(2026, 3, 10, 11, 59, 59, TimeSpan.Zero), abandoned: true);
        Assert.Equal(new AbandonStats(0, 0), meter.CurrentHour(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new AbandonStats(1, 1), meter.CurrentHour(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero)));
    }
}
