namespace Outdial.Engine.Pacing;

/// <summary>A sorted sample with a count table on a fixed grid, so the CDF is an O(1) lookup in pacing's inner loops.</summary>
internal sealed class SortedSample
{
    private const double Step = 0.5;
    private const int MaxGrid = 20_000; // 10 000 s; beyond that a binary search
    private readonly double[] _sorted;
    private readonly int[] _grid;

    public static readonly SortedSample Empty = new([]);

    /// <param name="sorted">Ascending values; the instance keeps the array.</param>
    public SortedSample(double[] sorted)
    {
        _sorted = sorted;
        var length = sorted.Length == 0 ? 1 : Math.Min(MaxGrid, (int)Math.Ceiling(Math.Max(0, sorted[^1]) / Step) + 2);
        _grid = new int[length];
        var j = 0;
        for (var i = 0; i < length; i++)
        {
            var x = i * Step;
            while (j < sorted.Length && sorted[j] <= x) j++;
            _grid[i] = j;
        }
    }

    public int Count => _sorted.Length;

    public double Quantile(double u) =>
        _sorted.Length == 0 ? 0 : _sorted[Math.Clamp((int)(u * _sorted.Length), 0, _sorted.Length - 1)];

    /// <summary>Observations at or below <paramref name="x"/>, interpolated between grid points (a smoothed count).</summary>
    public double CountBelow(double x)
    {
        if (x < 0) return 0;
        var pos = x / Step;
        var i = (int)pos;
        if (i + 1 >= _grid.Length) return i + 1 == _grid.Length ? _grid[i] : CountAtOrBelow(x);
        return _grid[i] + ((_grid[i + 1] - _grid[i]) * (pos - i));
    }

    public int CountAtOrBelow(double x)
    {
        int lo = 0, hi = _sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
