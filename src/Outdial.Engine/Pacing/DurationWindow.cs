namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> observed durations, with an empirical CDF over them.</summary>
/// <remarks>A rolling window follows drift during a shift; the sorted copy is rebuilt lazily, at most once per
/// 1/64 of the window's turnover, so a lookup is a binary search.</remarks>
internal sealed class DurationWindow(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private double[] _sorted = [];
    private int _count;
    private int _next;
    private int _sinceSort;
    private double _sum;

    public int Count => _count;

    public double Mean => _count == 0 ? 0 : _sum / _count;

    public void Add(double seconds)
    {
        if (_count == capacity) _sum -= _ring[_next];
        else _count++;
        _ring[_next] = seconds;
        _sum += seconds;
        _next = (_next + 1) % capacity;
        _sinceSort++;
    }

    /// <summary>Number of observations at or below <paramref name="seconds"/>.</summary>
    public int CountAtOrBelow(double seconds) => OutcomeWindow.CountAtOrBelow(Sorted(), seconds);

    public double Cdf(double seconds) => _count == 0 ? 0 : (double)CountAtOrBelow(seconds) / _count;

    public double Quantile(double u)
    {
        var sorted = Sorted();
        if (sorted.Length == 0) return 0;
        var i = Math.Clamp((int)(u * sorted.Length), 0, sorted.Length - 1);
        return sorted[i];
    }

    private double[] Sorted()
    {
        if (_sinceSort > 0 && (_sorted.Length != _count || _sinceSort * 64 >= _count))
        {
            _sorted = new double[_count];
            Array.Copy(_ring, _sorted, _count);
            Array.Sort(_sorted);
            _sinceSort = 0;
        }
        return _sorted;
    }
}
