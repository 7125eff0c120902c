namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> observed durations, with an empirical CDF over them.</summary>
/// <remarks>A rolling window follows drift during a shift; the sorted copy is rebuilt lazily, at most once per
/// 1/64 of the window's turnover.</remarks>
internal sealed class DurationWindow(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private SortedSample _sample = SortedSample.Empty;
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

    public SortedSample Sample
    {
        get
        {
            if (_sinceSort > 0 && (_sample.Count != _count || _sinceSort * 64 >= _count))
            {
                var sorted = new double[_count];
                Array.Copy(_ring, sorted, _count);
                Array.Sort(sorted);
                _sample = new SortedSample(sorted);
                _sinceSort = 0;
            }
            return _sample;
        }
    }
}
