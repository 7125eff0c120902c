using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Tests.Simulation;

/// <summary>With common random numbers a customer's outcome depends on the seed and the customer only, not on the order
/// or the time the calls are placed: two pacing policies meet the same customers the same way.</summary>
public sealed class CommonRandomNumbersTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly SimulatedNetworkOptions World = new SimulatedNetworkOptions { CommonRandomNumbers = true } with
    {
        MachineDetectionTime = Distribution.Uniform(2, 4),
        MachineFalsePositiveRate = 0.1,
    };

    [Fact]
    public void Each_customer_gets_the_same_outcome_ring_and_talk_time_whatever_the_order_and_time_of_calling()
    {
        const int customers = 300;
        // One "policy" calls everyone at once in line order; the other one at a time, in reverse, 7 s apart.
        var burst = Trace(seed: 4, Enumerable.Range(0, customers).Select(c => ((long)c, TimeSpan.Zero)));
        var paced = Trace(seed: 4, Enumerable.Range(0, customers).Reverse().Select((c, i) => ((long)c, TimeSpan.FromSeconds(7 * i))));

        Assert.Equal(customers, burst.Count);
        Assert.Equal(burst.OrderBy(kv => kv.Key), paced.OrderBy(kv => kv.Key));
        // Not a degenerate world: people, machines (true and false), no answers, and talk times that vary.
        Assert.Contains(burst.Values, o => o.Kind == CallProgressKind.AnsweredPerson);
        Assert.Contains(burst.Values, o => o.Kind == CallProgressKind.AnsweredMachine);
        Assert.Contains(burst.Values, o => o.Kind == CallProgressKind.NoAnswer);
        Assert.True(burst.Values.Where(o => o.Talk > 0).Select(o => o.Talk).Distinct().Count() > 10);

        var other = Trace(seed: 5, Enumerable.Range(0, customers).Select(c => ((long)c, TimeSpan.Zero)));
        Assert.NotEqual(burst.OrderBy(kv => kv.Key), other.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void The_reported_outcome_is_the_one_the_network_foretells()
    {
        var clock = new VirtualClock(Start);
        var network = new SimulatedNetwork(clock, World, 9);
        for (long customer = 0; customer < 200; customer++)
        {
            var foretold = network.Outcome(customer, Start, TimeSpan.FromSeconds(30));
            var reported = new List<CallProgress>();
            network.Originate(new OriginateRequest("+15550100", null, TimeSpan.FromSeconds(30)), reported.Add, customer);
            clock.RunUntil(clock.GetUtcNow().AddMinutes(1));
            var last = reported.Last(p => p.Kind != CallProgressKind.Ringing);
            Assert.Equal(foretold.Kind, last.Kind);
            Assert.Equal(foretold.Seconds, (last.At - clock.GetUtcNow().AddMinutes(-1)).TotalSeconds, tolerance: 1e-6); // timers fire on whole ticks
        }
    }

    [Fact]
    public void A_drifting_answer_rate_changes_who_answers_but_not_their_times()
    {
        var drifting = World with { PersonRateAt = t => t < Start.AddHours(1) ? 0.1 : 0.5 };
        var network = new SimulatedNetwork(new VirtualClock(Start), drifting, 3);
        var ring = TimeSpan.FromSeconds(30);
        int early = 0, late = 0;
        for (long c = 0; c < 2000; c++)
        {
            var a = network.Outcome(c, Start, ring);
            var b = network.Outcome(c, Start.AddHours(2), ring);
            if (a.Person) early++;
            if (b.Person) late++;
            Assert.True(!a.Person || b.Person, "a customer who answers at 10 % answers at 50 % too (same draw)");
            Assert.Equal(a.TalkSeconds, b.TalkSeconds);
            Assert.Equal(a.WrapSeconds, b.WrapSeconds);
        }
        Assert.InRange(early, 150, 250);
        Assert.InRange(late, 900, 1100);
    }

    private static Dictionary<long, (CallProgressKind Kind, double Seconds, double Talk)> Trace(int seed, IEnumerable<(long Customer, TimeSpan At)> calls)
    {
        var clock = new VirtualClock(Start);
        var network = new SimulatedNetwork(clock, World, seed);
        var outcomes = new Dictionary<long, (CallProgressKind Kind, double Seconds, double Talk)>();
        foreach (var (customer, at) in calls.OrderBy(c => c.At))
        {
            clock.RunUntil(Start + at);
            var started = clock.GetUtcNow();
            DateTimeOffset? bridged = null;
            long id = 0;
            id = network.Originate(new OriginateRequest("+15550100", null, TimeSpan.FromSeconds(30)), p =>
            {
                if (p.Kind == CallProgressKind.Ringing) return;
                if (p.Kind == CallProgressKind.FarEndHangup)
                {
                    outcomes[customer] = outcomes[customer] with { Talk = (p.At - bridged!.Value).TotalSeconds };
                    return;
                }
                outcomes[customer] = (p.Kind, (p.At - started).TotalSeconds, 0);
                if (p.Kind == CallProgressKind.AnsweredPerson)
                {
                    bridged = p.At;
                    network.Bridge(id, "agent");
                }
                else if (p.Kind.IsAnswer()) network.Hangup(id);
            }, customer);
        }
        clock.RunUntil(clock.GetUtcNow().AddDays(1));
        return outcomes;
    }
}
