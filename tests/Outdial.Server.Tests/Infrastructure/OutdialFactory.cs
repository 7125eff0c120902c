using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Outdial.Data.Sqlite;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;

namespace Outdial.Server.Tests.Infrastructure;

/// <summary>A real server over a real SQLite file in a fresh directory per factory.</summary>
public sealed class OutdialFactory : WebApplicationFactory<Program>
{
    public const string BootstrapKey = "test-bootstrap-admin-key";

    /// <param name="dataDir">An existing data directory (a server restarted on the same files); a fresh one when null.</param>
    public OutdialFactory(string? dataDir = null) =>
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "outdial-tests", Guid.NewGuid().ToString("N"));

    public string DataDir { get; }

    /// <summary>Leaves the data directory in place at dispose (another factory restarts on it).</summary>
    public bool KeepData { get; set; }

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Also receives the server's log messages (set before the server starts).</summary>
    public ILoggerProvider? LogSink { get; set; }

    /// <summary>Replaces services before the server starts (a fake clock, a seeded telephone network).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Outdial:DataDir", DataDir);
        builder.UseSetting("OUTDIAL_BOOTSTRAP_KEY", BootstrapKey);
        builder.UseSetting("Outdial:Dialer", "false"); // tests that dial turn it on through Settings
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        if (LogSink is { } sink) builder.ConfigureServices(s => s.AddLogging(l => l.AddProvider(sink)));
        if (TestServices is { } configure) builder.ConfigureServices(configure);
        builder.UseEnvironment("Testing");
    }

    public IStore Store => Services.GetRequiredService<IStore>();

    /// <summary>An HTTP client holding the bootstrap admin key of tenant "default".</summary>
    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BootstrapKey);
        return client;
    }

    /// <summary>A client with a new key of the given tenant and role.</summary>
    public async Task<HttpClient> ClientFor(string tenant, Role role = Role.admin)
    {
        _ = Server; // make sure the host (and its migrations) started
        var store = Store;
        var tenantId = await store.EnsureTenantAsync(tenant, CancellationToken.None);
        var key = ApiKeys.Generate();
        await store.AddApiKeyAsync(tenantId, role, ApiKeys.Hash(key), ApiKeys.Prefix(key), CancellationToken.None);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (KeepData) return;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
