namespace Outdial.Engine.Simulation;

/// <summary>A discrete-event clock: time only moves when <see cref="Step"/> or <see cref="RunUntil"/> fires the next timer.</summary>
/// <remarks>Single-threaded; timers due at the same instant fire in creation order, so runs are reproducible.</remarks>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private readonly PriorityQueue<(VirtualTimer Timer, long Version), (long Due, long Seq)> _queue = new();
    private long _now = start.UtcTicks;
    private long _seq;

    public override DateTimeOffset GetUtcNow() => new(_now, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires the next timer due at or before <paramref name="limit"/>; false when there is none (time then stays put).</summary>
    public bool Step(DateTimeOffset limit)
    {
        while (_queue.TryPeek(out var entry, out var key))
        {
            if (key.Due > limit.UtcTicks) return false;
            _queue.Dequeue();
            if (entry.Version != entry.Timer.Version) continue; // changed or disposed since scheduled
            _now = Math.Max(_now, key.Due);
            entry.Timer.Fire();
            return true;
        }
        return false;
    }

    /// <summary>Fires every timer due up to <paramref name="end"/>, then sets the time to <paramref name="end"/>.</summary>
    public void RunUntil(DateTimeOffset end)
    {
        while (Step(end)) { }
        _now = Math.Max(_now, end.UtcTicks);
    }

    private void Schedule(VirtualTimer timer, long dueTicks) => _queue.Enqueue((timer, timer.Version), (dueTicks, _seq++));

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long _period = -1;
        public long Version { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Version++;
            _period = period == Timeout.InfiniteTimeSpan ? -1 : period.Ticks;
            if (dueTime != Timeout.InfiniteTimeSpan) clock.Schedule(this, clock._now + Math.Max(0, dueTime.Ticks));
            return true;
        }

        public void Fire()
        {
            if (_period > 0) clock.Schedule(this, clock._now + _period);
            else Version++;
            callback(state);
        }

        public void Dispose() => Version++;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
