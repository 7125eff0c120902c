using Outdial.Engine.Pacing;
using Outdial.Engine.Simulation;

namespace Outdial.Bench.Pacing;

public enum AdaptMethod { HardLimit, Tapered, Average }

/// <summary>VICIdial's adaptive dial level (ADAPT_HARD_LIMIT / ADAPT_TAPERED / ADAPT_AVERAGE), re-implemented from
/// inktel/Vicidial bin/AST_VDadapt.pl (commit 1278c1c) with the defaults: intensity 0, dl_diff_target 0, maximum level
/// 3.0, latest server time 2100, starting level 1.0. The 2 s drop_call_seconds is the simulation's grace.</summary>
/// <remarks>
/// Followed lines of AST_VDadapt.pl: the main loop (455-476, 557-562: every second <c>count_agents_lines</c>; drops
/// recounted when 60 s have passed, <c>calculate_dial_level</c> when 15 s have passed); <c>count_agents_lines</c>
/// (704-790: ready = READY|DONE agents, total = all logged-in agents, waiting = LIVE calls, each averaged over the last
/// 15 samples; differential = avg ready - avg waiting); the drop counts (917-942: calls, answers and drops since
/// midnight, drop % = drops / answers, and the last minute's); <c>calculate_dial_level</c> (1690-1830, see
/// <see cref="NextLevel"/> and <see cref="ApplyDropRules"/>).
/// </remarks>
internal sealed class VicidialAdaptive(AdaptMethod method, double droppedPercentage, double maximumLevel = 3.0, int latestServerTime = 2100)
    : VicidialDialing
{
    private const int Window = 15;
    private readonly Queue<(int Ready, int Waiting, int Total)> _samples = new();
    private readonly Queue<(int Launched, int Abandoned)> _minute = new(); // last 60 s of counters, for the one-minute drop rule
    private double _level = 1.0;
    private int _diffRatioUpdater, _dropCountUpdater;
    private int _callsToday, _dropsToday, _answersToday, _callsOne, _dropsOne;

    public double CurrentLevel => _level;

    protected override double Level(ShiftView view)
    {
        int ready = 0, total = 0, waiting = 0;
        foreach (var a in view.Agents)
        {
            if (a.Activity == AgentActivity.NotReady) continue;
            total++;
            if (a.Activity == AgentActivity.Ready) ready++;
        }
        foreach (var c in view.Calls)
            if (c.Phase == CallPhase.AnsweredWaiting) waiting++;
        _samples.Enqueue((ready, waiting, total));
        if (_samples.Count > Window) _samples.Dequeue();
        _minute.Enqueue((view.Launched, view.KnownAbandoned));
        if (_minute.Count > 61) _minute.Dequeue();

        double readyAvg = 0, waitingAvg = 0, totalAvg = 0;
        foreach (var s in _samples) (readyAvg, waitingAvg, totalAvg) = (readyAvg + s.Ready, waitingAvg + s.Waiting, totalAvg + s.Total);
        (readyAvg, waitingAvg, totalAvg) = (readyAvg / _samples.Count, waitingAvg / _samples.Count, totalAvg / _samples.Count);

        if (totalAvg > 0)
        {
            if (_dropCountUpdater >= 60)
            {
                _dropCountUpdater = 0;
                (_callsToday, _dropsToday, _answersToday) = (view.Launched, view.KnownAbandoned, view.KnownAnswered);
                var (launched, abandoned) = _minute.Peek();
                (_callsOne, _dropsOne) = (view.Launched - launched, view.KnownAbandoned - abandoned);
            }
            if (_diffRatioUpdater >= 15)
            {
                _diffRatioUpdater = 0;
                var level = NextLevel(_level, readyAvg - waitingAvg, totalAvg, maximumLevel);
                var dropPct = _dropsToday == 0 ? 0 : Math.Round(100.0 * _dropsToday / Math.Max(1, _answersToday), 2);
                var dropsOnePct = _callsOne == 0 ? 0 : Math.Round(100.0 * _dropsOne / _callsOne, 2);
                var local = view.Now.TimeOfDay;
                _level = ApplyDropRules(level, method, _callsToday, dropPct, droppedPercentage, _callsOne, dropsOnePct,
                    (local.Hours * 100) + local.Minutes, latestServerTime);
            }
        }
        _diffRatioUpdater++;
        _dropCountUpdater++;
        return _level;
    }

    /// <summary>calculate_dial_level before the drop rules (AST_VDadapt.pl 1693-1763, intensity 0): level x (1 +
    /// differential / average agents), to 3 decimals, capped at the maximum, at least 1.</summary>
    internal static double NextLevel(double level, double differential, double agentsAverage, double maximumLevel)
    {
        var mul = differential != 0 && agentsAverage != 0 ? differential / agentsAverage : 0;
        var next = Math.Round(level * (mul + 1), 3, MidpointRounding.ToEven);
        if (next > maximumLevel) next = maximumLevel;
        return next < 1 ? 1.0 : next;
    }

    /// <summary>The drop-percentage rules (AST_VDadapt.pl 1773-1803, 1826-1830): halve when over 50 % of the last minute's
    /// calls dropped (more than 20 calls); when today's drops per answer exceed the allowed percentage (more than 50
    /// calls today): HARD_LIMIT to 1.0, AVERAGE halves, TAPERED scales by the hours left to the latest server time
    /// (HHMM arithmetic, full until 10 "hours" = 1000 are left, 1.0 past it); never under 1.</summary>
    internal static double ApplyDropRules(double level, AdaptMethod method, int callsToday, double dropPercentToday, double droppedPercentage,
        int callsOneMinute, double dropPercentOneMinute, int hourMinute, int latestServerTime)
    {
        if (callsOneMinute > 20 && dropPercentOneMinute > 50) level /= 2;
        if (callsToday > 50 && dropPercentToday > droppedPercentage)
        {
            var hoursLeft = latestServerTime - hourMinute;
            var taperedRate = hoursLeft > 1000 ? 1 : hoursLeft / 1000.0;
            level = method switch
            {
                AdaptMethod.HardLimit => 1.0,
                AdaptMethod.Average => level / 2,
                _ => hoursLeft < 0 ? 1.0 : level * taperedRate,
            };
        }
        return level < 1 ? 1.0 : level;
    }
}
