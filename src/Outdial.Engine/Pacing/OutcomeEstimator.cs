namespace Outdial.Engine.Pacing;

/// <summary>Live estimates for pacing, learned from finished calls: how often and how fast a person answers, and how
/// long talk and wrap-up last (empirical distributions over rolling windows, seeded with priors).</summary>
/// <remarks>Not thread-safe: the host updates it and takes decisions from one place.</remarks>
public sealed class OutcomeEstimator
{
    /// <summary>Calls the estimates look back over (and a restarted dialer reads back).</summary>
    public const int CallWindow = 5000;
    /// <summary>Conversations the talk and wrap-up estimates look back over.</summary>
    public const int ServiceWindow = 2000;
    private const int CallsBeforePriorsGo = 500;
    private const int PersonAnswersBeforePriorsGo = 100;
    private readonly OutcomeWindow _calls = new(CallWindow, CallsBeforePriorsGo, PersonAnswersBeforePriorsGo);
    private const int ServicesBeforePriorsGo = 200;
    private readonly DurationWindow _talk = new(ServiceWindow, ServicesBeforePriorsGo);
    private readonly DurationWindow _wrap = new(ServiceWindow, ServicesBeforePriorsGo);

    public OutcomeEstimator(OutcomePriors? priors = null)
    {
        priors ??= new OutcomePriors();
        var random = new Random(20240601);
        for (var i = 0; i < priors.CallWeight; i++)
        {
            var person = i < priors.CallWeight * priors.PersonRate;
            _calls.Add(person ? priors.AnswerTime.Sample(random) : priors.OtherOutcomeTime.Sample(random), person, prior: true);
        }
        for (var i = 0; i < priors.ServiceWeight; i++)
        {
            _talk.Add(priors.TalkTime.Sample(random), prior: true);
            _wrap.Add(priors.WrapTime.Sample(random), prior: true);
        }
        CallsObserved = 0;
        ServicesObserved = 0;
    }

    /// <summary>Real calls seen (priors excluded): how much the estimates can be trusted.</summary>
    public long CallsObserved { get; private set; }
    public long ServicesObserved { get; private set; }

    /// <summary>Records the end of dialing: time from originate to the outcome, and whether a person answered.</summary>
    public void RecordCall(double secondsToOutcome, bool answeredByPerson)
    {
        _calls.Add(secondsToOutcome, answeredByPerson);
        CallsObserved++;
    }

    /// <summary>Records a finished conversation and its wrap-up.</summary>
    public void RecordService(double talkSeconds, double wrapSeconds)
    {
        _talk.Add(talkSeconds);
        _wrap.Add(wrapSeconds);
        ServicesObserved++;
    }

    public double PersonRate
    {
        get
        {
            var (person, other) = (_calls.Person.Count, _calls.Other.Count);
            return person + other == 0 ? 0 : (double)person / (person + other);
        }
    }

    public double MeanServiceSeconds => _talk.Mean + _wrap.Mean;

    /// <summary>Answer time of a person-answered call at quantile <paramref name="u"/>.</summary>
    internal double AnswerTimeQuantile(double u) => _calls.Person.Quantile(u);

    /// <summary>The shortest person answer time observed (how soon a call launched now may need an agent).</summary>
    internal double EarliestAnswerSeconds => _calls.Person.Count == 0 ? 0 : _calls.Person.Quantile(0);

    /// <summary>The longest wrap-up observed: an agent wrapping up is surely free this long after it started.</summary>
    internal double LongestWrapSeconds => _wrap.Count == 0 ? double.PositiveInfinity : _wrap.Sample.Quantile(1);

    /// <summary>Whether a call still dialing after <paramref name="elapsed"/> seconds may yet be answered by a person
    /// (some person answer observed took longer).</summary>
    internal bool MayStillAnswer(double elapsed)
    {
        var person = _calls.Person;
        return person.CountAtOrBelow(elapsed) < person.Count;
    }

    /// <summary>Fills <paramref name="curve"/>[i] = P(a person answers within i * step more seconds | the call is still
    /// dialing after <paramref name="elapsed"/>); for a new call (elapsed 0) that is the answer rate times the CDF.</summary>
    internal void PersonAnswerCurve(double elapsed, double step, Span<double> curve)
    {
        var (person, other) = (_calls.Person, _calls.Other);
        var personBefore = person.CountBelow(elapsed);
        var alive = person.Count - personBefore + other.Count - other.CountBelow(elapsed);
        if (alive <= 0.5)
        {
            curve.Clear();
            return;
        }
        for (var i = 0; i < curve.Length; i++) curve[i] = (person.CountBelow(elapsed + (i * step)) - personBefore) / alive;
    }

    /// <summary>Fills <paramref name="curve"/>[i] = P(a busy agent is ready again within offset + i * step seconds),
    /// given how long it has been talking (then wrap-up follows, at its mean) or wrapping up.</summary>
    /// <remarks>The conditional (F(e + x) - F(e)) / (1 - F(e)) of the empirical distribution; beyond almost every
    /// observation it assumes a heavy tail (hazard ~ 1/elapsed) rather than an imminent end.</remarks>
    internal void ReleaseCurve(bool talking, double elapsed, double offset, double step, Span<double> curve)
    {
        var sample = talking ? _talk.Sample : _wrap.Sample;
        var shift = talking ? _wrap.Mean : 0;
        var before = sample.CountBelow(elapsed);
        var alive = sample.Count - before;
        for (var i = 0; i < curve.Length; i++)
        {
            var within = offset + (i * step) - shift;
            curve[i] = within <= 0 ? 0
                : alive < 3 ? within / (within + Math.Max(elapsed, 1))
                : (sample.CountBelow(elapsed + within) - before) / alive;
        }
    }
}
