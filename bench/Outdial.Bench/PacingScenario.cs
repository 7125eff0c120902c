using System.Diagnostics;
using System.Globalization;
using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using Outdial.Engine.Simulation;

namespace Outdial.Bench;

/// <summary>Pacing quality over an 8-hour shift on the benchmark world (see docs/pacing.md): occupancy and worst-hour
/// abandon rate, predictive against progressive on the same seeds.</summary>
internal static class PacingScenario
{
    public static void Run(string[] args)
    {
        var seeds = Option(args, "--seeds", 3);
        var firstSeed = Option(args, "--first-seed", 1);
        var target = Option(args, "--target", 3.0);
        int[] teams = args.Contains("--agents") ? [Option(args, "--agents", 5)]
            : args.Contains("--quick") ? [5, 20] : args.Contains("--large") ? [50, 100] : [5, 20, 50, 100];
        var defaults = new PacerOptions();
        var pacer = defaults with
        {
            HourMargin = Option(args, "--margin", defaults.HourMargin),
            WarmupCalls = Option(args, "--warmup", defaults.WarmupCalls),
            MarginalFactor = Option(args, "--marginal", defaults.MarginalFactor),
            MaxRateFactor = Option(args, "--max-rate", defaults.MaxRateFactor),
            ProjectionShare = Option(args, "--projection", defaults.ProjectionShare),
            LowProjectionZ = Option(args, "--low-z", defaults.LowProjectionZ),
            LowShare = Option(args, "--low-share", defaults.LowShare),
            HourRisk = Option(args, "--hour-risk", defaults.HourRisk),
            BurstSize = Option(args, "--burst", defaults.BurstSize),
            DialingPlacement = Option(args, "--placement", defaults.DialingPlacement),
            FixedThreshold = Option(args, "--fixed", defaults.FixedThreshold),
            NoHourlyLimit = args.Contains("--no-hourly-limit"),
            DecideAgainAfter = TimeSpan.FromSeconds(Option(args, "--decide-again", defaults.DecideAgainAfter.TotalSeconds)),
        };
        var world = args.Contains("--default-network") ? new SimulatedNetworkOptions() : SimulatedNetworkOptions.Benchmark;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"8 h shift, person answer 30 %, ring 4-14 s answered / 18-26 s not, talk lognormal mean 120 s CV 1, wrap 15 s, target {target} %, seeds {firstSeed}..{firstSeed + seeds - 1}"));
        Console.WriteLine("| agents | mode | occupancy | worst-hour abandon % | shift abandon % | agent wait s/call | calls | answered | sim time |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var agents in teams)
        {
            foreach (var mode in args.Contains("--predictive-only") ? [DialingMode.PREDICTIVE] : new[] { DialingMode.PREDICTIVE, DialingMode.PROGRESSIVE })
            {
                double occupancy = 0, worst = 0, wait = 0;
                long calls = 0, answered = 0, abandoned = 0;
                var watch = Stopwatch.StartNew();
                for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                {
                    var report = ShiftSimulation.Run(new ShiftOptions
                    {
                        Agents = agents,
                        Records = 1_000_000,
                        Mode = mode,
                        TargetAbandonPercent = target,
                        Seed = seed,
                        // Common random numbers: predictive and progressive meet the same customers (--shared-stream:
                        // one generator in call order, as measured before issue 25).
                        Network = world with { CommonRandomNumbers = !args.Contains("--shared-stream") },
                        Pacer = pacer,
                    });
                    occupancy += report.Total.Occupancy / seeds;
                    wait += report.Total.AgentWaitSeconds / seeds;
                    worst = Math.Max(worst, report.WorstHourAbandonPercent);
                    calls += report.Total.Calls;
                    answered += report.Total.Answered;
                    abandoned += report.Total.Abandoned;
                    if (args.Contains("--hours"))
                        foreach (var h in report.Hours)
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {seed} hour {h.Hour}: calls {h.Calls}, answered {h.Answered}, abandoned {h.Abandoned} ({h.AbandonRatePercent:F2} %), occupancy {h.Occupancy:P1}"));
                    if (args.Contains("--decisions"))
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {seed}: {report.Decisions} decisions"));
                    if (args.Contains("--calibration"))
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {seed}: modelled abandons {report.ModelledAbandons:F1}, actual {report.Total.Abandoned}, ratio {report.MeanIncreasePredictiveRatio:F0} %"));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {agents} | {mode} | {occupancy:P1} | {worst:F2} | {100.0 * abandoned / Math.Max(1, answered):F2} | {wait:F1} | {calls / seeds} | {answered / seeds} | {watch.Elapsed.TotalSeconds / seeds:F2} s |"));
            }
        }
    }

    private static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
