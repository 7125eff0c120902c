namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> dialing outcomes (time to outcome, answered by a person or not), so the
/// person share and both time distributions describe the same recent calls.</summary>
internal sealed class OutcomeWindow(int capacity)
{
    private readonly (double Seconds, bool Person)[] _ring = new (double, bool)[capacity];
    private double[] _person = [];
    private double[] _other = [];
    private int _count;
    private int _next;
    private int _sinceSort;

    public void Add(double seconds, bool person)
    {
        if (_count < capacity) _count++;
        _ring[_next] = (seconds, person);
        _next = (_next + 1) % capacity;
        _sinceSort++;
    }

    public int PersonCount => Sorted().Person.Length;
    public int OtherCount => Sorted().Other.Length;

    public int PersonAtOrBelow(double seconds) => CountAtOrBelow(Sorted().Person, seconds);
    public int OtherAtOrBelow(double seconds) => CountAtOrBelow(Sorted().Other, seconds);

    public double PersonQuantile(double u)
    {
        var person = Sorted().Person;
        return person.Length == 0 ? 0 : person[Math.Clamp((int)(u * person.Length), 0, person.Length - 1)];
    }

    private (double[] Person, double[] Other) Sorted()
    {
        if (_sinceSort > 0 && (_sinceSort * 64 >= _count || _person.Length + _other.Length != _count))
        {
            var persons = 0;
            for (var i = 0; i < _count; i++) if (_ring[i].Person) persons++;
            _person = new double[persons];
            _other = new double[_count - persons];
            int p = 0, o = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_ring[i].Person) _person[p++] = _ring[i].Seconds;
                else _other[o++] = _ring[i].Seconds;
            }
            Array.Sort(_person);
            Array.Sort(_other);
            _sinceSort = 0;
        }
        return (_person, _other);
    }

    internal static int CountAtOrBelow(double[] sorted, double seconds)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= seconds) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
