namespace Outdial.Engine.Pacing;

/// <param name="Threshold">Highest added abandons per person answer a launched call may bring (0: progressive only).</param>
/// <param name="Allowance">Expected abandons the calls in flight may bring: what keeps the chance of more than the hour's
/// whole abandons left small.</param>
/// <param name="WholeLeft">Abandons this hour can still take at the target. When the allowance is spent, calls a person
/// may still answer are kept to at most this many beyond ready agents: each abandon needs one such call, so the calls in
/// flight cannot bring more.</param>
internal readonly record struct Budget(double Threshold, double Allowance, double WholeLeft);

/// <summary>How much abandon risk the next launches may take: the rate that spends what is left of this hour's budget
/// evenly over the answers still expected in it, less a margin for chance that shrinks as the hour runs out (spending
/// evenly beats spending in bursts, and running out early leaves the rest of the hour progressive); and hard limits
/// that keep every clock hour at or under the target.</summary>
internal static class PacingBudget
{
    public static Budget Compute(PacingState state, DateTimeOffset now, PacerOptions o, double target, int loggedIn, Func<int, double> allowance)
    {
        var remaining = (TimeSpan.TicksPerHour - (now.UtcTicks % TimeSpan.TicksPerHour)) / (double)TimeSpan.TicksPerSecond;
        var fullRate = loggedIn / Math.Max(1, state.Estimator.MeanServiceSeconds); // answers per second, team fully busy
        var hour = state.Meter.CurrentHour(now);
        var previous = state.Meter.CurrentHour(now.AddHours(-1));
        // Answers per second as measured over the last hour or so (a full team's rate until there is one).
        var measured = previous.Answered > 0 ? (previous.Answered + hour.Answered) / (7200 - remaining) : fullRate;
        var rate = Math.Min(fullRate, measured);

        // Whole abandons this hour can take at the target if the rest of the hour answers few calls: a low bound on
        // the answers still to come (a count of renewals, varying about as much as Poisson; and pacing may fall back
        // to progressive, which answers fewer).
        var whole = Math.Floor(target * (hour.Answered + Low(rate * remaining, o.LowProjectionZ, o.LowShare))) - hour.Abandoned;
        // Calls launched in the last seconds of an hour are answered in the next one, which starts with no answers.
        if (remaining < o.HourLookahead.TotalSeconds)
            whole = Math.Min(whole, Math.Floor(target * Low(rate * 3600, o.LowProjectionZ, o.LowShare)));

        // The abandons the rest of the hour may bring (what is left of the hour's and the last 24 h's target), less a
        // margin of HourMargin Poisson standard deviations of the abandons planned, spread over the answers it should
        // bring: planned + m sqrt(planned) = left, a quadratic in x = sqrt(planned).
        var projected = Math.Max(1, rate * remaining * o.ProjectionShare);
        var share = Math.Min(Credits(target, hour, projected), Credits(target, state.Meter.Last24Hours(now), projected));
        var x = (-o.HourMargin + Math.Sqrt((o.HourMargin * o.HourMargin) + (4 * Math.Max(0, share)))) / 2;
        var planned = Math.Clamp(x * x / projected, 0, target * o.MaxRateFactor);

        // Early in a shift the estimates are mostly priors: start near progressive.
        var warm = Math.Min(1, (double)state.Estimator.CallsObserved / Math.Max(1, o.WarmupCalls));
        var threshold = Math.Min(0.9, (o.FixedThreshold > 0 ? o.FixedThreshold : planned * o.MarginalFactor) * warm);
        if (o.NoHourlyLimit) return new(threshold, double.PositiveInfinity, 1000);
        return new(threshold, allowance((int)Math.Min(whole, 1000)), whole);
    }

    /// <summary>The largest mean abandon count that exceeds <paramref name="whole"/> with probability at most
    /// <paramref name="risk"/>. Abandons come in bursts (a run of answers with every agent busy), so the count is taken
    /// as Poisson bursts of geometric size with mean <paramref name="burst"/> (Polya-Aeppli).</summary>
    internal static double MeanWithin(int whole, double risk, double burst)
    {
        if (whole <= 0) return 0;
        double lo = 0, hi = whole + 1;
        for (var i = 0; i < 30; i++)
        {
            var mid = (lo + hi) / 2;
            if (Above(mid, whole, burst) <= risk) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>P(N > k) for bursts ~ Poisson(mean / burst) of geometric size (Panjer recursion).</summary>
    internal static double Above(double mean, int k, double burst)
    {
        var lambda = mean / burst;
        var q = 1 - (1 / burst); // P(a burst is one longer)
        Span<double> p = k < 256 ? stackalloc double[k + 1] : new double[k + 1];
        p[0] = Math.Exp(-lambda);
        var cdf = p[0];
        for (var n = 1; n <= k; n++)
        {
            double sum = 0, f = 1 - q; // f = P(size g), g = 1..n
            for (var g = 1; g <= n; g++, f *= q) sum += g * f * p[n - g];
            p[n] = lambda / n * sum;
            cdf += p[n];
        }
        return Math.Max(0, 1 - cdf);
    }

    private static double Low(double expected, double z, double share) =>
        Math.Max(0, (expected * share) - (z * Math.Sqrt(expected)));

    private static double Credits(double target, AbandonStats stats, double projected) =>
        (target * (stats.Answered + projected)) - stats.Abandoned;
}
