namespace Outdial.Engine.Pacing;

/// <summary>Knobs of predictive pacing; the defaults are what docs/pacing.md measures.</summary>
public sealed record PacerOptions
{
    /// <summary>How long an answered call may wait for an agent before it is abandoned.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Share of the target aimed at, leaving room for chance (an hour has few answered calls).</summary>
    public double Safety { get; init; } = 0.8;
    /// <summary>Share of the answers a fully busy team would take for the rest of the hour that the budget counts on.</summary>
    public double ProjectionShare { get; init; } = 0.8;
    /// <summary>Cap on the near-term abandon share, as a multiple of the target (an under-spent hour does not splurge at its end).</summary>
    public double MaxRateFactor { get; init; } = 1.5;
    /// <summary>A call is only launched while its own abandon probability, if answered, is at most this multiple of the allowed share.</summary>
    public double MarginalFactor { get; init; } = 5;
    /// <summary>Real calls seen before the abandon budget is fully trusted (it grows linearly until then).</summary>
    public int WarmupCalls { get; init; } = 300;
    public int MaxCallsPerDecision { get; init; } = 50;
    public double MaxCallsPerAgent { get; init; } = 8;
    /// <summary>Quantiles of a new call's answer time at which agent supply and call demand are compared.</summary>
    public IReadOnlyList<double> Horizons { get; init; } = [0.2, 0.5, 0.8, 0.95];
}
