using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Outdial.Engine.Events;
using Outdial.Server.Dialects.Genesys.CometD;

namespace Outdial.Server.Tests.Dialects.Genesys;

/// <summary>The Bayeux 1.0 long-polling server at /api/v2/notifications and its edge cases, on virtual time.</summary>
public sealed class CometDTests : GenesysTestKit
{
    private CometDSessions Sessions => Factory.Services.GetRequiredService<CometDSessions>();

    private static AgentWorkDone Done(string agentId, long handle, string? reference = null) =>
        new(agentId, "C1", handle, AgentWorkKind.Completed, CallResult.SUCCESS, reference);

    [Fact]
    public async Task Handshake_gives_a_client_id_and_advice_and_the_first_connect_answers_at_once()
    {
        var (_, desk) = await AgentAsync("kathy");
        var reply = (await Bayeux(desk, new { channel = "/meta/handshake", version = "1.0", supportedConnectionTypes = new[] { "long-polling" }, id = "1" })).Single()!;
        Assert.Equal("/meta/handshake", (string)reply["channel"]!);
        Assert.Equal("1", (string)reply["id"]!);
        Assert.Equal("1.0", (string)reply["version"]!);
        Assert.Equal("long-polling", (string)reply["supportedConnectionTypes"]![0]!);
        Assert.Equal("""{"interval":0,"timeout":30000,"reconnect":"retry"}""", reply["advice"]!.ToJsonString());
        var clientId = (string)reply["clientId"]!;
        Assert.Matches("^[0-9a-f]{32}$", clientId);

        var connect = (await Bayeux(desk, Connect(clientId, "2"))).Single()!;
        Assert.Equal("""{"successful":true,"advice":{"interval":0,"timeout":30000,"reconnect":"retry"},"id":"2","channel":"/meta/connect"}""", connect.ToJsonString());
    }

    [Fact]
    public async Task A_held_connect_delivers_the_agents_messages_on_the_channels_it_subscribed()
    {
        var (agentId, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk, "/v2/me/outbound");
        var held = Bayeux(desk, Connect(clientId, "4"));
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        Publish(Done(agentId, 12, "ref-1"));
        var replies = await held;
        Assert.Equal(2, replies.Count); // /me/internal is not subscribed: only the acknowledgement, then the connect's reply
        Assert.Equal("/v2/me/outbound", (string)replies[0]!["channel"]!);
        Assert.Equal("ref-1", (string)replies[0]!["data"]!["referenceId"]!);
        Assert.Equal("/meta/connect", (string)replies[1]!["channel"]!);

        // Both channels by a wildcard and a second subscription: the two messages of one event, batched in one answer.
        Assert.True((bool)(await Bayeux(desk, new { channel = "/meta/subscribe", clientId, subscription = new[] { "/me/*" }, id = "5" })).Single()!["successful"]!);
        Publish(Done(agentId, 13, "ref-2"));
        var batch = await Bayeux(desk, Connect(clientId, "6"));
        Assert.Equal(["/v2/me/outbound", "/me/internal", "/meta/connect"], batch.Select(m => (string)m!["channel"]!));

        // Unsubscribed: nothing more on that channel.
        Assert.True((bool)(await Bayeux(desk, new { channel = "/meta/unsubscribe", clientId, subscription = "/me/*", id = "7" })).Single()!["successful"]!);
        Publish(Done(agentId, 14));
        Assert.Equal(["/v2/me/outbound", "/meta/connect"], (await Bayeux(desk, Connect(clientId, "8"))).Select(m => (string)m!["channel"]!));
    }

    [Fact]
    public async Task A_connect_with_nothing_to_deliver_answers_empty_when_its_timeout_passes()
    {
        var (agentId, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk, "/v2/me/outbound");
        var held = Bayeux(desk, Connect(clientId, "4"));
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(held.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));
        var reply = (await held).Single()!;
        Assert.Equal("/meta/connect", (string)reply["channel"]!);
        Assert.True((bool)reply["successful"]!);
        Assert.Equal("retry", (string)reply["advice"]!["reconnect"]!);
    }

    [Fact]
    public async Task An_unknown_client_id_is_told_to_handshake_again()
    {
        var (_, desk) = await AgentAsync("kathy");
        foreach (var channel in new[] { "/meta/connect", "/meta/subscribe", "/meta/unsubscribe", "/meta/disconnect" })
        {
            var reply = (await Bayeux(desk, new { channel, clientId = "nope", subscription = "/v2/me/outbound", id = "9" })).Single()!;
            Assert.Equal("""{"successful":false,"advice":{"reconnect":"handshake","interval":0},"id":"9","channel":"CH","error":"402::Unknown client"}""".Replace("CH", channel, StringComparison.Ordinal),
                reply.ToJsonString());
        }
    }

    [Fact]
    public async Task Subscribe_before_handshake_is_refused()
    {
        var (_, desk) = await AgentAsync("kathy");
        var reply = (await Bayeux(desk, new { channel = "/meta/subscribe", subscription = "/v2/me/outbound", id = "1" })).Single()!;
        Assert.False((bool)reply["successful"]!);
        Assert.Equal("402::Unknown client", (string)reply["error"]!);
        Assert.Equal("handshake", (string)reply["advice"]!["reconnect"]!);
    }

    [Fact]
    public async Task A_client_that_stops_connecting_loses_its_session_after_the_max_interval_but_not_while_a_connect_is_held()
    {
        var (agentId, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk, "/v2/me/outbound");

        // Held for the whole timeout (longer than the max interval): still there afterwards.
        var held = Bayeux(desk, Connect(clientId, "4"));
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((bool)(await held).Single()!["successful"]!);

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(Sessions.Find(clientId, Tenant, agentId));
        var count = Sessions.Count;
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Sessions.Find(clientId, Tenant, agentId));
        Assert.Equal(count - 1, Sessions.Count);
        Assert.Equal("402::Unknown client", (string)(await Bayeux(desk, Connect(clientId, "5"))).Single()!["error"]!);
        Assert.Equal(0, Factory.Services.GetRequiredService<EventBus>().SubscriberCount); // its queue went with it
    }

    [Fact]
    public async Task A_client_sees_only_its_own_agents_messages_and_cannot_use_another_agents_client_id()
    {
        var (kathy, kathyDesk) = await AgentAsync("kathy");
        var (omar, omarDesk) = await AgentAsync("omar");
        var kathyClient = await HandshakeAsync(kathyDesk, "/**");
        await HandshakeAsync(omarDesk, "/**");
        Publish(Done(omar, 20, "omar's"));
        Publish(Done(kathy, 21, "kathy's"));
        var got = await Bayeux(kathyDesk, Connect(kathyClient, "4", timeout: 0));
        Assert.Equal(["kathy's", null, null], got.Select(m => (string?)m!["data"]?["referenceId"]));
        Assert.Equal("402::Unknown client", (string)(await Bayeux(omarDesk, Connect(kathyClient, "5", timeout: 0))).Single()!["error"]!);
    }

    [Fact]
    public async Task Keys_bound_to_no_agent_are_refused_in_genesys_shape()
    {
        var admin = Factory.Admin();
        var response = await admin.PostAsJsonAsync(Notifications, new[] { new { channel = "/meta/handshake" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("statusCode").GetInt32());
        Assert.Contains("agent key", body.GetProperty("statusMessage").GetString(), StringComparison.Ordinal);

        var anonymous = Factory.CreateClient();
        var unauthenticated = await anonymous.PostAsJsonAsync(Notifications, new[] { new { channel = "/meta/handshake" } });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.NotEqual(0, (await unauthenticated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Disconnect_ends_the_session_and_answers_its_held_connect()
    {
        var (agentId, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk, "/v2/me/outbound");
        var held = Bayeux(desk, Connect(clientId, "4"));
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        var bye = (await Bayeux(desk, new { channel = "/meta/disconnect", clientId, id = "5" })).Single()!;
        Assert.True((bool)bye["successful"]!);
        Assert.Equal("none", (string)(await held).Single()!["advice"]!["reconnect"]!);
        Assert.Equal("402::Unknown client", (string)(await Bayeux(desk, Connect(clientId, "6"))).Single()!["error"]!);
    }

    [Fact]
    public async Task A_newer_connect_answers_the_older_held_one()
    {
        var (agentId, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk, "/v2/me/outbound");
        var first = Bayeux(desk, Connect(clientId, "4"));
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        var second = Bayeux(desk, Connect(clientId, "5"));
        Assert.Equal("4", (string)(await first).Single()!["id"]!);
        await Until(() => Sessions.Find(clientId, Tenant, agentId)!.Holding);
        Publish(Done(agentId, 30));
        Assert.Equal(["/v2/me/outbound", "/meta/connect"], (await second).Select(m => (string)m!["channel"]!));
    }

    [Theory]
    [InlineData("""[{"channel":"/v2/me/outbound","clientId":"CID","data":{},"id":"1"}]""", "403::Publish denied")]
    [InlineData("""[{"channel":"/meta/subscribe","clientId":"CID","subscription":"/meta/connect","id":"1"}]""", "400::subscription")]
    [InlineData("""[{"channel":"/meta/subscribe","clientId":"CID","subscription":"/a/**/b","id":"1"}]""", "400::subscription")]
    [InlineData("""[{"channel":"/meta/subscribe","clientId":"CID","id":"1"}]""", "400::subscription")]
    [InlineData("""[{"channel":"/meta/whatever","clientId":"CID","id":"1"}]""", "400::unknown meta channel")]
    [InlineData("""[{"clientId":"CID","id":"1"}]""", "400::channel")]
    [InlineData("""[17]""", "400::each message")]
    [InlineData("""[{"channel":"/meta/handshake","supportedConnectionTypes":["websocket"]}]""", "400::no supported connection type")]
    public async Task Malformed_messages_get_an_unsuccessful_reply(string body, string error)
    {
        var (_, desk) = await AgentAsync("kathy");
        var clientId = await HandshakeAsync(desk);
        var response = await desk.PostAsync(Notifications, new StringContent(body.Replace("CID", clientId, StringComparison.Ordinal), new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Single()!;
        Assert.False((bool)reply["successful"]!);
        Assert.StartsWith(error, (string)reply["error"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("""[{"channel":"/meta/handshake","channel":"/meta/connect"}]""")]
    public async Task A_body_that_is_not_bayeux_is_a_400_in_genesys_shape(string body)
    {
        var (_, desk) = await AgentAsync("kathy");
        var response = await desk.PostAsync(Notifications, new StringContent(body, new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Clients_that_append_the_message_type_to_the_url_are_served()
    {
        var (_, desk) = await AgentAsync("kathy");
        var response = await desk.PostAsJsonAsync($"{Notifications}/handshake", new[] { new { channel = "/meta/handshake", version = "1.0", id = "1" } });
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Single()!;
        Assert.True((bool)reply["successful"]!);
    }
}
