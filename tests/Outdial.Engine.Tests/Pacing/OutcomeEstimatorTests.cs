using Outdial.Engine.Pacing;

namespace Outdial.Engine.Tests.Pacing;

public sealed class OutcomeEstimatorTests
{
    private static OutcomeEstimator Fed()
    {
        var estimator = new OutcomeEstimator();
        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var person = random.NextDouble() < 0.3;
            estimator.RecordCall(person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble()), person);
        }
        var talk = Outdial.Engine.Simulation.Distribution.LogNormal(120, 1);
        for (var i = 0; i < 2000; i++) estimator.RecordService(talk.Sample(random), 15);
        return estimator;
    }

    [Fact]
    public void Learns_the_answer_rate_and_service_time()
    {
        var estimator = Fed();
        Assert.InRange(estimator.PersonRate, 0.28, 0.32);
        Assert.InRange(estimator.MeanServiceSeconds, 125, 145);
        Assert.Equal(5000, estimator.CallsObserved);
    }

    [Fact]
    public void A_call_ringing_past_every_observed_answer_time_will_not_be_answered()
    {
        var estimator = Fed();
        Span<double> curve = stackalloc double[21];
        estimator.PersonAnswerCurve(0, 1, curve);
        Assert.InRange(curve[20], 0.28, 0.32);
        estimator.PersonAnswerCurve(9, 1, curve);
        Assert.InRange(curve[20], 0.12, 0.22); // half the answer window left: 0.15 / (0.15 + 0.7)
        estimator.PersonAnswerCurve(15, 1, curve);
        Assert.Equal(0, curve[20]);
    }

    [Fact]
    public void Release_probability_is_conditional_on_elapsed_time()
    {
        var estimator = Fed();
        Span<double> curve = stackalloc double[1];
        estimator.ReleaseCurve(talking: false, elapsed: 14, offset: 2, step: 1, curve);
        Assert.Equal(1, curve[0], 6); // wrap-up is 15 s: done within 2 s
        estimator.ReleaseCurve(talking: false, elapsed: 5, offset: 2, step: 1, curve);
        Assert.Equal(0, curve[0], 6);
        estimator.ReleaseCurve(talking: true, elapsed: 0, offset: 10, step: 1, curve);
        Assert.Equal(0, curve[0], 6); // talk plus 15 s wrap cannot end within 10 s
        estimator.ReleaseCurve(talking: true, elapsed: 60, offset: 60, step: 1, curve);
        Assert.InRange(curve[0], 0.15, 0.5); // lognormal: ended within 45 more seconds of talk, given 60 s so far
    }

    [Theory]
    [InlineData(499, true)]  // priors (answers up to 16 s) still count
    [InlineData(500, false)] // enough real calls: their longest answer (14 s) is the limit
    public void Priors_stop_counting_once_enough_real_calls_are_seen(int calls, bool mayAnswerAt15)
    {
        var estimator = new OutcomeEstimator();
        var random = new Random(5);
        for (var i = 0; i < calls; i++)
        {
            var person = i % 3 == 0;
            estimator.RecordCall(person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble()), person);
        }
        Assert.Equal(mayAnswerAt15, estimator.MayStillAnswer(15));
        // With priors: 50 of their 200 calls answered by a person, plus 167 of 499 real ones; without: 167 of 500.
        Assert.Equal(mayAnswerAt15 ? 217 / 699.0 : 167 / 500.0, estimator.PersonRate, 6);
    }

    [Fact]
    public void Priors_stay_until_enough_real_person_answers_bound_the_longest_answer_time()
    {
        // A low answer rate: 1,000 real calls with 99 person answers (up to 14 s) still leave the priors' 16 s in; the
        // 100th person answer lets them go.
        var estimator = new OutcomeEstimator();
        var random = new Random(9);
        for (var i = 0; i < 1000; i++)
        {
            var person = i % 10 == 0 && i < 990;
            estimator.RecordCall(person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble()), person);
        }
        Assert.True(estimator.MayStillAnswer(15));
        estimator.RecordCall(10, answeredByPerson: true);
        Assert.False(estimator.MayStillAnswer(15));
    }

    [Theory]
    [InlineData(199, 15)] // the priors' 15 s wrap-up still counts
    [InlineData(200, 8)]  // enough real conversations: wrap-ups of 8 s
    public void Service_priors_stop_counting_once_enough_real_conversations_are_seen(int services, double longestWrap)
    {
        var estimator = new OutcomeEstimator();
        for (var i = 0; i < services; i++) estimator.RecordService(100, 8);
        Assert.Equal(longestWrap, estimator.LongestWrapSeconds);
        if (longestWrap == 8) Assert.Equal(108, estimator.MeanServiceSeconds, 6);
    }
}
