using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Campaigns;

namespace Outdial.Server.Tests.Features;

/// <summary>
/// Re-evaluation of waiting records after a campaign or DNC change runs in the background (ReevaluationWorker), not in the
/// request; it is recorded with the change, reported by the diagnostics while pending, and resumed by a restarted server.
/// </summary>
public sealed class ReevaluationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2); // fails a hung test; no timing is asserted
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned)) d.Dispose();
    }

    /// <summary>A server on <paramref name="dataDir"/> (fresh when null) on the virtual clock, with or without the worker.</summary>
    private (OutdialFactory Factory, WebApplicationFactory<Program> App, HttpClient Client) Server(string? dataDir, bool worker, bool keepData = false)
    {
        var factory = new OutdialFactory(dataDir) { KeepData = keepData };
        factory.Settings["Outdial:Reevaluation"] = worker ? "true" : "false";
        var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_time)));
        _owned.Add(factory);
        _owned.Add(app);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", OutdialFactory.BootstrapKey);
        return (factory, app, client);
    }

    private static async Task<(string Campaign, long Tenant)> ActiveCampaignAsync(HttpClient client, WebApplicationFactory<Program> app, int retryCount = 3)
    {
        var (campaign, _) = await Fixtures.Campaign(client, "reevaluated",
            new { timeZone = "UTC", callingWindow = new { start = "00:00", end = "23:59" }, dialingMode = "PROGRESSIVE", retryCount });
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" })).StatusCode);
        return (campaign, await app.Services.GetRequiredService<IStore>().EnsureTenantAsync("default", Ct));
    }

    private static Task<IReadOnlyList<ClaimedRecord>> ClaimAsync(WebApplicationFactory<Program> app, long tenant, string campaign, DateTimeOffset now) =>
        app.Services.GetRequiredService<IStore>().ClaimCallableAsync(tenant, campaign, 10, "dialer-1", TimeSpan.FromMinutes(5), now, Ct);

    private static async Task DialAsync(WebApplicationFactory<Program> app, long tenant, ClaimedRecord c, CallResult result, DateTimeOffset now)
    {
        var store = app.Services.GetRequiredService<IStore>();
        var start = await store.StartAttemptAsync(tenant, c.Lease, TimeSpan.FromMinutes(10), now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);
        Assert.Equal(AttemptFinishStatus.Applied, (await store.FinishAttemptAsync(tenant, start.AttemptId!, new AttemptOutcome(result, 0), null, now, Ct)).Status);
    }

    private static long Due(OutdialFactory factory, long record)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT due FROM pick_queue WHERE record_id = $r";
        command.Parameters.AddWithValue("$r", record);
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<JsonElement?> PendingAsync(HttpClient client, string campaign) =>
        (await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/diagnostics")).TryGetProperty("reevaluationPending", out var p) ? p : null;

    [Fact]
    public async Task A_campaign_update_answers_before_its_reevaluation_which_diagnostics_report_and_a_restarted_server_resumes()
    {
        // No worker: as if the server died right after the update committed.
        var (factory, app, client) = Server(null, worker: false, keepData: true);
        var (campaign, tenant) = await ActiveCampaignAsync(client, app, retryCount: 0);
        await app.Services.GetRequiredService<IStore>().RunPendingReevaluationsAsync(Ct); // the status change's (nothing waits yet)
        Assert.Null(await PendingAsync(client, campaign));
        var serial = (await Fixtures.Record(client, campaign, new { externalId = "r1", numbers = "+447400000001" })).GetProperty("serial").GetInt64();
        await DialAsync(app, tenant, Assert.Single(await ClaimAsync(app, tenant, campaign, Now)), CallResult.BUSY, Now);
        Assert.Equal(long.MaxValue, Due(factory, serial)); // MAXCALLS: parked as never callable

        var patched = await HttpAssert.Ok<JsonElement>(await client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { retryCount = 3 }));
        Assert.Equal(3, patched.GetProperty("retryCount").GetInt32());
        Assert.Equal(long.MaxValue, Due(factory, serial)); // not reset inside the request
        var pending = await PendingAsync(client, campaign);
        Assert.NotNull(pending);
        Assert.Equal(Now, pending.Value.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(["RetryCount raised"], pending.Value.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        var later = Now.AddMinutes(10); // past the BUSY retry delay
        Assert.Empty(await ClaimAsync(app, tenant, campaign, later));

        // Restarted on the same files with the worker: it resumes the pending re-evaluation at start.
        var dir = factory.DataDir;
        app.Dispose();
        factory.Dispose();
        var (_, restarted, client2) = Server(dir, worker: true);
        await restarted.Services.GetRequiredService<ReevaluationWorker>().WhenIdleAsync().WaitAsync(HangGuard);
        Assert.Null(await PendingAsync(client2, campaign));
        Assert.Equal(serial, Assert.Single(await ClaimAsync(restarted, tenant, campaign, later)).Record.Number);
    }

    [Fact]
    public async Task Deleting_a_do_not_call_entry_reevaluates_in_the_background_only_the_records_with_that_number()
    {
        var (factory, app, client) = Server(null, worker: true);
        var (campaign, tenant) = await ActiveCampaignAsync(client, app);
        async Task<long> Add(string ext, string number) =>
            (await Fixtures.Record(client, campaign, new { externalId = ext, numbers = number })).GetProperty("serial").GetInt64();
        var (a, b, c) = (await Add("a", "+447400000001"), await Add("b", "+447400000002"), await Add("c", "+447400000003"));
        var tenantWide = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400000001" }), HttpStatusCode.Created);
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400000002", campaignId = campaign }), HttpStatusCode.Created);
        await DialAsync(app, tenant, Assert.Single(await ClaimAsync(app, tenant, campaign, Now)), CallResult.NOANSWER, Now); // c; a and b parked
        var retry = Due(factory, c);
        Assert.True(retry > Now.ToUnixTimeMilliseconds());
        Assert.Equal((long.MaxValue, long.MaxValue), (Due(factory, a), Due(factory, b)));

        var worker = app.Services.GetRequiredService<ReevaluationWorker>();
        await worker.WhenIdleAsync().WaitAsync(HangGuard);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/dnc/{tenantWide.GetProperty("id").GetString()}")).StatusCode);
        await worker.WhenIdleAsync().WaitAsync(HangGuard);

        Assert.Null(await PendingAsync(client, campaign));
        Assert.Equal((0L, long.MaxValue, retry), (Due(factory, a), Due(factory, b), Due(factory, c))); // only the record with that number
        Assert.Equal(a, Assert.Single(await ClaimAsync(app, tenant, campaign, Now)).Record.Number);
    }

    [Fact]
    public async Task Waiting_for_the_worker_when_it_is_switched_off_fails_at_once_instead_of_never_returning()
    {
        var (_, app, _) = Server(null, worker: false);
        var worker = app.Services.GetRequiredService<ReevaluationWorker>();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.WhenIdleAsync().WaitAsync(HangGuard));
        Assert.Contains("Outdial:Reevaluation=false", e.Message, StringComparison.Ordinal);
    }
}
