using System.Diagnostics;
using System.Net.Http.Headers;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Dialects.Genesys;

/// <summary>A fact that runs only where <c>node</c> is installed (.ci/run installs it with npm and the client's packages).</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (GenesysNodeClientTests.Node() is null) Skip = "node is not installed: `.ci/run` installs nodejs and npm (apt-get) and runs `npm ci` in tests/genesys-cometd-client";
    }
}

/// <summary>The real CometD client (npm cometd 9.0.0 + cometd-nodejs-client 2.0.0, long-polling) against a real Kestrel
/// server on the real clock: handshake, subscribe, preview, complete, reschedule, reject, each outcome heard over CometD.</summary>
public sealed class GenesysNodeClientTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => PreviewCalls.Dispose(_factory);

    internal static string? Node() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);

    private static string ClientFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "genesys-cometd-client"))) return Path.Combine(dir.FullName, "tests", "genesys-cometd-client");
        throw new DirectoryNotFoundException("tests/genesys-cometd-client");
    }

    // The server runs on the real clock here: a window closed only for one minute an hour ago is open for the whole test.
    private static object AllDayButAnHourAgo()
    {
        var closes = DateTime.UtcNow.AddHours(-1);
        return new { start = closes.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), end = closes.AddMinutes(-1).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>The README's test command alone runs this test too: the pinned client is installed from its lock file
    /// when it is missing and npm is there (.ci/run installs it beforehand).</summary>
    private static async Task InstallClientAsync(string folder)
    {
        if (Directory.Exists(Path.Combine(folder, "node_modules", "cometd"))) return;
        var npm = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "npm")).FirstOrDefault(File.Exists);
        if (npm is null) return;
        using var install = Process.Start(new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = folder })!;
        await install.WaitForExitAsync();
    }

    [NodeFact]
    public async Task The_cometd_npm_client_hears_every_outcome_over_long_polling()
    {
        var folder = ClientFolder();
        await InstallClientAsync(folder);
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "cometd")), $"run `npm ci` in {folder} first (.ci/run does)");
        _factory.UseKestrel(0);
        _factory.StartServer();
        var admin = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(admin, "Node Campaign",
            new { dialingMode = "PREVIEW", timeZone = "UTC", callingWindow = AllDayButAnHourAgo() });
        for (var i = 0; i < 3; i++) await Fixtures.Record(admin, campaignId, new { externalId = $"N{i}", numbers = $"+4474000003{i:D2}" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/campaigns/{campaignId}/status", new { status = "Active" })).StatusCode);
        var agent = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "node", name = "Node" }), HttpStatusCode.Created);
        var key = (await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"/api/v1/agents/{agent.Id}/keys", null), HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var dialer = _factory.Services.GetRequiredService<DialerService>();
        await dialer.ScanAsync(CancellationToken.None);
        await HttpAssert.Ok<JsonElement>(await admin.PostAsJsonAsync($"/api/v1/agents/{agent.Id}/session", new { campaignId }), HttpStatusCode.Created);
        var tenant = await _factory.Store.EnsureTenantAsync("default", CancellationToken.None);
        await PreviewCalls.Idle(dialer.Runner(tenant, campaignId)!);

        var start = new ProcessStartInfo(Node()!, ["client.mjs", admin.BaseAddress!.ToString().TrimEnd('/'), key, "Node Campaign"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(node.ExitCode == 0, $"node client failed: {await errors}{await output}");

        var result = JsonDocument.Parse(await output).RootElement;
        Assert.Equal("long-polling", result.GetProperty("transport").GetString());
        var seen = result.GetProperty("notifications").EnumerateArray().Select(n => (n[0].GetString(), n[1].GetString())).ToList();
        Assert.Equal([("p1", "PreviewRecord"), ("c1", "RecordProcessedAcknowledge"), ("p2", "PreviewRecord"), ("r2", "ScheduledRecordRescheduleAcknowledge"),
            ("p3", "PreviewRecord"), ("j3", "RecordRejectAcknowledge")], seen);
        var handles = result.GetProperty("notifications").EnumerateArray().Select(n => n[2].GetInt64()).ToList();
        Assert.Equal(3, handles.Distinct().Count()); // three records, each acknowledged once under its own handle
    }
}
