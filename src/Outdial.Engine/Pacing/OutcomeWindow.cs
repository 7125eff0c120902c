namespace Outdial.Engine.Pacing;

/// <summary>The last <c>capacity</c> dialing outcomes (time to outcome, answered by a person or not), so the
/// person share and both time distributions describe the same recent calls.</summary>
/// <remarks>Priors (pseudo-outcomes added first) are left out once <paramref name="enough"/> real outcomes, among them
/// <paramref name="enoughPersons"/> person answers, are in the window: they would otherwise stay for as long as the
/// window takes to turn over, and their extremes (an answer after 16 s where real ones stop at 14) keep the pacer
/// waiting for answers that cannot come. The person answers bound how far the longest real answer time may fall short
/// of the true one (about 1 / (n + 1) of the range).</remarks>
internal sealed class OutcomeWindow(int capacity, int enough, int enoughPersons)
{
    private readonly (double Seconds, bool Person, bool Prior)[] _ring = new (double, bool, bool)[capacity];
    private int _priors;
    private int _realPersons;
    private SortedSample _person = SortedSample.Empty;
    private SortedSample _other = SortedSample.Empty;
    private int _count;
    private int _next;
    private int _sinceSort;

    public void Add(double seconds, bool person, bool prior = false)
    {
        if (_count < capacity) _count++;
        else if (_ring[_next].Prior) _priors--;
        else if (_ring[_next].Person) _realPersons--;
        if (prior) _priors++;
        else if (person) _realPersons++;
        _ring[_next] = (seconds, person, prior);
        _next = (_next + 1) % capacity;
        _sinceSort++;
    }

    public SortedSample Person => Sorted().Person;
    public SortedSample Other => Sorted().Other;

    private (SortedSample Person, SortedSample Other) Sorted()
    {
        // Priors go as soon as the real outcomes are enough: the count of outcomes used then changes, which rebuilds.
        var dropPriors = _priors > 0 && _count - _priors >= enough && _realPersons >= enoughPersons;
        var used = dropPriors ? _count - _priors : _count;
        if (_sinceSort > 0 && (_sinceSort * 64 >= _count || _person.Count + _other.Count != used))
        {
            var persons = 0;
            for (var i = 0; i < _count; i++) if (_ring[i].Person && !(dropPriors && _ring[i].Prior)) persons++;
            var person = new double[persons];
            var other = new double[used - persons];
            int p = 0, o = 0;
            for (var i = 0; i < _count; i++)
            {
                if (dropPriors && _ring[i].Prior) continue;
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
