using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using Outdial.Engine.Storage;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Events;

/// <summary>Something the engine did, as every event stream (SSE, CometD, the pages) receives it; each adapter gives it
/// its own wire shape.</summary>
public abstract record EngineEvent
{
    /// <summary>The stream's name for the kind of event (<see cref="EventTypes"/>).</summary>
    public abstract string Type { get; }
}

/// <summary>An attempt ended and the record's progress was updated (or the record was put back without an attempt).</summary>
/// <param name="State">The record's state after the result rules; null when the attempt's lease was lost meanwhile.</param>
public sealed record RecordProcessed(string CampaignId, long RecordSerial, CallResult Result, string? AgentId, RecordState? State,
    DateTimeOffset? NextEligibleAt) : EngineEvent
{
    public override string Type => EventTypes.RecordProcessed;
}

/// <summary>A call placed by the dialer progressed (ringing, answered, bridged, ended …).</summary>
public sealed record CallProgressed(string CampaignId, long CallId, long RecordSerial, CallProgressKind Progress) : EngineEvent
{
    public override string Type => EventTypes.CallProgress;
}

/// <summary>An agent moved between states.</summary>
/// <param name="ByDialer">True when the dialer moved the agent (call bridged, wrap-up); false for the agent's own actions.</param>
public sealed record AgentStateChanged(string AgentId, AgentState From, AgentState To, string? CampaignId, bool ByDialer) : EngineEvent
{
    public override string Type => EventTypes.AgentState;
}

/// <summary>The pacing placed calls, or started holding back for a reason (announced once per hold, not every tick).</summary>
public sealed record PacingDecided(string CampaignId, int Calls, PacingReason Reason, double ExpectedAbandons, double IncreasePredictiveRatio)
    : EngineEvent
{
    public override string Type => EventTypes.PacingDecision;
}

/// <summary>What an agent did with a record it held.</summary>
public enum AgentWorkKind { Completed, Rescheduled, Rejected, DoNotCall, Updated }

/// <summary>An agent's request on a record it held was carried out; adapters that answer a request at once and report its
/// outcome later (Genesys over CometD) deliver this.</summary>
/// <param name="Reference">The caller's correlation id from the request (Genesys referenceId), echoed back.</param>
/// <param name="Echo">Request fields the adapter wants heard back with the outcome, as the caller sent them.</param>
public sealed record AgentWorkDone(string AgentId, string CampaignId, long RecordSerial, AgentWorkKind Kind, CallResult? Result,
    string? Reference = null, IReadOnlyDictionary<string, string>? Echo = null) : EngineEvent
{
    public override string Type => EventTypes.AgentWork;
}

/// <summary>An agent asked for a record to preview and was offered one (held under its handle), or none was callable.</summary>
/// <param name="Offered">The record held for the agent; null when none is callable now.</param>
/// <param name="ListName">The name of the offered record's calling list.</param>
/// <param name="Reference">The caller's correlation id from the request, echoed back.</param>
public sealed record RecordOffered(string AgentId, string CampaignId, string CampaignName, ClaimedRecord? Offered, string? ListName = null,
    string? Reference = null) : EngineEvent
{
    public override string Type => EventTypes.RecordOffered;
}

/// <summary>A campaign's state or its dialer's changed; one stream type, several kinds below.</summary>
public abstract record CampaignStateEvent(string CampaignId) : EngineEvent
{
    public sealed override string Type => EventTypes.CampaignState;
}

/// <summary>The derived status changed (Handled, Expired, Active again).</summary>
public sealed record CampaignStatusChanged(string CampaignId, CampaignStatus Status, DialerStatus DialerStatus, CampaignStatus PreviousStatus)
    : CampaignStateEvent(CampaignId);

public sealed record DialerStarted(string CampaignId, DialingMode Mode) : CampaignStateEvent(CampaignId);

public sealed record DialerStopped(string CampaignId) : CampaignStateEvent(CampaignId);

/// <summary>The campaign's dialer hit a failure (the store busy or unreachable …) and goes on.</summary>
/// <param name="Retrying">True while the runner's start-up reads are tried again.</param>
public sealed record DialerFailed(string CampaignId, string Error, bool Retrying) : CampaignStateEvent(CampaignId);
