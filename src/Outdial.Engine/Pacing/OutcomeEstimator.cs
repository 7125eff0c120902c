namespace Outdial.Engine.Pacing;

/// <summary>Live estimates for pacing, learned from finished calls: how often and how fast a person answers, and how
/// long talk and wrap-up last (empirical distributions over rolling windows, seeded with priors).</summary>
/// <remarks>Not thread-safe: the host updates it and takes decisions from one place.</remarks>
public sealed class OutcomeEstimator
{
    private const int CallWindow = 5000;
    private const int ServiceWindow = 2000;
    private readonly OutcomeWindow _calls = new(CallWindow);
    private readonly DurationWindow _talk = new(ServiceWindow);
    private readonly DurationWindow _wrap = new(ServiceWindow);

    public OutcomeEstimator(OutcomePriors? priors = null)
    {
        priors ??= new OutcomePriors();
        var random = new Random(20240601);
        for (var i = 0; i < priors.CallWeight; i++)
        {
            var person = i < priors.CallWeight * priors.PersonRate;
            _calls.Add(person ? priors.AnswerTime.Sample(random) : priors.OtherOutcomeTime.Sample(random), person);
        }
        for (var i = 0; i < priors.ServiceWeight; i++)
        {
            _talk.Add(priors.TalkTime.Sample(random));
            _wrap.Add(priors.WrapTime.Sample(random));
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

    public double PersonRate => (double)_calls.PersonCount / (_calls.PersonCount + _calls.OtherCount);

    public double MeanServiceSeconds => _talk.Mean + _wrap.Mean;

    internal double MeanWrapSeconds => _wrap.Mean;

    /// <summary>Answer time of a person-answered call at quantile <paramref name="u"/>.</summary>
    internal double AnswerTimeQuantile(double u) => _calls.PersonQuantile(u);

    /// <summary>P(a person answers within <paramref name="within"/> more seconds | the call is still dialing after <paramref name="elapsed"/>).</summary>
    internal double PersonAnswerWithin(double elapsed, double within)
    {
        var personAlive = _calls.PersonCount - _calls.PersonAtOrBelow(elapsed);
        var alive = personAlive + _calls.OtherCount - _calls.OtherAtOrBelow(elapsed);
        if (alive == 0) return 0;
        var answered = _calls.PersonAtOrBelow(elapsed + within) - _calls.PersonAtOrBelow(elapsed);
        return (double)answered / alive;
    }

    /// <summary>P(an agent talking for <paramref name="elapsed"/> seconds is ready again within <paramref name="within"/>).</summary>
    /// <remarks>Conditional on the call having lasted so far: (F(e + h - wrap) - F(e)) / (1 - F(e)), wrap at its mean.</remarks>
    internal double TalkingReleaseWithin(double elapsed, double within) => Conditional(_talk, elapsed, within - _wrap.Mean);

    internal double WrapReleaseWithin(double elapsed, double within) => Conditional(_wrap, elapsed, within);

    private static double Conditional(DurationWindow window, double elapsed, double within)
    {
        if (within <= 0) return 0;
        var below = window.CountAtOrBelow(elapsed);
        var alive = window.Count - below;
        // Beyond almost every observation: assume a heavy tail (hazard ~ 1/elapsed) rather than an imminent end.
        if (alive < 3) return within / (within + Math.Max(elapsed, 1));
        return (double)(window.CountAtOrBelow(elapsed + within) - below) / alive;
    }
}
