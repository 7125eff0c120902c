using Outdial.Engine.Simulation;

namespace Outdial.Engine.Pacing;

/// <summary>What the estimator assumes before it has seen calls; replaced by observations as they arrive.</summary>
/// <remarks>Priors enter as pseudo-observations drawn with a fixed seed and leave the estimates once 500 real calls with
/// 100 person answers among them (200 real conversations) are in: a small team takes hours to turn the rolling windows
/// over.</remarks>
public sealed record OutcomePriors
{
    public double PersonRate { get; init; } = 0.25;
    public Distribution AnswerTime { get; init; } = Distribution.Uniform(4, 16);
    /// <summary>Time to any other outcome (mostly ring-no-answer).</summary>
    public Distribution OtherOutcomeTime { get; init; } = Distribution.Uniform(15, 25);
    public Distribution TalkTime { get; init; } = Distribution.LogNormal(120, 1);
    public Distribution WrapTime { get; init; } = Distribution.Fixed(15);
    public int CallWeight { get; init; } = 200;
    public int ServiceWeight { get; init; } = 50;
}
