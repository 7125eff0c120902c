using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Tests.Simulation;

public sealed class SimulatedNetworkTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly OriginateRequest Request = new("+15550100", null, TimeSpan.FromSeconds(30));

    [Fact]
    public void Outcome_rates_and_times_follow_the_options_on_a_large_seeded_sample()
    {
        const int calls = 40_000;
        var clock = new VirtualClock(Start);
        var options = new SimulatedNetworkOptions();
        var network = new SimulatedNetwork(clock, options, seed: 7);
        var outcomes = new Dictionary<CallProgressKind, int>();
        var answerTimes = new List<double>();
        var noAnswerTimes = new List<double>();
        var talkTimes = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var started = clock.GetUtcNow();
            DateTimeOffset? bridged = null;
            long id = 0;
            id = network.Originate(Request, p =>
            {
                var seconds = (p.At - started).TotalSeconds;
                if (p.Kind == CallProgressKind.Ringing) return;
                if (p.Kind == CallProgressKind.FarEndHangup) { talkTimes.Add((p.At - bridged!.Value).TotalSeconds); return; }
                outcomes[p.Kind] = outcomes.GetValueOrDefault(p.Kind) + 1;
                if (p.Kind == CallProgressKind.AnsweredPerson)
                {
                    answerTimes.Add(seconds);
                    bridged = p.At;
                    network.Bridge(id, "agent");
                }
                else if (p.Kind.IsAnswer()) network.Hangup(id);
                else if (p.Kind == CallProgressKind.NoAnswer) noAnswerTimes.Add(seconds);
            });
        }
        clock.RunUntil(Start.AddDays(1));

        AssertRate(options.PersonRate, CallProgressKind.AnsweredPerson);
        AssertRate(options.MachineRate, CallProgressKind.AnsweredMachine);
        AssertRate(options.BusyRate, CallProgressKind.Busy);
        AssertRate(options.InvalidRate, CallProgressKind.InvalidNumber);
        var noAnswerRate = 1 - options.PersonRate - options.MachineRate - options.FaxRate - options.BusyRate - options.InvalidRate - options.FailedRate;
        AssertRate(noAnswerRate, CallProgressKind.NoAnswer);
        Assert.All(answerTimes, t => Assert.InRange(t, 4, 16));
        Assert.All(noAnswerTimes, t => Assert.InRange(t, 20, 25));
        Assert.InRange(answerTimes.Average(), 9.8, 10.2);
        // Lognormal mean 120 s, CV 1: the sample mean of ~10 000 talks is within a few percent.
        Assert.Equal(outcomes[CallProgressKind.AnsweredPerson], talkTimes.Count);
        Assert.InRange(talkTimes.Average(), 114, 126);
        var sorted = talkTimes.Order().ToArray();
        Assert.InRange(sorted[sorted.Length / 2], 80, 90); // median of that lognormal: 120 / sqrt(2) = 84.9

        void AssertRate(double expected, CallProgressKind kind)
        {
            var rate = (double)outcomes.GetValueOrDefault(kind) / calls;
            // Four standard errors of a binomial proportion.
            Assert.InRange(rate, expected - (4 * Math.Sqrt(expected * (1 - expected) / calls)), expected + (4 * Math.Sqrt(expected * (1 - expected) / calls)));
        }
    }

    [Fact]
    public void Unanswered_calls_stop_at_the_ring_timeout()
    {
        var clock = new VirtualClock(Start);
        var network = new SimulatedNetwork(clock, new SimulatedNetworkOptions { PersonRate = 0, MachineRate = 0, FaxRate = 0, BusyRate = 0, InvalidRate = 0, FailedRate = 0 }, 1);
        var ends = new List<double>();
        for (var i = 0; i < 100; i++)
            network.Originate(Request with { RingTimeout = TimeSpan.FromSeconds(15) }, p => { if (p.Kind.IsTerminal()) ends.Add((p.At - Start).TotalSeconds); });
        clock.RunUntil(Start.AddMinutes(1));
        Assert.Equal(100, ends.Count);
        Assert.All(ends, t => Assert.Equal(15, t, 3));
    }

    [Fact]
    public void Same_seed_gives_the_same_calls()
    {
        Assert.Equal(Trace(3), Trace(3));
        Assert.NotEqual(Trace(3), Trace(4));

        static List<(long, CallProgressKind, DateTimeOffset)> Trace(int seed)
        {
            var clock = new VirtualClock(Start);
            var network = new SimulatedNetwork(clock, new SimulatedNetworkOptions(), seed);
            var trace = new List<(long, CallProgressKind, DateTimeOffset)>();
            for (var i = 0; i < 200; i++) network.Originate(Request, p => trace.Add((p.CallId, p.Kind, p.At)));
            clock.RunUntil(Start.AddMinutes(5));
            return trace;
        }
    }

    [Fact]
    public void Runs_on_a_FakeTimeProvider_and_hangup_silences_the_call()
    {
        var time = new FakeTimeProvider(Start);
        var network = new SimulatedNetwork(time, SimulatedNetworkOptions.Benchmark with { PersonRate = 1 }, 5);
        var events = new List<CallProgress>();
        var id = network.Originate(Request, events.Add);
        var silenced = network.Originate(Request, events.Add);
        network.Hangup(silenced);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(events, e => e.Kind == CallProgressKind.AnsweredPerson);
        time.Advance(TimeSpan.FromSeconds(12));
        var answered = Assert.Single(events, e => e.Kind == CallProgressKind.AnsweredPerson);
        Assert.Equal(id, answered.CallId);
        Assert.DoesNotContain(events, e => e.CallId == silenced);

        network.Bridge(id, "agent-1");
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(CallProgressKind.FarEndHangup, events[^1].Kind);
    }
}
