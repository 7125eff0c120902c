namespace Outdial.Engine.Pacing;

/// <summary>Answered-by-person and abandoned counts.</summary>
/// <remarks>Abandon rate = abandoned / answered by a person (machines, fax and unanswered calls count in neither);
/// an abandoned call is one a person answered and no agent took within the grace time (2 s).</remarks>
public readonly record struct AbandonStats(int Answered, int Abandoned)
{
    public double RatePercent => Answered == 0 ? 0 : 100.0 * Abandoned / Answered;
}

/// <summary>Abandon counts in clock-hour buckets (UTC) for the last 30 days: the current hour, the last 24 h and
/// 30 days are sums of buckets, so "last 24 h" covers the current hour and the 23 before it.</summary>
public sealed class AbandonMeter
{
    private const int Hours = 30 * 24;
    private readonly long[] _hour = new long[Hours];
    private readonly int[] _answered = new int[Hours];
    private readonly int[] _abandoned = new int[Hours];

    public AbandonMeter() => Array.Fill(_hour, long.MinValue);

    /// <summary>Counts a call answered by a person at <paramref name="answeredAt"/>, abandoned or not.</summary>
    public void Record(DateTimeOffset answeredAt, bool abandoned)
    {
        var i = Bucket(HourOf(answeredAt));
        _answered[i]++;
        if (abandoned) _abandoned[i]++;
    }

    /// <summary>Adds counts of an earlier run (see <see cref="PacingHistory"/>) to the hour containing <paramref name="hour"/>.</summary>
    public void Add(DateTimeOffset hour, int answered, int abandoned)
    {
        var i = Bucket(HourOf(hour));
        _answered[i] += answered;
        _abandoned[i] += abandoned;
    }

    public AbandonStats CurrentHour(DateTimeOffset now) => Sum(now, 1);
    public AbandonStats Last24Hours(DateTimeOffset now) => Sum(now, 24);
    public AbandonStats Last30Days(DateTimeOffset now) => Sum(now, Hours);

    private AbandonStats Sum(DateTimeOffset now, int hours)
    {
        var current = HourOf(now);
        int answered = 0, abandoned = 0;
        for (var h = current - hours + 1; h <= current; h++)
        {
            var i = (int)(((h % Hours) + Hours) % Hours);
            if (_hour[i] != h) continue;
            answered += _answered[i];
            abandoned += _abandoned[i];
        }
        return new(answered, abandoned);
    }

    private int Bucket(long hour)
    {
        var i = (int)(((hour % Hours) + Hours) % Hours);
        if (_hour[i] != hour)
        {
            _hour[i] = hour;
            _answered[i] = 0;
            _abandoned[i] = 0;
        }
        return i;
    }

    private static long HourOf(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerHour;
}
