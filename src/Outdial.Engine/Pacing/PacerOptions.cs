namespace Outdial.Engine.Pacing;

/// <summary>Knobs of predictive pacing; the defaults are what docs/pacing.md measures.</summary>
public sealed record PacerOptions
{
    /// <summary>How long an answered call may wait for an agent before it is abandoned.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Margin kept from the hour's abandon budget, in (bursty) standard deviations of the abandons still planned.</summary>
    public double HourMargin { get; init; } = 2;
    /// <summary>Share of the measured answer rate the budget counts on for the rest of the hour.</summary>
    public double ProjectionShare { get; init; } = 0.95;
    /// <summary>Share of the measured answer rate the hard hourly check counts on (a pessimistic projection).</summary>
    public double LowProjectionShare { get; init; } = 0.85;
    /// <summary>Abandons kept in reserve by the hard hourly check: with 1 the last abandon an hour can take is never
    /// risked (calls in flight can abandon together), with two left the calls in flight may expect one.</summary>
    public double HourReserve { get; init; } = 1;
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
    public int MaxCallsPerDecision { get; init; } = 50;
    public double MaxCallsPerAgent { get; init; } = 8;
}
