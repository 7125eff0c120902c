using Outdial.Engine.Agents;
using Outdial.Engine.Events;
using Outdial.Engine.Pacing;

namespace Outdial.Server.Tests.Features;

public sealed class EventsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Sse_stream_carries_only_the_callers_tenant_and_types()
    {
        var a = await _factory.ClientFor("sse-a");
        var store = _factory.Store;
        var tenantA = await store.EnsureTenantAsync("sse-a", default);
        var tenantB = await store.EnsureTenantAsync("sse-b", default);
        var bus = _factory.Services.GetRequiredService<EventBus>();

        using var response = await a.GetAsync("/api/v1/events?types=agent.state,call.progress", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, bus.SubscriberCount);

        bus.Publish(tenantB, new AgentStateChanged("other tenant", AgentState.Paused, AgentState.Ready, null, ByDialer: false));
        bus.Publish(tenantA, new PacingDecided("C", 3, PacingReason.Predictive, 0, 0));
        bus.Publish(tenantA, new AgentStateChanged("mine", AgentState.Paused, AgentState.Ready, null, ByDialer: false));

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());
        while ((await reader.ReadLineAsync())!.Length != 0) { }
        var lines = new List<string>();
        while (lines.Count < 3 || lines[^1].Length != 0)
            lines.Add(await reader.ReadLineAsync() ?? throw new EndOfStreamException());
        Assert.Equal("event: agent.state", lines[0]);
        Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"agentId\":\"mine\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("other tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_event_type_is_400()
    {
        var a = _factory.Admin();
        await HttpAssert.Problem(await a.GetAsync("/api/v1/events?types=weather"), HttpStatusCode.BadRequest, "weather");
    }
}
