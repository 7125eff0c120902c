using Outdial.Engine.Pacing;
using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;

namespace Outdial.Bench.Pacing;

/// <summary>A bound, not a dialer: knows every customer's outcome and every agent's release (the simulation's truth)
/// and dials so that each answer meets a free agent.</summary>
/// <remarks>Customers stay in line order. One who would not be answered by a person now (no answer, a machine, a
/// person the detection would take for a machine) is passed over without a call; the next one a person answers is
/// called exactly its answer time before the agent free soonest is released (at once if that is already past), so it
/// never abandons and an agent waits only when no answer could reach it sooner. Agents are free when ready, when their
/// call and wrap-up end, or when they log in; not after they log out. Calls answered meanwhile take agents in answer
/// order. Lines are not limited.</remarks>
internal sealed class ClairvoyantPolicy : IDialPolicy
{
    private const int MaxSkip = 10_000;
    private readonly PriorityQueue<int, DateTimeOffset> _free = new();
    private readonly List<(DateTimeOffset At, double Busy)> _answers = [];

    public DialDecision Decide(ShiftView view)
    {
        var now = view.Now;
        var o = view.Options;
        var ring = o.RingTimeout;
        var shifts = o.AgentShifts;
        _free.Clear();
        for (var i = 0; i < view.Agents.Count; i++)
        {
            var logOut = shifts is null ? DateTimeOffset.MaxValue : o.Start + shifts[i].LogOut;
            var a = view.Agents[i];
            DateTimeOffset? at = a.Activity switch
            {
                AgentActivity.Ready => now,
                AgentActivity.NotReady => shifts is not null && o.Start + shifts[i].LogIn > now ? o.Start + shifts[i].LogIn : null,
                _ => view.ReleaseAt[i],
            };
            if (at is { } t && t < logOut) _free.Enqueue(i, t);
        }
        _answers.Clear();
        foreach (var c in view.Live)
        {
            var outcome = view.Network.Outcome(c.Customer, c.Started, ring);
            if (outcome.Kind != CallProgressKind.AnsweredPerson) continue;
            var answer = c.Answered ? now : c.Started + TimeSpan.FromSeconds(outcome.Seconds);
            _answers.Add((answer, outcome.TalkSeconds + outcome.WrapSeconds));
        }
        _answers.Sort((x, y) => x.At.CompareTo(y.At));
        foreach (var (answerAt, busy) in _answers) Take(answerAt, busy);

        var skip = 0;
        for (var customer = view.NextCustomer; skip < MaxSkip; customer++)
        {
            if (!_free.TryPeek(out _, out var freeAt)) return new(0, null, skip);
            var next = view.Network.Outcome(customer, now, ring);
            if (next.Kind != CallProgressKind.AnsweredPerson)
            {
                skip++;
                continue;
            }
            var dialAt = freeAt - TimeSpan.FromSeconds(next.Seconds);
            // Launch this one now (after the skips), then plan again at once; or wait until its moment.
            return dialAt <= now ? new(1, TimeSpan.Zero, skip) : new(0, dialAt - now, skip);
        }
        return new(0, TimeSpan.Zero, skip);
    }

    private void Take(DateTimeOffset answerAt, double busySeconds)
    {
        if (!_free.TryDequeue(out var agent, out var freeAt)) return;
        _free.Enqueue(agent, (freeAt > answerAt ? freeAt : answerAt) + TimeSpan.FromSeconds(busySeconds));
    }
}
