using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.AgentWork;
using Outdial.Engine.Operations.DoNotCall;
using Outdial.Engine.Phones;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>
/// <c>POST /api/v2/me/outbound-records/{record_handle}</c>: CompleteRecord, RescheduleRecord, RejectRecord and
/// DoNotCallRecord on the record the key's agent holds (its call, or its preview). Answered <c>{"statusCode": 0}</c> once
/// carried out; the acknowledgement reaches the agent's CometD clients from the engine's agent.work event.
/// </summary>
internal static class GenesysRecordsApi
{
    private const string RecordOnly = "RecordOnly", AllChain = "AllChain";

    public static void MapGenesysRecords(this RouteGroupBuilder api) =>
        api.MapPost("/me/outbound-records/{recordHandle}", HandleAsync);

    private static async Task<IResult> HandleAsync(string recordHandle, HttpContext http, ClaimsPrincipal user, AgentWorkOperations work,
        DoNotCallOperations dnc, TimeProvider time, CancellationToken ct)
    {
        if (GenesysApi.AgentOf(user) is not var (tenant, agent)) return GenesysResults.AgentKeyRequired();
        if (!long.TryParse(recordHandle, NumberStyles.None, CultureInfo.InvariantCulture, out var handle))
            return GenesysResults.Error(StatusCodes.Status404NotFound, $"record_handle '{recordHandle}' is not a record handle (an integer)");
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, GenesysRequest.Strict, ct);
        }
        catch (JsonException e)
        {
            return GenesysResults.Error(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}");
        }
        var request = new GenesysRequest(body);
        var operation = request.Text("operationName", required: true);
        var kind = operation switch
        {
            "CompleteRecord" => AgentWorkKind.Completed,
            "RescheduleRecord" => AgentWorkKind.Rescheduled,
            "RejectRecord" => AgentWorkKind.Rejected,
            "DoNotCallRecord" => AgentWorkKind.DoNotCall,
            _ => (AgentWorkKind?)null,
        };
        if (request.Error is null && kind is null)
            return GenesysResults.Error(StatusCodes.Status400BadRequest, $"unknown operationName '{operation}': use CompleteRecord, RescheduleRecord, RejectRecord or DoNotCallRecord");

        var applicationId = request.Integer("applicationId", required: true);
        request.Text("campaignName", required: true);
        request.Text("callingList", required: kind == AgentWorkKind.Completed);
        request.Text("devicePath", required: true);
        var reference = request.Text("referenceId");
        var phone = request.Text("phoneNumber", required: kind == AgentWorkKind.DoNotCall);
        var result = request.CallResult();
        DateTimeOffset? callbackAt = null;
        string? callbackType = null;
        if (kind == AgentWorkKind.Rescheduled)
        {
            callbackType = request.Text("callbackType", required: true);
            if (request.Error is null && callbackType is not ("Personal" or "Campaign")) request.Fail("'callbackType' must be Personal or Campaign");
            callbackAt = request.Integer("timestamp", required: true) is { } seconds
                ? (seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : request.Fail<DateTimeOffset?>("'timestamp' must be seconds since the epoch (1970-01-01)"))
                : null;
            if (request.Error is null && callbackAt <= time.GetUtcNow()) request.Fail("'timestamp' must be in the future");
        }
        var chain = kind == AgentWorkKind.DoNotCall ? request.Text("chainAttribute") ?? RecordOnly : null;
        if (request.Error is null && chain is not (null or RecordOnly or AllChain)) request.Fail("'chainAttribute' must be AllChain or RecordOnly");
        if (request.Error is null && kind == AgentWorkKind.DoNotCall && PhoneNormalizer.Normalize(phone!, null) is { IsValid: false } bad)
            request.Fail($"'phoneNumber': {bad.Error}");
        if (request.Error is { } error) return GenesysResults.Error(StatusCodes.Status400BadRequest, error);

        var completion = new Completion(kind switch
        {
            AgentWorkKind.Rejected => CallResult.AGENT_REJECTED,
            AgentWorkKind.DoNotCall => CallResult.REFUSAL,
            _ => result ?? CallResult.SUCCESS, // the document's example completes without a callResult and reports 33, Answer
        }, CallbackAt: callbackAt, CallbackType: callbackType);
        var echo = GenesysOperations.Echoed.Where(n => body.TryGetProperty(n, out var v) && (v.ValueKind == JsonValueKind.String || n == "applicationId"))
            .ToDictionary(n => n, n => n == "applicationId" ? applicationId!.Value.ToString(CultureInfo.InvariantCulture) : body.GetProperty(n).GetString()!);
        Func<string, Task>? then = kind == AgentWorkKind.DoNotCall
            // AllChain: the number is not to be called by any campaign of the tenant; RecordOnly: not by this record's campaign.
            ? campaign => dnc.AddAsync(tenant, new DncRequest(phone, chain == AllChain ? null : campaign, Reason: "DoNotCallRecord", Source: "genesys"), ct)
            : null;
        await work.FinishHeldAsync(tenant, agent, handle, completion, kind!.Value, reference, echo, ct, then);
        return GenesysResults.Accepted();
    }
}
