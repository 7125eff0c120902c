using Outdial.Engine.Domain;

namespace Outdial.Engine.Pacing;

public enum AgentActivity { Ready, Talking, WrapUp, NotReady }

/// <summary>An agent of the campaign's queue and since when it has been in its current activity.</summary>
public readonly record struct AgentSnapshot(AgentActivity Activity, DateTimeOffset Since);

public enum CallPhase
{
    /// <summary>Originated and not answered yet (setting up or ringing).</summary>
    Dialing,
    /// <summary>Answered by a person, waiting (at most the grace time) for an agent.</summary>
    AnsweredWaiting,
}

public readonly record struct CallSnapshot(DateTimeOffset Started, CallPhase Phase);

/// <summary>Everything a pacing decision looks at, taken at one instant.</summary>
public sealed record PacingState
{
    public required DialingMode Mode { get; init; }
    public required IReadOnlyList<AgentSnapshot> Agents { get; init; }
    public required IReadOnlyList<CallSnapshot> Calls { get; init; }
    /// <summary>Campaign target abandon rate in percent (OBI abandonRate; 0 means no calls beyond ready agents).</summary>
    public double TargetAbandonPercent { get; init; } = 1.0;
    public required OutcomeEstimator Estimator { get; init; }
    public required AbandonMeter Meter { get; init; }
    /// <summary>Records that may be dialed now; no more calls than this are launched.</summary>
    public int CallableRecords { get; init; } = int.MaxValue;
    /// <summary>Trunk lines left for this campaign (calls in flight included).</summary>
    public int MaxCallsInFlight { get; init; } = int.MaxValue;
}

public enum PacingReason { NoAgents, NoRecords, NoLines, Preview, Progressive, Predictive, BudgetSpent }

/// <param name="CallsToLaunch">Calls to originate now.</param>
/// <param name="ExpectedAbandons">Modelled abandons among calls in flight including the new ones (predictive only).</param>
/// <param name="IncreasePredictiveRatio">Calls in flight beyond ready agents, in percent of busy agents (0-100), as OBI reports it.</param>
/// <param name="DecideAgainAfter">When set, decide again after this long even if no event comes: a call held back
/// now may become worth launching as busy agents near their release (events can be seconds apart in small teams).</param>
public readonly record struct PacingDecision(int CallsToLaunch, PacingReason Reason, double ExpectedAbandons = 0,
    double IncreasePredictiveRatio = 0, TimeSpan? DecideAgainAfter = null);
