using System.Net.Http.Headers;
using Outdial.Server.Auth;
using Outdial.Server.Cli;

namespace Outdial.Server.Tests.Features;

/// <summary>An agent key acts for its own agent only; supervisors and admins act for any agent.</summary>
public sealed class AgentKeysTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private HttpClient With(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task An_agent_key_acts_for_its_agent_and_no_other()
    {
        var admin = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(admin);
        var kathy = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var omar = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "omar", name = "Omar" }), HttpStatusCode.Created);

        var created = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"/api/v1/agents/{kathy.Id}/keys", null), HttpStatusCode.Created);
        Assert.Equal(kathy.Id, created.GetProperty("agentId").GetString());
        var desk = With(created.GetProperty("key").GetString()!);

        // Her own session, also addressed in lower case and as id36.
        await HttpAssert.Ok<JsonElement>(await desk.PostAsJsonAsync($"/api/v1/agents/{kathy.Id.ToLowerInvariant()}/session", new { campaignId }), HttpStatusCode.Created);
        await HttpAssert.Ok<JsonElement>(await desk.PutAsJsonAsync($"/api/v1/agents/{Guid.ParseExact(kathy.Id, "N"):D}/session/state", new { state = "Paused" }));
        Assert.NotEqual(HttpStatusCode.Forbidden, (await desk.PostAsync($"/api/v1/agents/{kathy.Id}/session/preview", null)).StatusCode);

        // Someone else's: forbidden, and nothing changed.
        await HttpAssert.Problem(await desk.PostAsJsonAsync($"/api/v1/agents/{omar.Id}/session", new { campaignId }), HttpStatusCode.Forbidden, kathy.Id);
        await HttpAssert.Problem(await desk.PostAsync($"/api/v1/agents/{omar.Id}/session/preview", null), HttpStatusCode.Forbidden, kathy.Id);
        await HttpAssert.Problem(await admin.GetAsync($"/api/v1/agents/{omar.Id}/session"), HttpStatusCode.NotFound);
        // Still an agent role: no catalog writes, no minting keys.
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostAsJsonAsync("/api/v1/queues", new { name = "Q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostAsync($"/api/v1/agents/{kathy.Id}/keys", null)).StatusCode);
        // A supervisor acts for any agent.
        var supervisor = await _factory.ClientFor("default", Role.supervisor);
        await HttpAssert.Ok<JsonElement>(await supervisor.PostAsJsonAsync($"/api/v1/agents/{omar.Id}/session", new { campaignId }), HttpStatusCode.Created);
    }

    /// <summary>The work routes address the runner by the normalized id, whatever form the route used.</summary>
    [Fact]
    public async Task An_agent_works_through_the_api_with_its_id_in_lower_case_or_id36()
    {
        // Virtual noon: the records are inside their calling window whatever the wall clock says.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        using var factory = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(time)));
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OutdialFactory.BootstrapKey);
        var (campaignId, _) = await Fixtures.Campaign(admin, extra: new { dialingMode = "PREVIEW" });
        for (var i = 0; i < 3; i++) await Fixtures.Record(admin, campaignId, new { externalId = $"R{i}", numbers = $"+44740000010{i}" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/campaigns/{campaignId}/status", new { status = "Active" })).StatusCode);
        var kathy = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var key = (await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"/api/v1/agents/{kathy.Id}/keys", null), HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var desk = factory.CreateClient();
        desk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var dialer = factory.Services.GetRequiredService<Outdial.Server.Features.Dialing.DialerService>();
        await dialer.ScanAsync(CancellationToken.None); // starts the campaign's runner now (the hosted scan is off in tests)
        try
        {
            var lower = $"/api/v1/agents/{kathy.Id.ToLowerInvariant()}/session";
            var id36 = $"/api/v1/agents/{Guid.ParseExact(kathy.Id, "N"):D}/session";
            await HttpAssert.Ok<JsonElement>(await desk.PostAsJsonAsync(lower, new { campaignId }), HttpStatusCode.Created);
            for (var i = 0; i < 3; i++)
            {
                var url = i % 2 == 0 ? lower : id36;
                var preview = await HttpAssert.Ok<JsonElement>(await desk.PostAsync($"{url}/preview", null));
                var handle = preview.GetProperty("handle").GetInt64();
                var action = i == 2 ? "reject" : "skip";
                Assert.Equal(HttpStatusCode.NoContent, (await desk.PostAsync($"{url}/records/{handle}/{action}", null)).StatusCode);
            }
            var stats = await Fixtures.Get(admin, $"/api/v1/campaigns/{campaignId}/statistics");
            Assert.Equal(2, stats.GetProperty("total").GetProperty("numberOfSkipCalls").GetInt64());
            Assert.Equal(1, stats.GetProperty("total").GetProperty("numberOfRejectCalls").GetInt64());
        }
        finally
        {
            await dialer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deleting_an_agent_ends_its_keys_at_once()
    {
        var admin = _factory.Admin();
        var kathy = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var desk = With((await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"/api/v1/agents/{kathy.Id}/keys", null), HttpStatusCode.Created)).GetProperty("key").GetString()!);
        await HttpAssert.Ok<JsonElement>(await desk.GetAsync($"/api/v1/agents/{kathy.Id}")); // the grant is now cached

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/agents/{kathy.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("/api/v1/campaigns")).StatusCode);
    }

    [Fact]
    public async Task An_agent_key_bound_to_no_agent_is_refused_on_agent_routes()
    {
        var admin = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(admin);
        var kathy = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var unbound = await _factory.ClientFor("default", Role.agent);
        await HttpAssert.Problem(await unbound.PostAsJsonAsync($"/api/v1/agents/{kathy.Id}/session", new { campaignId }), HttpStatusCode.Forbidden, "bound to no agent");
    }

    [Fact]
    public async Task Keys_for_unknown_or_foreign_agents_are_404_and_deleting_an_agent_revokes_its_keys()
    {
        var admin = _factory.Admin();
        var other = await _factory.ClientFor("other");
        var foreign = await HttpAssert.Ok<Agent>(await other.PostAsJsonAsync("/api/v1/agents", new { login = "x", name = "X" }), HttpStatusCode.Created);
        await HttpAssert.Problem(await admin.PostAsync($"/api/v1/agents/{foreign.Id}/keys", null), HttpStatusCode.NotFound);
        await HttpAssert.Problem(await admin.PostAsync($"/api/v1/agents/{Id32.New()}/keys", null), HttpStatusCode.NotFound);

        var created = await HttpAssert.Ok<JsonElement>(await other.PostAsync($"/api/v1/agents/{foreign.Id}/keys", null), HttpStatusCode.Created);
        var hash = ApiKeys.Hash(created.GetProperty("key").GetString()!);
        Assert.Equal(foreign.Id, (await _factory.Store.FindApiKeyAsync(hash, CancellationToken.None))!.AgentId);
        Assert.Equal(HttpStatusCode.NoContent, (await other.DeleteAsync($"/api/v1/agents/{foreign.Id}")).StatusCode);
        Assert.Null(await _factory.Store.FindApiKeyAsync(hash, CancellationToken.None));
    }

    [Fact]
    public async Task Cli_creates_agent_keys_only_for_an_existing_agent()
    {
        var admin = _factory.Admin();
        var kathy = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var (code, output) = await Cli("keys", "create", "--tenant", "default", "--role", "agent", "--agent", kathy.Id, "--data-dir", _factory.DataDir);
        Assert.Equal(0, code);
        Assert.Equal(kathy.Id, (await _factory.Store.FindApiKeyAsync(ApiKeys.Hash(output.Trim()), CancellationToken.None))!.AgentId);

        Assert.Equal(2, (await Cli("keys", "create", "--tenant", "default", "--role", "agent", "--data-dir", _factory.DataDir)).Code);
        Assert.Equal(2, (await Cli("keys", "create", "--tenant", "default", "--role", "agent", "--agent", Id32.New(), "--data-dir", _factory.DataDir)).Code);
        Assert.Equal(2, (await Cli("keys", "create", "--tenant", "default", "--role", "admin", "--agent", kathy.Id, "--data-dir", _factory.DataDir)).Code);
    }

    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    private static async Task<(int Code, string Output)> Cli(params string[] args)
    {
        await ConsoleLock.WaitAsync();
        var output = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(TextWriter.Null);
        try
        {
            return (await OutdialCli.RunAsync(args), output.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            ConsoleLock.Release();
        }
    }
}
