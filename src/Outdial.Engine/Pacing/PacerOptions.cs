namespace Outdial.Engine.Pacing;

/// <summary>Knobs of predictive pacing; the defaults are what docs/pacing.md measures.</summary>
public sealed record PacerOptions
{
    /// <summary>How long an answered call may wait for an agent before it is abandoned.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Margin kept from what is left of the hour's abandon budget, in Poisson standard deviations of the abandons
    /// still planned (large early in the hour, nothing at its end).</summary>
    public double HourMargin { get; init; } = 2;
    /// <summary>Share of the measured answer rate the budget counts on for the rest of the hour.</summary>
    public double ProjectionShare { get; init; } = 0.95;
    /// <summary>Poisson standard deviations below the expected answers for the rest of the hour the hard hourly check counts on.</summary>
    public double LowProjectionZ { get; init; } = 1.5;
    /// <summary>Share of the measured answer rate the hard hourly check counts on: answers slow down when pacing holds
    /// back after abandons.</summary>
    public double LowShare { get; init; } = 0.9;
    /// <summary>Chance the hard hourly check accepts that the calls in flight bring more abandons than the hour can take.</summary>
    public double HourRisk { get; init; } = 0.001;
    /// <summary>Mean number of abandons in a burst (answers arriving together while every agent is busy).</summary>
    public double BurstSize { get; init; } = 2.5;
    /// <summary>Within this long of the end of an hour, the next hour's allowance applies too (answers come later).</summary>
    public TimeSpan HourLookahead { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Cap on the planned abandon rate, as a multiple of the target (an under-spent hour does not splurge at its end).</summary>
    public double MaxRateFactor { get; init; } = 1.5;
    /// <summary>Marginal threshold over the aimed average rate: calls launched at the margin are riskier than the average.</summary>
    public double MarginalFactor { get; init; } = 1.4;
    /// <summary>Real calls seen before the abandon budget is fully trusted (it grows linearly until then).</summary>
    public int WarmupCalls { get; init; } = 100;
    /// <summary>How soon to decide again when predictive pacing held calls back (see <see cref="PacingDecision.DecideAgainAfter"/>).</summary>
    public TimeSpan DecideAgainAfter { get; init; } = TimeSpan.FromSeconds(0.5);
    /// <summary>Each dialing call answers at most once: it enters the model as one Bernoulli at this quantile of its
    /// remaining answer time (0 spreads it over time as Poisson instead, which can answer twice and overstates risk in
    /// small teams).</summary>
    public double DialingPlacement { get; init; } = 0.5;
    /// <summary>Experimental: a fixed marginal threshold instead of the hour's plan (the hourly guard still holds).</summary>
    public double FixedThreshold { get; init; }
    /// <summary>Experimental: no hourly limit (no guard, no hourly plan beyond the threshold), to measure the model's
    /// frontier alone.</summary>
    public bool NoHourlyLimit { get; init; }
    public int MaxCallsPerDecision { get; init; } = 50;
    public double MaxCallsPerAgent { get; init; } = 8;
}
