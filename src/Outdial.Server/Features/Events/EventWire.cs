using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Pacing;
using Outdial.Engine.Telephony;

namespace Outdial.Server.Features.Events;

/// <summary>The native stream's shape of each engine event (the engine's types are not the wire's).</summary>
internal static class EventWire
{
    public sealed record RecordProcessedDto(string CampaignId, long RecordSerial, CallResult Result, string? AgentId, RecordState? State,
        DateTimeOffset? NextEligibleAt);

    public sealed record CallProgressDto(string CampaignId, long CallId, long RecordSerial, CallProgressKind Progress);

    public sealed record AgentStateDto(string AgentId, AgentState From, AgentState To, string? CampaignId, bool ByDialer);

    public sealed record PacingDecisionDto(string CampaignId, int Calls, PacingReason Reason, double ExpectedAbandons, double IncreasePredictiveRatio);

    /// <summary>The agent's request on a held record, carried out; the adapter's echoed fields stay with the adapter.</summary>
    public sealed record AgentWorkDto(string AgentId, string CampaignId, long RecordSerial, AgentWorkKind Kind, CallResult? Result, string? Reference);

    /// <summary>A record offered to an agent for preview (handle and record id), or none (both absent).</summary>
    public sealed record RecordOfferedDto(string AgentId, string CampaignId, long? Handle, string? RecordId, string? Reference);

    /// <summary>One shape for every campaign.state kind; absent fields are left out of the JSON.</summary>
    public sealed record CampaignStateDto(string CampaignId)
    {
        public CampaignStatus? Status { get; init; }
        public DialerStatus? DialerStatus { get; init; }
        public CampaignStatus? PreviousStatus { get; init; }
        /// <summary>started or stopped.</summary>
        public string? Dialer { get; init; }
        public DialingMode? Mode { get; init; }
        public string? Error { get; init; }
        /// <summary>True while the dialer's start-up reads are tried again; absent otherwise.</summary>
        public bool? Retry { get; init; }
    }

    public static object ToWire(EngineEvent e) => e switch
    {
        RecordProcessed r => new RecordProcessedDto(r.CampaignId, r.RecordSerial, r.Result, r.AgentId, r.State, r.NextEligibleAt),
        CallProgressed c => new CallProgressDto(c.CampaignId, c.CallId, c.RecordSerial, c.Progress),
        AgentStateChanged a => new AgentStateDto(a.AgentId, a.From, a.To, a.CampaignId, a.ByDialer),
        PacingDecided p => new PacingDecisionDto(p.CampaignId, p.Calls, p.Reason, p.ExpectedAbandons, p.IncreasePredictiveRatio),
        CampaignStatusChanged s => new CampaignStateDto(s.CampaignId) { Status = s.Status, DialerStatus = s.DialerStatus, PreviousStatus = s.PreviousStatus },
        DialerStarted s => new CampaignStateDto(s.CampaignId) { Dialer = "started", Mode = s.Mode },
        DialerStopped s => new CampaignStateDto(s.CampaignId) { Dialer = "stopped" },
        AgentWorkDone w => new AgentWorkDto(w.AgentId, w.CampaignId, w.RecordSerial, w.Kind, w.Result, w.Reference),
        RecordOffered o => new RecordOfferedDto(o.AgentId, o.CampaignId, o.Offered?.Lease.RecordSerial, o.Offered?.Record.Id, o.Reference),
        DialerFailed f => new CampaignStateDto(f.CampaignId) { Error = f.Error, Retry = f.Retrying ? true : null },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "an engine event without a native wire shape"),
    };
}
