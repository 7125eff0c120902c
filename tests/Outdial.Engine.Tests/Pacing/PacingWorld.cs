using Outdial.Engine.Pacing;
using Outdial.Engine.Simulation;

namespace Outdial.Engine.Tests.Pacing;

/// <summary>The benchmark world (30 % answered by a person after 4-14 s, the rest out after 18-26 s, talk lognormal
/// mean 120 s CV 1, wrap-up 15 s) as a Monte-Carlo reference for the pacing model: it plays a snapshot forward with
/// nobody launching more and counts the abandons (an answer no agent takes within 2 s).</summary>
internal static class PacingWorld
{
    public static readonly Distribution Talk = Distribution.LogNormal(120, 1);

    /// <summary>An estimator that has seen a shift's worth of this world.</summary>
    public static OutcomeEstimator Warm(int seed = 11)
    {
        var estimator = new OutcomeEstimator();
        var random = new Random(seed);
        for (var i = 0; i < 5000; i++)
        {
            var person = random.NextDouble() < 0.3;
            estimator.RecordCall(person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble()), person);
        }
        for (var i = 0; i < 2000; i++) estimator.RecordService(Talk.Sample(random), 15);
        return estimator;
    }

    /// <summary>Mean abandons over <paramref name="runs"/> plays of the snapshot, with and without one more call
    /// launched now (common random numbers, so the difference is sharp).</summary>
    public static (double Baseline, double WithOneMore) Abandons(IReadOnlyList<AgentSnapshot> agents,
        IReadOnlyList<CallSnapshot> calls, DateTimeOffset now, int runs, int seed)
    {
        var random = new Random(seed);
        var free = new List<double>();
        var answers = new List<double>();
        double baseline = 0, more = 0;
        for (var run = 0; run < runs; run++)
        {
            free.Clear();
            answers.Clear();
            foreach (var a in agents)
            {
                var elapsed = (now - a.Since).TotalSeconds;
                switch (a.Activity)
                {
                    case AgentActivity.Ready: free.Add(0); break;
                    case AgentActivity.WrapUp: free.Add(Math.Max(0, 15 - elapsed)); break;
                    case AgentActivity.Talking: free.Add(TalkLeft(random, elapsed) + 15); break;
                }
            }
            foreach (var c in calls)
            {
                if (c.Phase == CallPhase.AnsweredWaiting) { answers.Add(0); continue; }
                var at = AnswerAfter(random, (now - c.Started).TotalSeconds);
                if (at is { } t) answers.Add(t);
            }
            var extra = AnswerAfter(random, 0);
            baseline += Count(free, answers);
            if (extra is { } x) answers.Add(x);
            more += Count(free, answers);
        }
        return (baseline / runs, more / runs);
    }

    /// <summary>Answers in time order; each takes the earliest agent free by its answer + 2 s, else it is abandoned.</summary>
    private static int Count(List<double> free, List<double> answers)
    {
        var agents = new PriorityQueue<double, double>();
        foreach (var f in free) agents.Enqueue(f, f);
        var sorted = answers.ToArray();
        Array.Sort(sorted);
        var abandons = 0;
        foreach (var a in sorted)
        {
            if (agents.TryPeek(out var f, out _) && f <= a + 2) agents.Dequeue();
            else abandons++;
        }
        return abandons;
    }

    private static double TalkLeft(Random random, double elapsed)
    {
        while (true)
        {
            var t = Talk.Sample(random);
            if (t > elapsed) return t - elapsed;
        }
    }

    /// <summary>When a call dialing for <paramref name="elapsed"/> s is answered by a person from now, or null if never.</summary>
    private static double? AnswerAfter(Random random, double elapsed)
    {
        while (true)
        {
            var person = random.NextDouble() < 0.3;
            var t = person ? 4 + (10 * random.NextDouble()) : 18 + (8 * random.NextDouble());
            if (t <= elapsed) continue; // that outcome would have come already
            return person ? t - elapsed : null;
        }
    }
}
