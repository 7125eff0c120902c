using Outdial.Engine.Pacing;

namespace Outdial.Engine.Tests.Pacing;

public sealed class RatioAverageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Weighs_each_ratio_by_how_long_it_held()
    {
        var average = new RatioAverage(TimeSpan.FromMinutes(5));
        average.Add(40, T0);
        Assert.Equal(40, average.Value);
        // A progressive decision (0) every second for a moment does not wipe out minutes of predictive dialing ...
        average.Add(40, T0.AddMinutes(5));
        for (var s = 1; s <= 3; s++) average.Add(0, T0.AddMinutes(5).AddSeconds(s));
        Assert.InRange(average.Value, 39, 40);
        // ... but one that lasts does: after about 5 time constants the average is within 1 % of the old level of it.
        average.Add(0, T0.AddMinutes(30));
        Assert.InRange(average.Value, 0, 0.4);
    }

    [Fact]
    public void Many_decisions_at_one_instant_count_as_the_last_of_them()
    {
        var average = new RatioAverage(TimeSpan.FromMinutes(5));
        average.Add(10, T0);
        average.Add(90, T0);
        average.Add(50, T0);
        Assert.Equal(10, average.Value); // nothing has held yet but the first
        average.Add(50, T0.AddHours(2));
        Assert.Equal(50, average.Value, 6); // the 50 held for two hours
    }

    [Fact]
    public void Resumes_from_a_kept_value_instead_of_starting_at_the_first_decision()
    {
        var average = new RatioAverage(TimeSpan.FromMinutes(5));
        average.Resume(40, T0);
        average.Add(0, T0.AddSeconds(1)); // the first decision after a restart happens to be progressive
        Assert.Equal(40, average.Value, 6);
        average.Add(0, T0.AddMinutes(5)); // the 0 held 299 s of the 300 s time constant
        Assert.Equal(40 * Math.Exp(-299.0 / 300), average.Value, 6);
    }
}
