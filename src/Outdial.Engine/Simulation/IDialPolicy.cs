using Outdial.Engine.Pacing;

namespace Outdial.Engine.Simulation;

/// <summary>How many calls a simulated shift launches now: Outdial's <see cref="Pacer"/> (the default) or a peer it is
/// benchmarked against. Asked after every call and agent event, and again when it asks to be.</summary>
public interface IDialPolicy
{
    DialDecision Decide(ShiftView view);
}

/// <param name="Launch">Calls to originate now, to the next customers in line.</param>
/// <param name="DecideAgainAfter">Ask again after this long even if no event comes.</param>
/// <param name="Skip">Customers to pass over without calling (a clairvoyant policy only).</param>
public readonly record struct DialDecision(int Launch, TimeSpan? DecideAgainAfter = null, int Skip = 0);

/// <summary>A call in flight: the customer called, when, and whether a person answered and waits for an agent.</summary>
public readonly record struct LiveCall(long Customer, DateTimeOffset Started, bool Answered);

/// <summary>What a policy sees of the shift at one instant. <see cref="Network"/> and <see cref="ReleaseAt"/> are the
/// simulated truth, for bounds that know the future; real policies look at the rest.</summary>
public sealed class ShiftView
{
    public required DateTimeOffset Now { get; init; }
    public required ShiftOptions Options { get; init; }
    public required IReadOnlyList<AgentSnapshot> Agents { get; init; }
    /// <summary>Calls dialing or answered and waiting, in the same order as <see cref="Live"/>.</summary>
    public required IReadOnlyList<CallSnapshot> Calls { get; init; }
    public required IReadOnlyList<LiveCall> Live { get; init; }
    /// <summary>Per agent, when its current call and wrap-up end (null when not busy, or without common random numbers);
    /// the truth, not an estimate.</summary>
    public required IReadOnlyList<DateTimeOffset?> ReleaseAt { get; init; }
    public required OutcomeEstimator Estimator { get; init; }
    public required AbandonMeter Meter { get; init; }
    public required SimulatedNetwork Network { get; init; }
    /// <summary>The next customer in line (each launch takes the next one).</summary>
    public required long NextCustomer { get; init; }
    /// <summary>Calls launched, person answers and abandons the dialer knows of since the shift started.</summary>
    public required int Launched { get; init; }
    public required int KnownAnswered { get; init; }
    public required int KnownAbandoned { get; init; }
}
