using Outdial.Engine.Pacing;
using Outdial.Engine.Simulation;

namespace Outdial.Bench.Pacing;

/// <summary>VICIdial's auto-dial loop (AST_VDauto.pl), polled once a second: goal calls = dial level x agents that are
/// ready or in a call (paused agents, here those wrapping up, do not count); calls to place = goal - calls already in
/// flight (dialing, answered and waiting, and connected to an agent). A dial level of 1 is progressive.</summary>
/// <remarks>AST_VDauto.pl: <c>$DBIPgoalcalls = ($DBIPadlevel * $DBIPcount)</c>, rounded with <c>sprintf("%.0f")</c>;
/// <c>$DBIPcount</c> counts agents READY/DONE/CLOSER and INCALL; <c>$DBIPexistcalls</c> counts vicidial_auto_calls in
/// SENT, RINGING, LIVE, XFER, CLOSER; <c>$DBIPmakecalls = ($DBIPgoalcalls - $DBIPexistcalls)</c>. The 1 s poll is our
/// choice (the loop delay is configurable there).</remarks>
internal abstract class VicidialDialing : IDialPolicy
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private DateTimeOffset? _nextTick;

    /// <summary>The dial level now (after this tick's sample).</summary>
    protected abstract double Level(ShiftView view);

    public DialDecision Decide(ShiftView view)
    {
        _nextTick ??= view.Now;
        if (view.Now < _nextTick) return new(0, _nextTick - view.Now);
        _nextTick = _nextTick.Value + Tick;
        var level = Level(view);
        int ready = 0, talking = 0;
        foreach (var a in view.Agents)
        {
            if (a.Activity == AgentActivity.Ready) ready++;
            else if (a.Activity == AgentActivity.Talking) talking++;
        }
        return new(CallsToMake(level, ready, talking, view.Calls.Count), _nextTick - view.Now);
    }

    /// <param name="inFlight">Calls dialing or answered and waiting (calls connected to agents are added as <paramref name="talking"/>).</param>
    internal static int CallsToMake(double level, int ready, int talking, int inFlight)
    {
        var goal = (int)Math.Round(level * (ready + talking), MidpointRounding.ToEven);
        return Math.Max(0, goal - (inFlight + talking));
    }
}

/// <summary>VICIdial RATIO: a fixed dial level.</summary>
internal sealed class FixedRatioPolicy(double level) : VicidialDialing
{
    protected override double Level(ShiftView view) => level;
}
