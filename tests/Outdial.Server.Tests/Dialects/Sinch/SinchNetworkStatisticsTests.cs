using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>
/// A PROGRESSIVE campaign run by the dialer on the simulated network (its default mix of people, machines, busy, no answer,
/// invalid numbers) on a fake clock, an agent completing each answered call: GET /campaigns?statistics=true, /statistics and
/// customerResultStatistics equal a recount of the attempt history.
/// </summary>
public sealed class SinchNetworkStatisticsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public SinchNetworkStatisticsTests() => _factory.TestServices = s =>
    {
        s.AddSingleton<TimeProvider>(_time);
        s.AddSingleton<ITelephony>(new SimulatedNetwork(_time, new SimulatedNetworkOptions { TalkTime = Distribution.Fixed(30) }, seed: 11));
    };

    public void Dispose() => PreviewCalls.Dispose(_factory);

    [Fact]
    public async Task Statistics_after_a_run_on_the_simulated_network_equal_a_recount_of_the_history()
    {
        var (admin, url, runner) = await PreviewCalls.ReadyAsync(_factory, records: 10, dialingMode: "PROGRESSIVE");
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        var completed = 0;
        // 40 virtual minutes in 5 s steps: every record dialed at least once; the agent completes each call it is given.
        for (var step = 0; step < 480; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await PreviewCalls.Idle(runner);
            if ((await Fixtures.Get(admin, url)).GetProperty("state").GetString() != "Talking") continue;
            var result = completed++ % 2 == 0 ? "SUCCESS" : "REFUSAL";
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result, classifier = "network" })).StatusCode);
            await PreviewCalls.Idle(runner);
        }
        var records = (await Json(admin, $"/campaigns/{campaign}/customers")).EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        var attempts = await SinchRecount.AttemptsAsync(admin, records);
        Assert.Equal(10, records.Count);
        Assert.True(attempts.Count >= 10, $"{attempts.Count} attempts");
        Assert.True(completed > 0, "no call reached the agent");
        Assert.True(attempts.Select(a => a.Result).Distinct().Count() >= 3, string.Join(", ", attempts.Select(a => a.Result)));

        var listed = Assert.Single((await Json(admin, "/campaigns?statistics=true")).EnumerateArray());
        Assert.Equal(10, listed.GetProperty("total").GetInt64());
        foreach (var part in new[] { "total", "daily" })
            SinchRecount.AssertCounters(listed.GetProperty("stats").GetProperty(part), attempts);

        var day = $"{_time.GetUtcNow():yyyy-MM-dd}T00:00:00.000Z";
        var rows = (await Json(admin, $"/statistics?startDate={day}&endDate={day}&campaignId={campaign}")).EnumerateArray().ToList();
        Assert.Equal(attempts.Select(a => a.Agent).Distinct().Count(), rows.Count);
        foreach (var row in rows)
        {
            var agent = row.GetProperty("agentId");
            SinchRecount.AssertCounters(row, attempts.Where(a => a.Agent == (agent.ValueKind == JsonValueKind.Null ? null : agent.GetString())).ToList());
        }

        var customers = (await Json(admin, $"/campaigns/{campaign}/customers")).EnumerateArray()
            .Where(c => c.TryGetProperty("result", out _))
            .GroupBy(c => (c.GetProperty("result").GetString(), Text(c, "callResult"), Text(c, "classifier")))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var statistics = (await Json(admin, $"/campaigns/{campaign}/customerResultStatistics")).EnumerateArray()
            .ToDictionary(s => (s.GetProperty("result").GetString(), Text(s, "callResult"), Text(s, "classifier")), s => s.GetProperty("count").GetInt64());
        Assert.Equal(customers, statistics);
        Assert.Equal(completed, statistics.Where(s => s.Key.Item3 == "network").Sum(s => s.Value));
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
