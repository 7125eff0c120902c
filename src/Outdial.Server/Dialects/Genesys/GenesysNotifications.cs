using System.Globalization;
using System.Text.Json.Nodes;
using Outdial.Engine.Events;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>The engine's events an agent's CometD client hears, as Genesys Workspace Web Services messages: the
/// acknowledgement on <c>/v2/me/outbound</c> (an OutboundRecordMessage with the request's referenceId), then the
/// DeviceUserEventMessage with the <c>GSW_*</c> user data on <c>/me/internal</c>, as the document's example shows.</summary>
internal static class GenesysNotifications
{
    public const string OutboundChannel = "/v2/me/outbound";
    public const string InternalChannel = "/me/internal";

    public static readonly IReadOnlySet<string> EventTypes = new HashSet<string>(StringComparer.Ordinal) { Engine.Events.EventTypes.AgentWork };

    /// <summary>Keeps one agent's events: a client sees only its own agent's messages.</summary>
    public static Func<EngineEvent, bool> Of(string agentId) => e => e is AgentWorkDone w && w.AgentId == agentId;

    /// <param name="now">When the message is delivered: the metrics say how long the event waited.</param>
    public static IEnumerable<(string Channel, JsonObject Data)> Messages(OutdialEvent e, DateTimeOffset now)
    {
        if (e.Data is not AgentWorkDone done) yield break;
        var notification = GenesysOperations.Acknowledgement(done.Kind);
        var echo = done.Echo ?? new Dictionary<string, string>();
        var record = new JsonObject();
        foreach (var name in GenesysOperations.Echoed)
            if (echo.TryGetValue(name, out var value))
                record[name] = name == "applicationId" && long.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : value;
        record["recordHandle"] = done.RecordSerial;
        var outbound = new JsonObject { ["record"] = record, ["notificationType"] = notification, ["messageType"] = "OutboundRecordMessage" };
        if (done.Reference is not null) outbound["referenceId"] = done.Reference;
        yield return (OutboundChannel, outbound);

        var userData = new JsonObject();
        if (echo.TryGetValue("callingList", out var list)) userData["GSW_CALLING_LIST"] = list;
        if (record["applicationId"] is { } app) userData["GSW_APPLICATION_ID"] = app.DeepClone();
        userData["GSW_RECORD_HANDLE"] = done.RecordSerial;
        userData["GSW_USER_EVENT"] = notification;
        if (done.Result is { } result) userData["GSW_CALL_RESULT"] = GenesysCallResults.CodeOf(result);
        if (echo.TryGetValue("campaignName", out var campaign)) userData["GSW_CAMPAIGN_NAME"] = campaign;
        var waited = now - e.At;
        var metrics = new JsonObject
        {
            ["eventProcessing"] = new JsonObject
            {
                ["serverGenerationTimestamp"] = e.At.ToUnixTimeMilliseconds(),
                ["nodeProcessingTimeNanos"] = waited.Ticks * 100,
                ["serverProcessingTimeTotalMs"] = (long)waited.TotalMilliseconds,
            },
        };
        var device = new JsonObject { ["metrics"] = metrics, ["userData"] = userData };
        if (echo.TryGetValue("devicePath", out var path)) device["deviceId"] = path[(path.LastIndexOf('/') + 1)..];
        device["messageType"] = "DeviceUserEventMessage";
        yield return (InternalChannel, device);
    }
}
