using Outdial.Engine.Events;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>The record operations of the Outbound API and how each is acknowledged over CometD.</summary>
internal static class GenesysOperations
{
    /// <summary>Request fields echoed in the acknowledgement's record, in the document's order.</summary>
    public static readonly string[] Echoed = ["campaignName", "devicePath", "callingList", "applicationId"];

    public static string Acknowledgement(AgentWorkKind kind) => kind switch
    {
        AgentWorkKind.Completed => "RecordProcessedAcknowledge",
        AgentWorkKind.Rescheduled => "ScheduledRecordRescheduleAcknowledge",
        AgentWorkKind.Rejected => "RecordRejectAcknowledge",
        AgentWorkKind.DoNotCall => "DoNotCallAcknowledge",
        _ => "UpdateCallCompletionStatsAcknowledge",
    };
}
