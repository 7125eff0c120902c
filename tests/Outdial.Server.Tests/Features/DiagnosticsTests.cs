using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Outdial.Server.Tests.Features;

/// <summary>A campaign blocked for each reason reports exactly that reason and count.</summary>
public sealed class DiagnosticsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly WebApplicationFactory<Program> _app;

    public DiagnosticsTests() =>
        _app = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_time)));

    public void Dispose()
    {
        _app.Dispose();
        _factory.Dispose();
    }

    private void Sql(string sql, params (string Name, object Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value);
        Assert.True(command.ExecuteNonQuery() > 0, sql);
    }

    [Fact]
    public async Task Each_blocking_reason_is_reported_with_its_count()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", OutdialFactory.BootstrapKey);
        var (c, _) = await Fixtures.Campaign(client, "diag", new { callingWindow = new { start = "08:00", end = "20:00" }, retryCount = 0, dialingMode = "PROGRESSIVE" });
        async Task<long> Add(string ext, string number, string zone = "UTC", object? more = null)
        {
            var body = new Dictionary<string, object?> { ["externalId"] = ext, ["numbers"] = number, ["timeZone"] = zone };
            if (more is not null) foreach (var p in more.GetType().GetProperties()) body[p.Name] = p.GetValue(more);
            return (await Fixtures.Record(client, c, body)).GetProperty("serial").GetInt64();
        }
        await Add("callable-1", "+447400000001");
        await Add("callable-2", "+447400000002");
        await Add("window-1", "+447400000003", "Asia/Tokyo");          // 21:00 in Tokyo: opens at 08:00 JST = 23:00 UTC
        await Add("retry-1", "+447400000004", more: new { date = Now.AddHours(3) });
        var callback = await Add("callback-1", "+447400000005");
        var caps = await Add("caps-1", "+447400000006");
        await Add("dnc-1", "+447400000007");
        var invalid = await Add("invalid-1", "+447400000008");
        await Add("locked-1", "+447400000009", more: new { locked = true });
        var leased = await Add("leased-1", "+447400000010");
        var done = await Add("done-1", "+447400000011");
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400000007" }), HttpStatusCode.Created);
        var at = Now.ToUnixTimeMilliseconds();
        Sql("UPDATE campaign_records SET app_state = 'RECALL', scheduled_at = $t WHERE record_id = $r", ("$t", at + 5 * 3600_000), ("$r", callback));
        Sql("UPDATE campaign_records SET call_count = 1, result = 'MAXCALLS', call_result = 'BUSY' WHERE record_id = $r", ("$r", caps));
        Sql("UPDATE records SET phones = json_set(phones, '$[0].invalid', json('true')) WHERE id = $r", ("$r", invalid));
        Sql("UPDATE pick_queue SET lease_owner = 'someone', due = $t WHERE record_id = $r", ("$r", leased), ("$t", at + 600_000)); // leases live in the pick queue (0005)
        Sql("UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED', result = 'SUCCESS', closed_at = $t WHERE record_id = $r", ("$r", done), ("$t", at));

        var passive = await Fixtures.Get(client, $"/api/v1/campaigns/{c}/diagnostics");
        Assert.Equal(["Passive", "NoReadyAgents"], passive.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(2, passive.GetProperty("callable").GetInt64());
        var reasons = passive.GetProperty("notCallable").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(new Dictionary<string, long>
        {
            ["OutsideCallingWindow"] = 1,
            ["WaitingForRetry"] = 1,
            ["CallbackLater"] = 1,
            ["CapsReached"] = 1,
            ["DoNotCall"] = 1,
            ["InvalidNumbersOnly"] = 1,
            ["Locked"] = 1,
            ["Leased"] = 1,
            ["Completed"] = 1,
        }, reasons);
        var forecast = passive.GetProperty("callableInNextHours").EnumerateArray().Select(f => f.GetInt64()).ToArray();
        Assert.Equal(24, forecast.Length);
        Assert.Equal(1, forecast[0]);   // the lease runs out in 10 minutes
        Assert.Equal(1, forecast[3]);   // retry at +3 h: bucket h holds [now + h, now + h + 1)
        Assert.Equal(1, forecast[5]);   // callback at +5 h
        Assert.Equal(1, forecast[11]);  // Tokyo opens at 08:00 JST = 23:00 UTC, 11 h ahead
        Assert.Equal(4, forecast.Sum());

        // Active with a ready agent: the campaign-level blockers go away.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/campaigns/{c}/status", new { status = "Active" })).StatusCode);
        var agent = await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = "a", name = "A" }), HttpStatusCode.Created);
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync($"/api/v1/agents/{agent.Id}/session", new { campaignId = c }), HttpStatusCode.Created);
        Assert.Empty((await Fixtures.Get(client, $"/api/v1/campaigns/{c}/diagnostics")).GetProperty("blockers").EnumerateArray());

        // Past its end date.
        await HttpAssert.Ok<JsonElement>(await client.PatchAsJsonAsync($"/api/v1/campaigns/{c}", new { startDate = Now.AddDays(-10), endDate = Now.AddDays(-1) }));
        Assert.Equal(["AfterEndDate"], (await Fixtures.Get(client, $"/api/v1/campaigns/{c}/diagnostics")).GetProperty("blockers").EnumerateArray().Select(b => b.GetString()));
    }
}
