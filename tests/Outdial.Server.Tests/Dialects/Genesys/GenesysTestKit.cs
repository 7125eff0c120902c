using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Events;

namespace Outdial.Server.Tests.Dialects.Genesys;

/// <summary>A server on a virtual clock, an agent and its key; Bayeux messages posted and their replies read.</summary>
public abstract class GenesysTestKit : IDisposable
{
    protected const string Notifications = "/api/v2/notifications";
    /// <summary>JSON as the document prints it ('+' not escaped), for comparing messages read back.</summary>
    protected static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // The clock is virtual; the simulated network answers every call after 5 s (for tests that dial).
    protected GenesysTestKit() => PreviewCalls.AnswerEveryCall(Factory, Time);

    protected OutdialFactory Factory { get; } = new();
    protected FakeTimeProvider Time { get; } = new(Start);
    protected long Tenant { get; private set; }

    public virtual void Dispose()
    {
        PreviewCalls.Dispose(Factory);
        GC.SuppressFinalize(this);
    }

    /// <summary>A new agent and a client holding its key.</summary>
    protected async Task<(string AgentId, HttpClient Desk)> AgentAsync(string login)
    {
        var admin = Factory.Admin();
        var agent = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login, name = login }), HttpStatusCode.Created);
        var key = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"/api/v1/agents/{agent.Id}/keys", null), HttpStatusCode.Created);
        var desk = Factory.CreateClient();
        desk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("key").GetString());
        Tenant = await Factory.Store.EnsureTenantAsync("default", CancellationToken.None);
        return (agent.Id, desk);
    }

    protected static async Task<JsonArray> Bayeux(HttpClient client, params object[] messages)
    {
        var response = await client.PostAsJsonAsync(Notifications, messages);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Handshakes and takes the first connect (answered at once): the client id.</summary>
    protected static async Task<string> HandshakeAsync(HttpClient client, params string[] channels)
    {
        var reply = (await Bayeux(client, new { channel = "/meta/handshake", version = "1.0", supportedConnectionTypes = new[] { "long-polling" }, id = "1" })).Single()!;
        Assert.True((bool)reply["successful"]!);
        var clientId = (string)reply["clientId"]!;
        Assert.True((bool)(await Bayeux(client, Connect(clientId, "2"))).Single()!["successful"]!);
        foreach (var channel in channels)
            Assert.True((bool)(await Bayeux(client, new { channel = "/meta/subscribe", clientId, subscription = channel, id = "3" })).Single()!["successful"]!);
        return clientId;
    }

    protected static object Connect(string clientId, string id, int? timeout = null) => timeout is { } t
        ? new { channel = "/meta/connect", clientId, connectionType = "long-polling", id, advice = new { timeout = t } }
        : new { channel = "/meta/connect", clientId, connectionType = "long-polling", id };

    protected void Publish(EngineEvent e) => Factory.Services.GetRequiredService<EventBus>().Publish(Tenant, e);

    /// <summary>Waits (yielding, not sleeping) until the server reached a state; fails a test that hangs.</summary>
    protected static async Task Until(Func<bool> condition)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(30), "the server never reached the awaited state");
            await Task.Yield();
        }
    }
}
