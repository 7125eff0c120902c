using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;

namespace Outdial.Engine.Simulation;

/// <summary>One simulated shift: a team logged in from start to end, one campaign, one pacing mode.</summary>
public sealed record ShiftOptions
{
    public int Agents { get; init; } = 50;
    public int Records { get; init; } = 100_000;
    public TimeSpan Length { get; init; } = TimeSpan.FromHours(8);
    public DialingMode Mode { get; init; } = DialingMode.PREDICTIVE;
    public double TargetAbandonPercent { get; init; } = 1.0;
    public int Seed { get; init; } = 1;
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Start on a whole hour so report hours are the clock hours the pacer budgets.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    public SimulatedNetworkOptions Network { get; init; } = new();
    public PacerOptions Pacer { get; init; } = new();
    /// <summary>Who decides the launches; null: a <see cref="Pacing.Pacer"/> with <see cref="Pacer"/> in <see cref="Mode"/>.</summary>
    public IDialPolicy? Policy { get; init; }
    /// <summary>When each agent logs in and out (from the start); null: <see cref="Agents"/> agents for the whole shift.
    /// An agent logging out while busy leaves when its wrap-up ends.</summary>
    public IReadOnlyList<AgentShift>? AgentShifts { get; init; }
}

public readonly record struct AgentShift(TimeSpan LogIn, TimeSpan LogOut);

/// <param name="Calls">Calls launched in the hour.</param>
/// <param name="Answered">Calls answered by a person in the hour (connected or abandoned).</param>
/// <param name="Occupancy">Talk + wrap-up time as a share of logged-in agent time.</param>
/// <param name="AgentWaitSeconds">Agents' ready (idle) time per call connected to them.</param>
public sealed record HourReport(int Hour, int Calls, int Answered, int Abandoned, double Occupancy, double AgentWaitSeconds)
{
    /// <summary>Abandoned / answered by a person, in percent.</summary>
    public double AbandonRatePercent => Answered == 0 ? 0 : 100.0 * Abandoned / Answered;
}

/// <param name="ModelledAbandons">Sum of the pacer's expected abandons of the calls it launched (calibration check).</param>
/// <param name="AgentHours">Logged-in agent time, in hours.</param>
/// <param name="Connected">Calls taken by an agent.</param>
public sealed record ShiftReport(IReadOnlyList<HourReport> Hours, HourReport Total, double MeanIncreasePredictiveRatio, int Decisions, double ModelledAbandons,
    double AgentHours = 0, int Connected = 0)
{
    public double WorstHourAbandonPercent => Hours.Count == 0 ? 0 : Hours.Max(h => h.AbandonRatePercent);
}
