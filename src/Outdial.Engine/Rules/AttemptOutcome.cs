using Outdial.Engine.Domain;

namespace Outdial.Engine.Rules;

/// <summary>How one attempt ended, as reported by the telephony layer or the agent.</summary>
/// <param name="PhoneIndex">Index into <see cref="CallRecord.Phones"/> of the number dialed.</param>
public sealed record AttemptOutcome(CallResult Result, int PhoneIndex)
{
    /// <summary>The agent's classification (OBI "classifier").</summary>
    public string? Classifier { get; init; }
    /// <summary>Amount collected on a successful call.</summary>
    public decimal? Amount { get; init; }
    /// <summary>When set, the agent asked for a callback at this time: overrides the campaign's rule for the result.</summary>
    public DateTimeOffset? CallbackAt { get; init; }
    /// <summary>Agent owning a personal callback; null for a campaign callback any agent may take.</summary>
    public string? CallbackAgentId { get; init; }
    /// <summary>The script the agent went through and its answers (OBI customer "script").</summary>
    public Script? Script { get; init; }
}

/// <summary>The record and its progress after an attempt, and the action that was applied.</summary>
public sealed record AppliedOutcome(CallRecord Record, RecordProgress Progress, RuleAction Action);
