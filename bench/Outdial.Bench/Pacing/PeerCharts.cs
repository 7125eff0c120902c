using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Outdial.Bench.Pacing;

/// <summary>`pacing-charts OUTPUT.md DIR`: draws docs/bench's pacing charts from the text `pacing-peers --hours` wrote
/// (so a long run is drawn without running it again).</summary>
internal static partial class PeerCharts
{
    public static void Run(string[] args)
    {
        var lines = File.ReadAllLines(args[0]);
        var dir = args.Length > 1 ? args[1] : "docs/bench";
        Directory.CreateDirectory(dir);
        var cells = new List<(string World, double Target, int Agents, string Policy, double Occupancy, double Abandon)>();
        var hours = new List<(string World, int Agents, string Policy, string Target, double[] Abandon)>();
        string? world = null;
        var target = 0.0;
        foreach (var line in lines)
        {
            if (line.StartsWith("### ", StringComparison.Ordinal)) world = line[4..].Split(':')[0];
            else if (line.StartsWith("Target ", StringComparison.Ordinal)) target = double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            else if (line.StartsWith("| ", StringComparison.Ordinal) && world is not null && !line.StartsWith("| agents", StringComparison.Ordinal))
            {
                var c = line.Trim('|', ' ').Split('|').Select(x => x.Trim()).ToArray();
                if (c[4].Length == 0) continue; // the ceiling row
                cells.Add((world, target, int.Parse(c[0], CultureInfo.InvariantCulture), c[1], Percent(c[2]), double.Parse(c[4], CultureInfo.InvariantCulture)));
            }
            else if (HoursLine().Match(line) is { Success: true } m)
                hours.Add((m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value, m.Groups[4].Value,
                    [.. HourValue().Matches(m.Groups[5].Value).Select(v => double.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture))]));
        }
        var agents = cells.Where(c => c.World == "stationary").Select(c => c.Agents).Distinct().Order().ToList();
        var chartTeam = agents.Contains(20) ? 20 : agents[^1];
        OccupancyAgainstAbandons(cells.Where(c => c.World == "stationary" && c.Agents == chartTeam).ToList(), chartTeam, Path.Combine(dir, "pacing-occupancy-abandon.png"));
        DriftHours(hours.Where(h => h.World == "answer-drift" && h.Agents == chartTeam).ToList(), chartTeam, Path.Combine(dir, "pacing-drift-hours.png"));
        OccupancyByTeam(cells.Where(c => c.World == "stationary" && c.Target == 3).ToList(), Path.Combine(dir, "pacing-occupancy-by-team.png"));
        Console.WriteLine($"charts written to {dir}");
    }

    private static void OccupancyAgainstAbandons(List<(string World, double Target, int Agents, string Policy, double Occupancy, double Abandon)> cells, int team, string path)
    {
        var plot = new Plot();
        // Rows that do not depend on the target appear under both targets: count them once.
        var distinct = cells.DistinctBy(c => (c.Policy, c.Occupancy, c.Abandon)).ToList();
        void Series(string label, IEnumerable<(double X, double Y)> points, bool line)
        {
            var p = points.OrderBy(x => x.X).ToArray();
            if (p.Length == 0) return;
            var s = plot.Add.Scatter(p.Select(x => x.X).ToArray(), p.Select(x => x.Y).ToArray());
            s.LegendText = label;
            s.MarkerSize = 9;
            s.LineWidth = line ? 1.5f : 0;
        }
        Series("Outdial predictive (target 1 %, 3 %)", distinct.Where(c => c.Policy == "Outdial predictive").Select(c => (c.Abandon, c.Occupancy)), true);
        Series("VICIdial RATIO 1.0 (progressive) to 3.0", distinct.Where(c => c.Policy.StartsWith("VICIdial RATIO", StringComparison.Ordinal) || c.Policy == "progressive").Select(c => (c.Abandon, c.Occupancy)), true);
        foreach (var method in new[] { "ADAPT_HARD_LIMIT", "ADAPT_TAPERED", "ADAPT_AVERAGE" })
            Series($"VICIdial {method} (1 %, 3 %)", distinct.Where(c => c.Policy == "VICIdial " + method).Select(c => (c.Abandon, c.Occupancy)), true);
        Series("clairvoyant bound", distinct.Where(c => c.Policy == "clairvoyant").Select(c => (c.Abandon, c.Occupancy)), false);
        plot.Axes.SetLimitsX(-1, 25);
        plot.Title($"Occupancy against abandons, stationary world, {team} agents (8 h shifts)");
        plot.XLabel("abandoned calls over the shift, % of person answers (axis cut at 25 %)");
        plot.YLabel("occupancy %");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }

    private static void DriftHours(List<(string World, int Agents, string Policy, string Target, double[] Abandon)> hours, int team, string path)
    {
        var plot = new Plot();
        foreach (var policy in new[] { "Outdial predictive", "VICIdial ADAPT_HARD_LIMIT", "VICIdial ADAPT_TAPERED", "VICIdial ADAPT_AVERAGE" })
        {
            var runs = hours.Where(h => h.Policy == policy && h.Target == "3").ToList();
            if (runs.Count == 0) continue;
            var n = runs.Min(r => r.Abandon.Length);
            var worst = Enumerable.Range(0, n).Select(i => runs.Max(r => r.Abandon[i])).ToArray();
            var s = plot.Add.Scatter(Enumerable.Range(0, n).Select(i => 10.0 + i + 0.5).ToArray(), worst);
            s.LegendText = $"{policy} (worst seed)";
            s.LineWidth = 2;
        }
        var line = plot.Add.HorizontalLine(3);
        line.LegendText = "target 3 %";
        line.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimitsY(-0.5, 10);
        plot.Title($"Abandons hour by hour through a drifting day (answer-drift, {team} agents, target 3 %)");
        plot.XLabel("hour of day (person answers 30 %, 15 % over 12:00-13:30, 35 % from 16:00)");
        plot.YLabel("abandons in the hour, % of person answers (cut at 10)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    private static void OccupancyByTeam(List<(string World, double Target, int Agents, string Policy, double Occupancy, double Abandon)> cells, string path)
    {
        var plot = new Plot();
        foreach (var policy in new[] { "clairvoyant", "Outdial predictive", "VICIdial ADAPT_HARD_LIMIT", "VICIdial ADAPT_TAPERED", "progressive" })
        {
            var points = cells.Where(c => c.Policy == policy).OrderBy(c => c.Agents).ToArray();
            if (points.Length == 0) continue;
            var s = plot.Add.Scatter(points.Select(c => (double)c.Agents).ToArray(), points.Select(c => c.Occupancy).ToArray());
            s.LegendText = policy;
            s.LineWidth = 2;
            s.MarkerSize = 8;
        }
        plot.Title("Occupancy by team size, stationary world, target 3 %");
        plot.XLabel("agents");
        plot.YLabel("occupancy %");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }

    private static double Percent(string cell) => double.Parse(cell.TrimEnd('%', ' '), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^  hours (\S+) (\d+) (.+) target (\S+) seed \d+: (.*)$")]
    private static partial Regex HoursLine();

    [GeneratedRegex(@"([\d.]+)/\d+ %")]
    private static partial Regex HourValue();
}
