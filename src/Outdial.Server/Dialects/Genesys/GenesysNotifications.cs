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

    public static readonly IReadOnlySet<string> EventTypes = new HashSet<string>(StringComparer.Ordinal) { Engine.Events.EventTypes.AgentWork, Engine.Events.EventTypes.RecordOffered };

    /// <summary>Keeps one agent's events: a client sees only its own agent's messages.</summary>
    public static Func<EngineEvent, bool> Of(string agentId) => e => e is AgentWorkDone { AgentId: var a } && a == agentId
        || e is RecordOffered { AgentId: var o } && o == agentId;

    /// <param name="now">When the message is delivered: the metrics say how long the event waited.</param>
    public static IEnumerable<(string Channel, JsonObject Data)> Messages(OutdialEvent e, DateTimeOffset now) => e.Data switch
    {
        AgentWorkDone done => Acknowledged(e, done, now),
        RecordOffered offered => Offered(e, offered, now),
        _ => [],
    };

    private static IEnumerable<(string Channel, JsonObject Data)> Acknowledged(OutdialEvent e, AgentWorkDone done, DateTimeOffset now)
    {
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
        yield return (InternalChannel, Device(e, now, userData, echo.TryGetValue("devicePath", out var path) ? path[(path.LastIndexOf('/') + 1)..] : null));
    }

    /// <summary>PreviewRecord with the record (its custom fields among the GSW_* user data), or NoRecordsAvailable.</summary>
    private static IEnumerable<(string Channel, JsonObject Data)> Offered(OutdialEvent e, RecordOffered offered, DateTimeOffset now)
    {
        var notification = offered.Offered is null ? "NoRecordsAvailable" : "PreviewRecord";
        var userData = new JsonObject();
        var outbound = new JsonObject();
        if (offered.Offered is { } held)
        {
            var handle = held.Lease.RecordSerial;
            var phone = held.Record.Phones.ElementAtOrDefault(held.PhoneIndex)?.E164;
            var custom = new JsonObject();
            foreach (var attribute in held.Record.Attributes) custom[attribute.Name] = attribute.Value;
            outbound["record"] = new JsonObject
            {
                ["campaignName"] = offered.CampaignName,
                ["callingList"] = offered.ListName,
                ["recordHandle"] = handle,
                ["phoneNumber"] = phone,
                ["timeZone"] = held.Record.TimeZone,
                ["customFields"] = custom,
            };
            userData["GSW_CALLING_LIST"] = offered.ListName;
            userData["GSW_RECORD_HANDLE"] = handle;
            userData["GSW_PHONE"] = phone;
            if (held.Record.TimeZone is { } zone) userData["GSW_TZ_NAME"] = zone;
            foreach (var attribute in held.Record.Attributes)
                if (!attribute.Name.StartsWith("GSW_", StringComparison.Ordinal)) userData[attribute.Name] = attribute.Value;
        }
        outbound["notificationType"] = notification;
        outbound["messageType"] = "OutboundRecordMessage";
        if (offered.Reference is not null) outbound["referenceId"] = offered.Reference;
        yield return (OutboundChannel, outbound);
        userData["GSW_USER_EVENT"] = notification;
        userData["GSW_CAMPAIGN_NAME"] = offered.CampaignName;
        yield return (InternalChannel, Device(e, now, userData, deviceId: null));
    }

    private static JsonObject Device(OutdialEvent e, DateTimeOffset now, JsonObject userData, string? deviceId)
    {
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
        if (deviceId is not null) device["deviceId"] = deviceId;
        device["messageType"] = "DeviceUserEventMessage";
        return device;
    }
}
