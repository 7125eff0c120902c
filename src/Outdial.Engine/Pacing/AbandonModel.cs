namespace Outdial.Engine.Pacing;

/// <summary>The arithmetic of predictive pacing: how many extra calls keep the modelled abandons within a share.</summary>
/// <remarks>
/// For a horizon t (a quantile of a person's answer time) the supply is the ready agents plus the busy agents released by
/// t + grace (a sum of Bernoullis, each from the agent's remaining-time distribution given its elapsed time); the demand
/// is the answered calls waiting, the dialing calls a person answers by t (given their elapsed ring time) and each new
/// call answered by t. Expected abandons there are E[(demand - supply)+]. Abandoned calls free nothing and agents freed
/// late serve nobody early, so several horizons are checked and every one must pass.
/// </remarks>
internal sealed class AbandonModel
{
    private double[] _x = [];
    private double[] _n = [];
    private double[] _g = [];
    private double[] _dialingElapsed = [];
    private (bool Talking, double Elapsed)[] _busy = [];

    public (int Calls, double ExpectedAbandons) Launchable(PacingState state, DateTimeOffset now, PacerOptions options,
        int ready, int progressive, int room, double share, double marginalCap)
    {
        var est = state.Estimator;
        int busy = 0, dialing = 0, waiting = 0;
        Grow(ref _busy, state.Agents.Count);
        Grow(ref _dialingElapsed, state.Calls.Count);
        foreach (var agent in state.Agents)
        {
            if (agent.Activity is AgentActivity.Talking or AgentActivity.WrapUp)
                _busy[busy++] = (agent.Activity == AgentActivity.Talking, Seconds(now - agent.Since));
        }
        foreach (var c in state.Calls)
        {
            if (c.Phase == CallPhase.Dialing) _dialingElapsed[dialing++] = Seconds(now - c.Started);
            else waiting++;
        }

        var horizons = options.Horizons.Count;
        var nMax = dialing + waiting + room;          // most person answers possible
        var mMax = Math.Max(0, nMax - ready);         // most answers beyond ready agents
        var stride = nMax + 1;
        Grow(ref _n, horizons * stride);
        Grow(ref _g, horizons * (mMax + 1));
        Grow(ref _x, mMax + 2);
        Span<double> a = stackalloc double[horizons];   // P(a new call is answered by the horizon)
        Span<double> abandons = stackalloc double[horizons];
        Span<double> demand = stackalloc double[horizons];
        Span<int> size = stackalloc int[horizons];
        var p = est.PersonRate;
        var grace = options.Grace.TotalSeconds;

        for (var q = 0; q < horizons; q++)
        {
            var u = options.Horizons[q];
            var t = est.AnswerTimeQuantile(u);
            a[q] = p * u;
            Releases(est, busy, t + grace, mMax);
            var g = _g.AsSpan(q * (mMax + 1), mMax + 1);
            for (var m = 0; m <= mMax; m++)
            {
                double e = 0;
                for (var x = 0; x < m; x++) e += _x[x] * (m - x);
                g[m] = e;
            }
            var n = _n.AsSpan(q * stride, stride);
            n.Clear();
            n[waiting] = 1;
            var top = waiting;
            demand[q] = waiting;
            for (var j = 0; j < dialing; j++)
            {
                var d = est.PersonAnswerWithin(_dialingElapsed[j], t);
                AddBernoulli(n, ref top, d);
                demand[q] += d;
            }
            for (var k = 0; k < progressive; k++)
            {
                AddBernoulli(n, ref top, a[q]);
                demand[q] += a[q];
            }
            size[q] = top;
            abandons[q] = Expected(n, top, g, ready);
        }

        var calls = progressive;
        double worst = 0;
        for (var q = 0; q < horizons; q++) worst = Math.Max(worst, abandons[q]);
        for (var k = progressive + 1; k <= room; k++)
        {
            var ok = true;
            for (var q = 0; q < horizons && ok; q++)
            {
                var n = _n.AsSpan(q * stride, stride);
                var top = size[q];
                AddBernoulli(n, ref top, a[q]);
                size[q] = top;
                var after = Expected(n, top, _g.AsSpan(q * (mMax + 1), mMax + 1), ready);
                demand[q] += a[q];
                ok = after <= (share * demand[q]) + 1e-12 && (a[q] <= 0 || (after - abandons[q]) / a[q] <= marginalCap + 1e-12);
                abandons[q] = after;
            }
            if (!ok) break;
            calls = k;
            worst = 0;
            for (var q = 0; q < horizons; q++) worst = Math.Max(worst, abandons[q]);
        }
        return (calls, worst);
    }

    /// <summary>Distribution of agents released within <paramref name="within"/> seconds into _x[0..cap], the last bin holding "cap or more".</summary>
    private void Releases(OutcomeEstimator est, int busy, double within, int cap)
    {
        var x = _x.AsSpan(0, cap + 1);
        x.Clear();
        x[0] = 1;
        var top = 0;
        for (var i = 0; i < busy; i++)
        {
            var (talking, elapsed) = _busy[i];
            var f = talking ? est.TalkingReleaseWithin(elapsed, within) : est.WrapReleaseWithin(elapsed, within);
            if (f <= 0) continue;
            if (top < cap) top++;
            for (var v = top; v >= 1; v--)
            {
                if (v == cap) x[v] += x[v - 1] * f; // the absorbing bin keeps its mass
                else x[v] = (x[v] * (1 - f)) + (x[v - 1] * f);
            }
            x[0] *= 1 - f;
        }
    }

    private static void AddBernoulli(Span<double> n, ref int top, double p)
    {
        if (p <= 0) return;
        top = Math.Min(top + 1, n.Length - 1);
        for (var v = top; v >= 1; v--) n[v] = (n[v] * (1 - p)) + (n[v - 1] * p);
        n[0] *= 1 - p;
    }

    /// <summary>E[(N - ready - X)+] given g[m] = E[(m - X)+].</summary>
    private static double Expected(Span<double> n, int top, Span<double> g, int ready)
    {
        double e = 0;
        for (var v = ready + 1; v <= top; v++) e += n[v] * g[v - ready];
        return e;
    }

    private static double Seconds(TimeSpan t) => Math.Max(0, t.TotalSeconds);

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length * 2)];
    }
}
