using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Outdial.Engine.Dialing;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Dialects.Genesys;

/// <summary>The Outbound API's record operations and their acknowledgements over CometD, on virtual time.</summary>
public sealed class GenesysRecordsTests : GenesysTestKit
{
    /// <summary>The document's request, as JSON (the page shows it in single quotes).</summary>
    private const string ExampleRequest = """
        {"operationName": "CompleteRecord", "devicePath": "/devices/42e3a1c6-fc5e-425b-9411-125f536fde00", "callingList": "CallingList1", "applicationId": 134, "campaignName": "Campaign1", "referenceId": "123456789"}
        """;

    private sealed record Held(HttpClient Desk, HttpClient Admin, string AgentId, string CampaignId, long Handle, string RecordId, CampaignRunner Runner);

    /// <summary>An agent Ready in the PREVIEW campaign "Campaign1", holding its first record in preview. Eleven records of
    /// another campaign come first, so the held record's handle is 12 as in the document.</summary>
    private async Task<Held> HoldingAsync(int records = 1, bool preview = true)
    {
        var admin = Factory.Admin();
        var (filler, _) = await Fixtures.Campaign(admin, "Filler");
        for (var i = 0; i < 11; i++) await Fixtures.Record(admin, filler, new { externalId = $"F{i}", numbers = $"+4474000002{i:D2}" });
        var (campaignId, _) = await Fixtures.Campaign(admin, "Campaign1", new { dialingMode = "PREVIEW" });
        for (var i = 0; i < records; i++) await Fixtures.Record(admin, campaignId, new { externalId = $"R{i}", numbers = $"+4474000001{i:D2}" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/campaigns/{campaignId}/status", new { status = "Active" })).StatusCode);
        var (agentId, desk) = await AgentAsync("kathy");
        var dialer = Factory.Services.GetRequiredService<DialerService>();
        await dialer.ScanAsync(CancellationToken.None);
        var runner = dialer.Runner(Tenant, campaignId)!;
        await HttpAssert.Ok<JsonElement>(await desk.PostAsJsonAsync($"/api/v1/agents/{agentId}/session", new { campaignId }), HttpStatusCode.Created);
        await PreviewCalls.Idle(runner);
        if (!preview) return new Held(desk, admin, agentId, campaignId, 0, "", runner);
        var offered = await HttpAssert.Ok<JsonElement>(await desk.PostAsync($"/api/v1/agents/{agentId}/session/preview", null));
        return new Held(desk, admin, agentId, campaignId, offered.GetProperty("handle").GetInt64(), offered.GetProperty("record").GetProperty("id").GetString()!, runner);
    }

    private static async Task<HttpResponseMessage> Operate(HttpClient client, long handle, string body) =>
        await client.PostAsync($"/api/v2/me/outbound-records/{handle}", new StringContent(body, new MediaTypeHeaderValue("application/json")));

    private static async Task<JsonElement> GenesysError(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(0, body.GetProperty("statusCode").GetInt32());
        Assert.Contains(message, body.GetProperty("statusMessage").GetString(), StringComparison.Ordinal);
        return body;
    }

    private async Task<JsonElement> ProgressAsync(Held held) =>
        (await Fixtures.Get(held.Admin, $"/api/v1/records/{held.RecordId}")).GetProperty("campaigns").EnumerateArray()
            .Single(p => p.GetProperty("campaignId").GetString() == held.CampaignId);

    [Fact]
    public async Task The_documents_example_replays_exactly()
    {
        var held = await HoldingAsync();
        Assert.Equal(12, held.Handle);
        var clientId = await HandshakeAsync(held.Desk, "/v2/me/outbound", "/me/internal");

        var response = await Operate(held.Desk, 12, ExampleRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"statusCode":0}""", await response.Content.ReadAsStringAsync());

        var messages = await Bayeux(held.Desk, Connect(clientId, "19"));
        Assert.Equal(3, messages.Count);
        Assert.Equal("""
            {"data":{"record":{"campaignName":"Campaign1","devicePath":"/devices/42e3a1c6-fc5e-425b-9411-125f536fde00","callingList":"CallingList1","applicationId":134,"recordHandle":12},"notificationType":"RecordProcessedAcknowledge","messageType":"OutboundRecordMessage","referenceId":"123456789"},"channel":"/v2/me/outbound"}
            """, messages[0]!.ToJsonString());
        var device = messages[1]!;
        Assert.Equal("/me/internal", (string)device["channel"]!);
        Assert.Equal(["metrics", "userData", "deviceId", "messageType"], device["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["serverGenerationTimestamp", "nodeProcessingTimeNanos", "serverProcessingTimeTotalMs"],
            device["data"]!["metrics"]!["eventProcessing"]!.AsObject().Select(p => p.Key));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), (long)device["data"]!["metrics"]!["eventProcessing"]!["serverGenerationTimestamp"]!);
        Assert.Equal("""
            {"GSW_CALLING_LIST":"CallingList1","GSW_APPLICATION_ID":134,"GSW_RECORD_HANDLE":12,"GSW_USER_EVENT":"RecordProcessedAcknowledge","GSW_CALL_RESULT":33,"GSW_CAMPAIGN_NAME":"Campaign1"}
            """, device["data"]!["userData"]!.ToJsonString());
        Assert.Equal("42e3a1c6-fc5e-425b-9411-125f536fde00", (string)device["data"]!["deviceId"]!);
        Assert.Equal("DeviceUserEventMessage", (string)device["data"]!["messageType"]!);
        Assert.Equal("""{"successful":true,"advice":{"interval":0,"timeout":30000,"reconnect":"retry"},"id":"19","channel":"/meta/connect"}""", messages[2]!.ToJsonString());

        // The record was completed as Answer means: SUCCESS, and the agent is free for the next one.
        Assert.Equal("SUCCESS", (await ProgressAsync(held)).GetProperty("result").GetString());
        Assert.Equal("Ready", (await Fixtures.Get(held.Desk, $"/api/v1/agents/{held.AgentId}/session")).GetProperty("state").GetString());
        await GenesysError(await Operate(held.Desk, 12, ExampleRequest), HttpStatusCode.Conflict, "holds no record with handle 12");
    }

    [Fact]
    public async Task A_connected_call_is_completed_with_the_call_result_given_by_name_or_code()
    {
        var held = await HoldingAsync(records: 2);
        Assert.Equal(HttpStatusCode.Accepted, (await held.Desk.PostAsync($"/api/v1/agents/{held.AgentId}/session/records/{held.Handle}/dial", null)).StatusCode);
        for (var i = 0; i < 6; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await PreviewCalls.Idle(held.Runner);
        }
        Assert.Equal("Talking", (await Fixtures.Get(held.Desk, $"/api/v1/agents/{held.AgentId}/session")).GetProperty("state").GetString());
        var clientId = await HandshakeAsync(held.Desk, "/v2/me/outbound", "/me/internal");
        var body = ExampleRequest.Replace("\"referenceId\": \"123456789\"", "\"referenceId\": \"r-busy\", \"callResult\": \"Busy\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Operate(held.Desk, held.Handle, body)).StatusCode);
        var messages = await Bayeux(held.Desk, Connect(clientId, "4", timeout: 0));
        Assert.Equal("r-busy", (string)messages[0]!["data"]!["referenceId"]!);
        Assert.Equal(6, (int)messages[1]!["data"]!["userData"]!["GSW_CALL_RESULT"]!);
        Assert.Equal("BUSY", (await ProgressAsync(held)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Reschedule_reject_and_do_not_call_are_acknowledged_with_their_notification_types()
    {
        var held = await HoldingAsync(records: 3);
        var clientId = await HandshakeAsync(held.Desk, "/v2/me/outbound");
        var at = Time.GetUtcNow().AddHours(2).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.OK, (await Operate(held.Desk, held.Handle,
            $$"""{"operationName":"RescheduleRecord","callbackType":"Personal","timestamp":{{at}},"applicationId":134,"campaignName":"Campaign1","devicePath":"/devices/d1","referenceId":"r1"}""")).StatusCode);
        var progress = await ProgressAsync(held);
        Assert.Equal("RECALL", progress.GetProperty("applicationState").GetString());

        var next = await HttpAssert.Ok<JsonElement>(await held.Desk.PostAsync($"/api/v1/agents/{held.AgentId}/session/preview", null));
        var second = next.GetProperty("handle").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await Operate(held.Desk, second,
            """{"operationName":"RejectRecord","applicationId":134,"campaignName":"Campaign1","devicePath":"/devices/d1","referenceId":"r2"}""")).StatusCode);

        var last = await HttpAssert.Ok<JsonElement>(await held.Desk.PostAsync($"/api/v1/agents/{held.AgentId}/session/preview", null));
        var number = last.GetProperty("number").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Operate(held.Desk, last.GetProperty("handle").GetInt64(),
            $$"""{"operationName":"DoNotCallRecord","phoneNumber":"{{number}}","chainAttribute":"AllChain","applicationId":134,"campaignName":"Campaign1","devicePath":"/devices/d1","referenceId":"r3"}""")).StatusCode);
        var dnc = await Fixtures.Get(held.Admin, $"/api/v1/dnc?number={Uri.EscapeDataString(number)}");
        Assert.Single(dnc.EnumerateArray(), e => !e.TryGetProperty("campaignId", out var c) || c.ValueKind == JsonValueKind.Null);

        var messages = await Bayeux(held.Desk, Connect(clientId, "9", timeout: 0));
        Assert.Equal([("r1", "ScheduledRecordRescheduleAcknowledge"), ("r2", "RecordRejectAcknowledge"), ("r3", "DoNotCallAcknowledge"), (null, null)],
            messages.Where(m => (string?)m!["data"]?["notificationType"] != "PreviewRecord") // the native previews are offers too
                .Select(m => ((string?)m!["data"]?["referenceId"], (string?)m!["data"]?["notificationType"])));
    }

    [Fact]
    public async Task GetPreviewRecord_offers_the_next_record_as_a_PreviewRecord_notification_then_NoRecordsAvailable()
    {
        var held = await HoldingAsync(preview: false);
        var clientId = await HandshakeAsync(held.Desk, "/v2/me/outbound", "/me/internal");
        async Task<HttpResponseMessage> Ask(string campaign, string body) =>
            await held.Desk.PostAsync($"/api/v2/me/outbound-campaigns/{campaign}", new StringContent(body, new MediaTypeHeaderValue("application/json")));
        await GenesysError(await Ask("Other", """{"operationName":"GetPreviewRecord"}"""), HttpStatusCode.NotFound, "works in campaign 'Campaign1'");
        await GenesysError(await Ask("Campaign1", """{"operationName":"CompleteRecord"}"""), HttpStatusCode.BadRequest, "unknown operationName");

        var response = await Ask("Campaign1", """{"operationName":"GetPreviewRecord","referenceId":"p1"}""");
        Assert.Equal("""{"statusCode":0}""", await response.Content.ReadAsStringAsync());
        var messages = await Bayeux(held.Desk, Connect(clientId, "4", timeout: 0));
        Assert.Equal("""
            {"record":{"campaignName":"Campaign1","callingList":"Campaign1","recordHandle":12,"phoneNumber":"+447400000100","timeZone":null,"customFields":{}},"notificationType":"PreviewRecord","messageType":"OutboundRecordMessage","referenceId":"p1"}
            """, messages[0]!["data"]!.ToJsonString(Plain));
        Assert.Equal("""{"GSW_CALLING_LIST":"Campaign1","GSW_RECORD_HANDLE":12,"GSW_PHONE":"+447400000100","GSW_USER_EVENT":"PreviewRecord","GSW_CAMPAIGN_NAME":"Campaign1"}""",
            messages[1]!["data"]!["userData"]!.ToJsonString(Plain));
        Assert.Equal("Preview", (await Fixtures.Get(held.Desk, $"/api/v1/agents/{held.AgentId}/session")).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Operate(held.Desk, 12, ExampleRequest)).StatusCode);
        Assert.Equal("OK", (await Ask("Campaign1", """{"operationName":"GetPreviewRecord","referenceId":"p2"}""")).StatusCode.ToString());
        messages = await Bayeux(held.Desk, Connect(clientId, "5", timeout: 0));
        Assert.Equal([("RecordProcessedAcknowledge", "123456789"), ("NoRecordsAvailable", "p2")],
            messages.Where(m => (string?)m!["channel"] == "/v2/me/outbound").Select(m => ((string?)m!["data"]!["notificationType"], (string?)m!["data"]!["referenceId"])));
    }

    [Theory]
    [InlineData("""{"operationName":"Whatever"}""", HttpStatusCode.BadRequest, "unknown operationName 'Whatever'")]
    [InlineData("""{"devicePath":"/devices/d"}""", HttpStatusCode.BadRequest, "'operationName' is required")]
    [InlineData("""{"operationName":"CompleteRecord","applicationId":134,"campaignName":"C","callingList":"L"}""", HttpStatusCode.BadRequest, "'devicePath' is required")]
    [InlineData("""{"operationName":"CompleteRecord","applicationId":134,"campaignName":"C","devicePath":"/d"}""", HttpStatusCode.BadRequest, "'callingList' is required")]
    [InlineData("""{"operationName":"CompleteRecord","applicationId":"x","campaignName":"C","callingList":"L","devicePath":"/d"}""", HttpStatusCode.BadRequest, "'applicationId' must be an integer")]
    [InlineData("""{"operationName":"CompleteRecord","applicationId":1,"campaignName":"C","callingList":"L","devicePath":"/d","callResult":"Unknown Call Result"}""", HttpStatusCode.BadRequest, "no Outdial counterpart")]
    [InlineData("""{"operationName":"CompleteRecord","applicationId":1,"campaignName":"C","callingList":"L","devicePath":"/d","callResult":999}""", HttpStatusCode.BadRequest, "not a Genesys call result")]
    [InlineData("""{"operationName":"RescheduleRecord","applicationId":1,"campaignName":"C","devicePath":"/d","callbackType":"Later","timestamp":4102444800}""", HttpStatusCode.BadRequest, "'callbackType' must be")]
    [InlineData("""{"operationName":"RescheduleRecord","applicationId":1,"campaignName":"C","devicePath":"/d","callbackType":"Personal","timestamp":1000}""", HttpStatusCode.BadRequest, "'timestamp' must be in the future")]
    [InlineData("""{"operationName":"RescheduleRecord","applicationId":1,"campaignName":"C","devicePath":"/d","callbackType":"Personal"}""", HttpStatusCode.BadRequest, "'timestamp' is required")]
    [InlineData("""{"operationName":"DoNotCallRecord","applicationId":1,"campaignName":"C","devicePath":"/d"}""", HttpStatusCode.BadRequest, "'phoneNumber' is required")]
    [InlineData("""{"operationName":"DoNotCallRecord","applicationId":1,"campaignName":"C","devicePath":"/d","phoneNumber":"+447400000100","chainAttribute":"Some"}""", HttpStatusCode.BadRequest, "'chainAttribute'")]
    [InlineData("""{"operationName":"RejectRecord","applicationId":1,"campaignName":"C","devicePath":"/d"}""", HttpStatusCode.Conflict, "holds no record with handle 999")]
    [InlineData("""[1]""", HttpStatusCode.BadRequest, "JSON object")]
    [InlineData("""{"operationName":"RejectRecord","operationName":"CompleteRecord"}""", HttpStatusCode.BadRequest, "malformed JSON")]
    public async Task Refusals_are_4xx_in_genesys_shape(string body, HttpStatusCode status, string message)
    {
        var held = await HoldingAsync();
        await GenesysError(await Operate(held.Desk, 999, body), status, message);
        Assert.Equal("Preview", (await Fixtures.Get(held.Desk, $"/api/v1/agents/{held.AgentId}/session")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Keys_of_no_agent_and_handles_that_are_not_integers_are_refused()
    {
        var held = await HoldingAsync();
        await GenesysError(await Operate(held.Admin, held.Handle, ExampleRequest), HttpStatusCode.Forbidden, "agent key");
        var response = await held.Desk.PostAsync("/api/v2/me/outbound-records/abc", new StringContent(ExampleRequest, new MediaTypeHeaderValue("application/json")));
        await GenesysError(response, HttpStatusCode.NotFound, "not a record handle");
    }
}
