namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> observed durations, with an empirical CDF over them.</summary>
/// <remarks>A rolling window follows drift during a shift; the sorted copy is rebuilt lazily, at most once per
/// 1/64 of the window's turnover. Priors (added first) are left out once <paramref name="enough"/> real durations are in
/// the window, as in <see cref="OutcomeWindow"/>: a prior wrap-up longer than the real ones would hold back the calls
/// timed against wrap-ups' ends.</remarks>
internal sealed class DurationWindow(int capacity, int enough)
{
    private readonly double[] _ring = new double[capacity];
    private readonly bool[] _prior = new bool[capacity];
    private int _priors;
    private double _priorSum;
    private SortedSample _sample = SortedSample.Empty;
    private int _count;
    private int _next;
    private int _sinceSort;
    private double _sum;

    private bool DropPriors => _priors > 0 && _count - _priors >= enough;

    public int Count => DropPriors ? _count - _priors : _count;

    public double Mean => Count == 0 ? 0 : (DropPriors ? _sum - _priorSum : _sum) / Count;

    public void Add(double seconds, bool prior = false)
    {
        if (_count == capacity)
        {
            _sum -= _ring[_next];
            if (_prior[_next]) (_priors, _priorSum) = (_priors - 1, _priorSum - _ring[_next]);
        }
        else _count++;
        if (prior) (_priors, _priorSum) = (_priors + 1, _priorSum + seconds);
        _ring[_next] = seconds;
        _prior[_next] = prior;
        _sum += seconds;
        _next = (_next + 1) % capacity;
        _sinceSort++;
    }

    public SortedSample Sample
    {
        get
        {
            var drop = DropPriors;
            if (_sinceSort > 0 && (_sample.Count != Count || _sinceSort * 64 >= _count))
            {
                var sorted = new double[Count];
                for (int i = 0, j = 0; i < _count; i++)
                    if (!(drop && _prior[i])) sorted[j++] = _ring[i];
                Array.Sort(sorted);
                _sample = new SortedSample(sorted);
                _sinceSort = 0;
            }
            return _sample;
        }
    }
}
