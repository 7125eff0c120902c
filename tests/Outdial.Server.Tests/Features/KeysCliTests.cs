using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Server.Auth;
using Outdial.Server.Cli;

namespace Outdial.Server.Tests.Features;

public sealed class KeysCliTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>Runs the CLI and returns its exit code and what it printed.</summary>
    private static async Task<(int Code, string Output)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var (original, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            return (await OutdialCli.RunAsync(args), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }

    [Fact]
    public async Task Keys_create_prints_a_working_key_of_a_new_tenant()
    {
        _ = _factory.Server; // migrate the store the CLI writes to
        var (code, output) = await Cli("keys", "create", "--tenant", "acme", "--role", "integration", "--data-dir", _factory.DataDir);
        Assert.Equal(0, code);
        var key = output.Trim();
        Assert.StartsWith("od_", key, StringComparison.Ordinal);

        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/campaigns")).Content.ReadAsStringAsync());
        // integration may write records but not manage keys' tenant data of others; it may create campaigns
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/queues", new StringContent("{\"name\":\"Q\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task Keys_list_shows_prefixes_and_revoke_ends_a_key()
    {
        _ = _factory.Server;
        var dir = _factory.DataDir;
        var first = (await Cli("keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", dir)).Output.Trim();
        var second = (await Cli("keys", "create", "--tenant", "acme", "--role", "supervisor", "--data-dir", dir)).Output.Trim();

        var (code, list) = await Cli("keys", "list", "--tenant", "acme", "--data-dir", dir);
        Assert.Equal(0, code);
        Assert.Contains(first[..10], list, StringComparison.Ordinal);
        Assert.Contains("supervisor", list, StringComparison.Ordinal);
        Assert.DoesNotContain(first, list, StringComparison.Ordinal); // prefixes only

        Assert.Equal(2, (await Cli("keys", "revoke", "od_", "--data-dir", dir)).Code); // too short to name one key
        Assert.Equal(2, (await Cli("keys", "revoke", "od_nosuchkey", "--data-dir", dir)).Code);
        Assert.Equal(0, (await Cli("keys", "revoke", first, "--data-dir", dir)).Code);

        // A server started afterwards (a fresh key cache) refuses the revoked key and takes the other.
        using var restarted = new OutdialFactory(dir) { KeepData = true };
        HttpClient With(string key)
        {
            var client = restarted.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(first).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await With(second).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.DoesNotContain(first[..10], (await Cli("keys", "list", "--data-dir", dir)).Output, StringComparison.Ordinal);
    }

    /// <summary>Keys changed by another process (the CLI, a second server on the same store) reach the running server's
    /// key cache within its revision check (1 s), not after the cache's 30 s.</summary>
    [Fact]
    public async Task A_running_server_sees_keys_revoked_or_created_elsewhere_within_a_second()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        using var factory = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(time)));
        _ = factory.Server;
        var dir = _factory.DataDir;
        HttpClient With(string key)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }
        var revoked = (await Cli("keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", dir)).Output.Trim();
        var kept = (await Cli("keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", dir)).Output.Trim();
        var later = ApiKeys.Generate(); // created below by "another process"
        Assert.Equal(HttpStatusCode.OK, (await With(revoked).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await With(kept).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(later).GetAsync("/api/v1/campaigns")).StatusCode);

        Assert.Equal(0, (await Cli("keys", "revoke", revoked, "--data-dir", dir)).Code);
        await using (var other = new SqliteStore(Path.Combine(dir, "outdial.db"), TimeProvider.System))
        {
            var tenant = await other.EnsureTenantAsync("acme", CancellationToken.None);
            await other.AddApiKeyAsync(tenant, Role.supervisor, ApiKeys.Hash(later), ApiKeys.Prefix(later), CancellationToken.None);
        }
        // Within the second the cache still answers from its entries (it does not read the store per request) ...
        Assert.Equal(HttpStatusCode.OK, (await With(revoked).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(later).GetAsync("/api/v1/campaigns")).StatusCode);

        time.Advance(ApiKeyCache.RevisionCheck);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(revoked).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await With(kept).GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await With(later).GetAsync("/api/v1/campaigns")).StatusCode);
    }
}
