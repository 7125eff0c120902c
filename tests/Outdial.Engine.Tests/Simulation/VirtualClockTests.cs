using Outdial.Engine.Simulation;

namespace Outdial.Engine.Tests.Simulation;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fires_timers_in_due_order_and_moves_time_to_each()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<(string, DateTimeOffset)>();
        clock.CreateTimer(_ => fired.Add(("b", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        clock.CreateTimer(_ => fired.Add(("a", clock.GetUtcNow())), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.CreateTimer(_ => fired.Add(("c", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.RunUntil(Start.AddSeconds(10));

        Assert.Equal([("a", Start.AddSeconds(1)), ("b", Start.AddSeconds(2)), ("c", Start.AddSeconds(2))], fired);
        Assert.Equal(Start.AddSeconds(10), clock.GetUtcNow());
    }

    [Fact]
    public void Changed_and_disposed_timers_fire_only_as_last_set()
    {
        var clock = new VirtualClock(Start);
        var count = 0;
        var moved = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        moved.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        var disposed = clock.CreateTimer(_ => count += 100, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        var periodic = clock.CreateTimer(_ => count += 10, null, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

        Assert.False(clock.Step(Start.AddSeconds(2)));
        clock.RunUntil(Start.AddSeconds(9.5));

        Assert.Equal(1 + 30, count); // moved once at 5 s; periodic at 3, 6, 9 s
        periodic.Dispose();
    }
}
