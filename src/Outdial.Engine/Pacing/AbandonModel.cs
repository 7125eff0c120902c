namespace Outdial.Engine.Pacing;

/// <summary>The arithmetic of predictive pacing: how much one more call raises the expected abandons of the next seconds.</summary>
/// <remarks>
/// Time is cut into 1 s slots up to the latest likely answer of a new call. Per slot, agents come free (each busy agent
/// with its probability of release in that slot given its elapsed talk or wrap-up time, brought forward by the grace time
/// since an agent free within 2 s of an answer still takes it) and persons answer (calls already dialing given their
/// elapsed ring time; answers per slot as Poisson: many calls, each unlikely to answer in a given second). Free agents
/// carry over; an answer finding none is an abandon: abandons = max over t of (answers by t - agents free by t + grace).
/// A forward pass gives the distribution of free agents after each slot, a backward pass the expected abandons still to
/// come from each state; the new call is one Bernoulli answer, so its effect is exact against that baseline: it abandons
/// if it finds nobody, otherwise it takes an agent someone later might have needed.
/// </remarks>
internal sealed class AbandonModel
{
    private const double Step = 1.0;
    private const int MaxCount = 12; // per-slot releases and answers beyond this are negligible (absorbing bin)
    private double[] _curve = [];
    private double[] _releases = [];  // per slot s (0..S): distribution of agents coming free, MaxCount + 1 bins
    private double[] _poisson = [];   // per slot: Poisson mean of the many small release probabilities
    private double[] _answers = [];   // per slot: mean person answers of calls already dialing and new calls accepted
    private double[] _newAnswer = []; // per slot: P(a new call is answered by a person in it)
    private double[] _dialing = [];   // per slot: distribution of answers of calls already dialing, _demandStride bins
    private (int Slot, double P)[] _placed = [];
    private int _demandStride;
    private double[] _net = [];       // per slot: distribution of releases - answers, offset by _netOffset
    private double[] _forward = [];   // per slot: distribution of free agents after the slot's answers
    private double[] _noAgent = [];   // per slot: P(free agents + releases - answers <= 0)
    private double[] _value = [];     // per slot: expected abandons from that slot on, by free agents before it
    private int _netOffset;
    private int _netLength;

    /// <summary>How many calls (at least <paramref name="progressive"/>, at most <paramref name="room"/>) to launch so each
    /// added call raises expected abandons by at most <paramref name="threshold"/> per person answer it brings; and the
    /// expected abandons the launched calls add. No call beyond <paramref name="progressive"/> once the abandons expected
    /// from calls in flight and launched would exceed the budget's allowance, unless no outcome of them can bring more
    /// abandons than the hour has left (at most <paramref name="safe"/> new calls).</summary>
    public (int Calls, double ExpectedAbandons) Launchable(PacingState state, DateTimeOffset now, PacerOptions options,
        int ready, int progressive, int room, Budget budget, int safe)
    {
        var threshold = budget.Threshold;
        var p = state.Estimator.PersonRate;
        if (p <= 0 || threshold <= 0) return (progressive, 0);
        var (slots, waiting, busy, demand) = Prepare(state, now, options, progressive);

        var calls = progressive;
        double added = 0;
        var limit = Math.Min(room, progressive + 16);
        // Free agents beyond any demand that can still come change nothing: the state is capped there.
        var cap = Math.Min(ready + busy, waiting + (int)Math.Ceiling(demand + (limit * p) + (5 * Math.Sqrt(demand + 1))) + 2);
        for (var k = progressive + 1; k <= limit; k++)
        {
            var (delta, baseline) = Marginal(ready, waiting, slots, cap);
            if (delta / p > threshold) break;
            // Over the expected allowance, still safe while no outcome can bring more abandons than the hour has left.
            if (baseline + delta > budget.Allowance && k > safe) break;
            added += delta;
            calls = k;
            for (var s = 1; s <= slots; s++) _answers[s] += _newAnswer[s];
        }
        return (calls, added);
    }

    /// <summary>Expected abandons of the calls in flight plus <paramref name="launched"/> calls launched now, and what one
    /// more call would add (for tests and calibration checks).</summary>
    internal (double Baseline, double Delta) Assess(PacingState state, DateTimeOffset now, PacerOptions options, int ready, int launched)
    {
        var (slots, waiting, busy, demand) = Prepare(state, now, options, launched);
        var cap = Math.Min(ready + busy, waiting + (int)Math.Ceiling(demand + (5 * Math.Sqrt(demand + 1))) + 4);
        var (delta, baseline) = Marginal(ready, waiting, slots, cap);
        return (baseline, delta);
    }

    /// <summary>Fills the per-slot releases and demand of the calls in flight and <paramref name="launched"/> new calls.</summary>
    private (int Slots, int Waiting, int Busy, double Demand) Prepare(PacingState state, DateTimeOffset now, PacerOptions options, int launched)
    {
        var est = state.Estimator;
        var p = est.PersonRate;
        var progressive = launched;
        var grace = options.Grace.TotalSeconds;
        var slots = Math.Clamp((int)Math.Ceiling(est.AnswerTimeQuantile(0.99) / Step) + 1, 2, 120);
        const int stride = MaxCount + 1;
        Grow(ref _curve, slots + 1);
        Grow(ref _releases, (slots + 1) * stride);
        Grow(ref _poisson, slots + 1);
        Grow(ref _answers, slots + 1);
        Grow(ref _newAnswer, slots + 1);
        Grow(ref _noAgent, slots + 1);
        _releases.AsSpan(0, (slots + 1) * stride).Clear();
        _poisson.AsSpan(0, slots + 1).Clear();
        _answers.AsSpan(0, slots + 1).Clear();
        for (var s = 0; s <= slots; s++) _releases[s * stride] = 1;
        var curve = _curve.AsSpan(0, slots + 1);

        var busy = 0;
        foreach (var agent in state.Agents)
        {
            if (agent.Activity is not (AgentActivity.Talking or AgentActivity.WrapUp)) continue;
            busy++;
            // Slot 0 is "free before the first answers" (within grace - 0.5 s); slot s gets releases up to s + grace - 0.5.
            est.ReleaseCurve(agent.Activity == AgentActivity.Talking, Seconds(now - agent.Since), grace - (Step / 2), Step, curve);
            var previous = 0.0;
            for (var s = 0; s <= slots; s++)
            {
                var f = curve[s] - previous;
                previous = curve[s];
                if (f <= 1e-9) continue;
                if (f < 0.05) _poisson[s] += f;
                else AddBernoulli(_releases.AsSpan(s * stride, stride), f);
            }
        }
        for (var s = 0; s <= slots; s++) MixPoisson(_releases.AsSpan(s * stride, stride), _poisson[s]);

        var waiting = 0;
        double demand = 0;
        var place = options.DialingPlacement;
        var placed = 0;
        if (_placed.Length < state.Calls.Count) _placed = new (int, double)[Math.Max(state.Calls.Count, _placed.Length * 2)];
        foreach (var call in state.Calls)
        {
            if (call.Phase == CallPhase.AnsweredWaiting) { waiting++; continue; }
            est.PersonAnswerCurve(Seconds(now - call.Started), Step, curve);
            var q = curve[slots];
            demand += q;
            if (q <= 1e-9) continue;
            if (place <= 0)
            {
                for (var s = 1; s <= slots; s++) _answers[s] += curve[s] - curve[s - 1];
                continue;
            }
            // One answer at most: a single Bernoulli at a quantile of its answer time, not a spread that could answer twice.
            var at = 1;
            while (at < slots && curve[at] < q * place) at++;
            _placed[placed++] = (at, q);
        }
        Span<int> perSlot = stackalloc int[slots + 1];
        for (var i = 0; i < placed; i++) perSlot[_placed[i].Slot]++;
        var most = 0;
        foreach (var n in perSlot) most = Math.Max(most, n);
        _demandStride = most + MaxCount + 1; // room for every placed call plus the Poisson part
        Grow(ref _dialing, (slots + 1) * _demandStride);
        _dialing.AsSpan(0, (slots + 1) * _demandStride).Clear();
        for (var s = 0; s <= slots; s++) _dialing[s * _demandStride] = 1;
        for (var i = 0; i < placed; i++) AddBernoulli(_dialing.AsSpan(_placed[i].Slot * _demandStride, _demandStride), _placed[i].P);
        est.PersonAnswerCurve(0, Step, curve);
        for (var s = 1; s <= slots; s++)
        {
            _newAnswer[s] = curve[s] - curve[s - 1];
            _answers[s] += progressive * _newAnswer[s];
        }
        demand += progressive * p;
        return (slots, waiting, busy, demand);
    }

    /// <summary>Expected extra abandons from one more call answered by a person at slot t with probability _newAnswer[t].</summary>
    /// <returns>The extra abandons and the abandons expected without it (calls in flight and accepted so far).</returns>
    private (double Delta, double Baseline) Marginal(int ready, int waiting, int slots, int cap)
    {
        const int stride = MaxCount + 1;
        var width = cap + 1;
        var dmax = _demandStride - 1;
        _netOffset = dmax + waiting;
        _netLength = _netOffset + MaxCount + 1;
        Grow(ref _net, (slots + 1) * _netLength);
        Grow(ref _forward, (slots + 1) * width);
        Grow(ref _value, (slots + 2) * width);
        Span<double> demand = stackalloc double[_demandStride];

        for (var s = 1; s <= slots; s++)
        {
            _dialing.AsSpan(s * _demandStride, _demandStride).CopyTo(demand);
            MixPoisson(demand, _answers[s]);
            var net = _net.AsSpan(s * _netLength, _netLength);
            net.Clear();
            var releases = _releases.AsSpan(s * stride, stride);
            var extra = s == 1 ? waiting : 0; // answered calls already waiting need an agent at once
            for (var r = 0; r <= MaxCount; r++)
            {
                if (releases[r] < 1e-12) continue;
                for (var d = 0; d <= dmax; d++) net[r - d - extra + _netOffset] += releases[r] * demand[d];
            }
        }

        // Only where the distributions have mass: the free-agent range per slot and the net range per slot.
        Span<int> top = stackalloc int[slots + 1];     // highest free-agent count with mass after slot s
        Span<int> known = stackalloc int[slots + 2];   // value[s] is computed for 0..known[s]; above, it equals value[known[s]]
        Span<int> lo = stackalloc int[slots + 1];
        Span<int> hi = stackalloc int[slots + 1];
        for (var s = 1; s <= slots; s++)
        {
            var net = _net.AsSpan(s * _netLength, _netLength);
            int a = 0, b = _netLength - 1;
            while (a < b && net[a] < 1e-12) a++;
            while (b > a && net[b] < 1e-12) b--;
            (lo[s], hi[s]) = (a, b);
        }

        // Forward: free agents after slot 0's releases, then after each slot's releases and answers.
        var free = _forward.AsSpan(0, width);
        free.Clear();
        var start = _releases.AsSpan(0, stride);
        for (var r = 0; r <= MaxCount; r++) free[Math.Min(cap, ready + r)] += start[r];
        top[0] = Top(free);
        for (var s = 1; s <= slots; s++)
        {
            var before = _forward.AsSpan((s - 1) * width, width);
            var after = _forward.AsSpan(s * width, width);
            after.Clear();
            var net = _net.AsSpan(s * _netLength, _netLength);
            double none = 0;
            for (var l = 0; l <= top[s - 1]; l++)
            {
                var pl = before[l];
                if (pl < 1e-12) continue;
                for (var i = lo[s]; i <= hi[s]; i++)
                {
                    var pn = net[i];
                    if (pn < 1e-12) continue;
                    var next = l + i - _netOffset;
                    if (next <= 0) none += pl * pn;
                    after[Math.Clamp(next, 0, cap)] += pl * pn;
                }
            }
            _noAgent[s] = none;
            top[s] = Top(after);
        }

        // Backward: expected abandons from slot s on, given free agents before it (needed where slot s - 1 left mass).
        _value.AsSpan((slots + 1) * width, width).Clear();
        known[slots + 1] = 0;
        for (var s = slots; s >= 1; s--)
        {
            var value = _value.AsSpan(s * width, width);
            var later = _value.AsSpan((s + 1) * width, width);
            var laterKnown = known[s + 1];
            var net = _net.AsSpan(s * _netLength, _netLength);
            known[s] = Math.Min(cap, top[s - 1] + 1);
            for (var l = 0; l <= known[s]; l++)
            {
                double v = 0;
                for (var i = lo[s]; i <= hi[s]; i++)
                {
                    var pn = net[i];
                    if (pn < 1e-12) continue;
                    var next = l + i - _netOffset;
                    v += pn * (next < 0 ? -next + later[0] : later[Math.Min(next, laterKnown)]);
                }
                value[l] = v;
            }
        }

        double delta = 0;
        for (var s = 1; s <= slots; s++)
        {
            var pi = _newAnswer[s];
            if (pi < 1e-12) continue;
            var after = _forward.AsSpan(s * width, width);
            var later = _value.AsSpan((s + 1) * width, width);
            var laterKnown = known[s + 1];
            var taken = 0.0;
            for (var l = 1; l <= top[s]; l++) taken += after[l] * (later[Math.Min(l - 1, laterKnown)] - later[Math.Min(l, laterKnown)]);
            delta += pi * (_noAgent[s] + taken);
        }
        double baseline = 0;
        var first = _value.AsSpan(width, width);
        var initial = _forward.AsSpan(0, width);
        for (var l = 0; l <= top[0]; l++) baseline += initial[l] * first[Math.Min(l, known[1])];
        return (delta, baseline);
    }

    private static int Top(Span<double> dist)
    {
        var t = dist.Length - 1;
        while (t > 0 && dist[t] < 1e-12) t--;
        return t;
    }

    private static void AddBernoulli(Span<double> dist, double p)
    {
        var top = dist.Length - 1;
        dist[top] += dist[top - 1] * p; // the last bin is "top or more"
        for (var v = top - 1; v >= 1; v--) dist[v] = (dist[v] * (1 - p)) + (dist[v - 1] * p);
        dist[0] *= 1 - p;
    }

    /// <summary>dist := dist + Poisson(mean), capped at the last bin.</summary>
    private static void MixPoisson(Span<double> dist, double mean)
    {
        if (mean <= 1e-12) return;
        Span<double> poisson = stackalloc double[dist.Length];
        Span<double> result = stackalloc double[dist.Length];
        var term = Math.Exp(-mean);
        double sum = 0;
        for (var i = 0; i < poisson.Length - 1; i++)
        {
            poisson[i] = term;
            sum += term;
            term *= mean / (i + 1);
        }
        poisson[^1] = Math.Max(0, 1 - sum);
        var top = dist.Length - 1;
        for (var a = 0; a <= top; a++)
        {
            if (dist[a] < 1e-12) continue;
            for (var b = 0; b <= top; b++) result[Math.Min(top, a + b)] += dist[a] * poisson[b];
        }
        result.CopyTo(dist);
    }

    private static double Seconds(TimeSpan t) => Math.Max(0, t.TotalSeconds);

    private static void Grow(ref double[] array, int length)
    {
        if (array.Length < length) array = new double[Math.Max(length, array.Length * 2)];
    }
}
