using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Outdial.Engine.Domain;
using Outdial.Engine.Simulation;

namespace Outdial.Bench.Pacing;

/// <summary>`pacing-peers`: Outdial's predictive pacing beside its peers and bounds, on identical customers (common
/// random numbers), in each named world, per team size and target (docs/benchmarks.md).</summary>
internal static class PeersScenario
{
    private static readonly double[] Ratios = [1.2, 1.5, 2.0, 3.0];
    private static readonly double[] Targets = [1, 3];

    /// <summary>The hourly-budget ceiling on the measured frontier (bench/pacing-bound/hour_budget_dp.py, docs/pacing.md
    /// pacing7): stationary world, target 3 %, by team size.</summary>
    private static readonly Dictionary<int, double> Ceiling = new() { [5] = 0.8265, [20] = 0.9093, [50] = 0.951 };

    public static void Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var seeds = Option(args, "--seeds", quick ? 1 : 3);
        var firstSeed = Option(args, "--first-seed", 1);
        int[] teams = args.Contains("--agents") ? [Option(args, "--agents", 5)] : quick ? [5, 20] : [5, 10, 20, 50, 100];
        var fp = Option(args, "--amd-false-positive", 0.02);
        var worlds = PacingWorld.All(fp).Where(w => !args.Contains("--world") || w.Name == Option(args, "--world", "")).ToList();
        var output = Option(args, "--out", "");

        var jobs = (from w in worlds from agents in teams from seed in Enumerable.Range(firstSeed, seeds) select (w, agents, seed))
            .OrderByDescending(j => j.agents).ToList();
        var runs = new ConcurrentBag<PolicyRun>();
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            foreach (var (policy, target, make) in Policies(job.w))
            {
                var report = ShiftSimulation.Run(new ShiftOptions
                {
                    Agents = job.agents,
                    AgentShifts = job.w.Shifts(job.agents),
                    Records = 1_000_000,
                    Length = PacingWorld.Length,
                    Start = job.w.Start,
                    Mode = policy == "progressive" ? DialingMode.PROGRESSIVE : DialingMode.PREDICTIVE,
                    TargetAbandonPercent = target ?? 3,
                    Seed = job.seed,
                    Network = job.w.Network,
                    Policy = make?.Invoke(target ?? 3),
                });
                runs.Add(new(job.w.Name, job.agents, target, policy, job.seed, report));
            }
        });
        var elapsed = watch.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var text = new StringBuilder();
        text.AppendLine(Inv($"Pacing peers: 8 h shifts, seeds {firstSeed}..{firstSeed + seeds - 1}, teams {string.Join("/", teams)}; {elapsed.TotalSeconds:F0} s wall, {cpuUsed.TotalSeconds:F0} s CPU."));
        text.AppendLine("Occupancy = talk + wrap-up over logged-in time; wait = agents' ready time per call taken; abandons per person answer (false machine detections included) over the shift and in its worst hour (all seeds); calls per agent-hour = calls taken per logged-in hour; clairvoyant % = occupancy over the clairvoyant bound's.");
        foreach (var w in worlds)
        {
            text.AppendLine();
            text.AppendLine(Inv($"### {w.Name}: {w.Description}"));
            foreach (var target in Targets)
            {
                text.AppendLine();
                text.AppendLine(Inv($"Target {target} % (the predictive pacer's target, VICIdial's adaptive_dropped_percentage; other rows do not depend on it)."));
                text.AppendLine();
                text.AppendLine("| agents | policy | occupancy | wait s/call | shift abandon % | worst hour % | calls / agent-hour | clairvoyant % |");
                text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
                foreach (var agents in teams)
                {
                    var cell = runs.Where(r => r.World == w.Name && r.Agents == agents && (r.Target is null || r.Target == target)).ToList();
                    var bound = Occupancy(cell.Where(r => r.Policy == "clairvoyant"));
                    foreach (var policy in cell.Select(r => r.Policy).Distinct().OrderBy(Order))
                    {
                        var rs = cell.Where(r => r.Policy == policy).ToList();
                        var answered = rs.Sum(r => r.Report.Total.Answered);
                        var abandoned = rs.Sum(r => r.Report.Total.Abandoned);
                        var occupancy = Occupancy(rs);
                        text.AppendLine(Inv($"| {agents} | {policy} | {occupancy:P1} | {rs.Average(r => r.Report.Total.AgentWaitSeconds):F1} | {100.0 * abandoned / Math.Max(1, answered):F2} | {rs.Max(r => r.Report.WorstHourAbandonPercent):F2} | {rs.Sum(r => r.Report.Connected) / rs.Sum(r => r.Report.AgentHours):F1} | {(bound == 0 ? 0 : occupancy / bound):P1} |"));
                    }
                    if (w.Name == "stationary" && target == 3 && Ceiling.TryGetValue(agents, out var ceiling))
                        text.AppendLine(Inv($"| {agents} | hourly-budget ceiling | {ceiling:P1} | | | 3.00 | | {(bound == 0 ? 0 : ceiling / bound):P1} |"));
                }
            }
            if (args.Contains("--hours"))
                foreach (var r in runs.Where(r => r.World == w.Name).OrderBy(r => r.Agents).ThenBy(r => Order(r.Policy)).ThenBy(r => r.Target).ThenBy(r => r.Seed))
                    text.AppendLine(Inv($"  hours {r.World} {r.Agents} {r.Policy} target {r.Target?.ToString(CultureInfo.InvariantCulture) ?? "-"} seed {r.Seed}: {string.Join(" ", r.Report.Hours.Select(h => $"{h.AbandonRatePercent:F2}/{h.Occupancy:P0}"))}"));
        }
        Console.Write(text);
        if (output.Length > 0) File.WriteAllText(output, text.ToString());
    }

    /// <summary>(name, target or null when it does not depend on it, the policy; null: the built-in pacer in the mode the name says).</summary>
    private static IEnumerable<(string Name, double? Target, Func<double, IDialPolicy>? Make)> Policies(PacingWorld world)
    {
        // TAPERED tapers towards adaptive_latest_server_time: set to the shift's end, as a campaign that stops then would.
        var end = world.Start + PacingWorld.Length;
        var latest = (end.Hour * 100) + end.Minute;
        yield return ("clairvoyant", null, _ => new ClairvoyantPolicy());
        yield return ("progressive", null, null);
        foreach (var level in Ratios)
            yield return (Inv($"VICIdial RATIO {level:F1}"), null, _ => new FixedRatioPolicy(level));
        foreach (var target in Targets)
        {
            yield return ("Outdial predictive", target, null);
            yield return ("VICIdial ADAPT_HARD_LIMIT", target, t => new VicidialAdaptive(AdaptMethod.HardLimit, t));
            yield return ("VICIdial ADAPT_TAPERED", target, t => new VicidialAdaptive(AdaptMethod.Tapered, t, latestServerTime: latest));
            yield return ("VICIdial ADAPT_AVERAGE", target, t => new VicidialAdaptive(AdaptMethod.Average, t));
        }
    }

    private static int Order(string policy) => policy switch
    {
        "Outdial predictive" => 0,
        "clairvoyant" => 9,
        "progressive" => 1,
        _ when policy.StartsWith("VICIdial ADAPT", StringComparison.Ordinal) => 2,
        _ => 3,
    };

    private static double Occupancy(IEnumerable<PolicyRun> runs)
    {
        double busy = 0, hours = 0;
        foreach (var r in runs) (busy, hours) = (busy + (r.Report.Total.Occupancy * r.Report.AgentHours), hours + r.Report.AgentHours);
        return hours == 0 ? 0 : busy / hours;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record PolicyRun(string World, int Agents, double? Target, string Policy, int Seed, ShiftReport Report);
}
