namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> dialing outcomes (time to outcome, answered by a person or not), so the
/// person share and both time distributions describe the same recent calls.</summary>
internal sealed class OutcomeWindow(int capacity)
{
    private readonly (double Seconds, bool Person)[] _ring = new (double, bool)[capacity];
    private SortedSample _person = SortedSample.Empty;
    private SortedSample _other = SortedSample.Empty;
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

    public SortedSample Person => Sorted().Person;
    public SortedSample Other => Sorted().Other;

    private (SortedSample Person, SortedSample Other) Sorted()
    {
        if (_sinceSort > 0 && (_sinceSort * 64 >= _count || _person.Count + _other.Count != _count))
        {
            var persons = 0;
            for (var i = 0; i < _count; i++) if (_ring[i].Person) persons++;
            var person = new double[persons];
            var other = new double[_count - persons];
            int p = 0, o = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_ring[i].Person) person[p++] = _ring[i].Seconds;
                else other[o++] = _ring[i].Seconds;
            }
            Array.Sort(person);
            Array.Sort(other);
            (_person, _other) = (new SortedSample(person), new SortedSample(other));
            _sinceSort = 0;
        }
        return (_person, _other);
    }
}
