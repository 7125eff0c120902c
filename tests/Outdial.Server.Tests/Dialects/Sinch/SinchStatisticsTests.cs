using System.Xml.Linq;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>
/// Campaign stats, /statistics and customerResultStatistics after calls made through the store's dial path (claim, start,
/// finish), each checked against a recount of the attempt history read through the native API.
/// </summary>
public sealed class SinchStatisticsTests : VirtualClockServer
{
    private string _campaign = "", _a = "", _b = "";
    private readonly Dictionary<string, string> _records = [];

    private async Task Run()
    {
        var (campaign, tenant) = await ActiveCampaignAsync("obi-stats", retryCount: 3);
        _campaign = campaign;
        _a = (await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login = "a", name = "Agent A" }), HttpStatusCode.Created)).Id;
        _b = (await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login = "b", name = "Agent B" }), HttpStatusCode.Created)).Id;
        for (var i = 1; i <= 4; i++)
            _records[$"r{i}"] = (await Fixtures.Record(Client, campaign, new { externalId = $"r{i}", numbers = $"+44740000000{i}" })).GetProperty("id").GetString()!;
        await DialAsync(tenant, campaign, "r1", CallResult.NOANSWER);
        await DialAsync(tenant, campaign, "r2", CallResult.AGENT_REJECTED, _b);
        await DialAsync(tenant, campaign, "r3", CallResult.BUSY);
        Time.Advance(TimeSpan.FromHours(2));
        await DialAsync(tenant, campaign, "r1", CallResult.SUCCESS, _a);
        await DialAsync(tenant, campaign, "r2", CallResult.REFUSAL, _a);
    }

    /// <summary>Every attempt of the campaign's customers, from the native history.</summary>
    private Task<List<(string Result, string? Agent)>> Attempts() => SinchRecount.AttemptsAsync(Client, _records.Values);

    private static void AssertCounters(JsonElement counters, List<(string Result, string? Agent)> attempts) => SinchRecount.AssertCounters(counters, attempts);

    [Fact]
    public async Task Campaign_stats_equal_a_recount_of_the_history()
    {
        await Run();
        var attempts = await Attempts();
        Assert.Equal(5, attempts.Count);

        var campaign = Assert.Single((await Json(Client, "/campaigns?statistics=true")).EnumerateArray());
        Assert.Equal((4, 2), (campaign.GetProperty("total").GetInt64(), campaign.GetProperty("handled").GetInt64()));
        foreach (var part in new[] { "total", "daily" })
        {
            var counters = campaign.GetProperty("stats").GetProperty(part);
            AssertCounters(counters, attempts);
            Assert.Equal(2, counters.GetProperty("numberOfHandledCustomers").GetInt64()); // r1 SUCCESS, r2 REFUSAL
            Assert.Equal(4, counters.GetProperty("numberOfCustomers").GetInt64());
        }

        var ofDay = Assert.Single((await Json(Client, $"/campaigns?statistics=true&statisticsDate={Now:yyyy-MM-dd}T00:00:00Z")).EnumerateArray());
        Assert.False(ofDay.GetProperty("stats").TryGetProperty("total", out _));
        AssertCounters(ofDay.GetProperty("stats").GetProperty("daily"), attempts);
        var otherDay = Assert.Single((await Json(Client, $"/campaigns?statistics=true&statisticsDate={Now.AddDays(-1):yyyy-MM-dd}T00:00:00Z")).EnumerateArray());
        Assert.False(otherDay.TryGetProperty("stats", out _));

        var ofAgents = Assert.Single((await Json(Client, $"/campaigns?statistics=true&agentId={_a},{_b}")).EnumerateArray());
        AssertCounters(ofAgents.GetProperty("stats").GetProperty("total"), attempts.Where(a => a.Agent is not null).ToList());
        var ofB = await Json(Client, $"/campaigns/{_campaign}?statistics=true&agentId={_b}");
        AssertCounters(ofB.GetProperty("stats").GetProperty("total"), attempts.Where(a => a.Agent == _b).ToList());
    }

    [Fact]
    public async Task Statistics_rows_per_campaign_and_agent_equal_a_recount_with_a_null_agent_for_the_dialer()
    {
        await Run();
        var attempts = await Attempts();
        var day = $"{Now:yyyy-MM-dd}T00:00:00.000Z";

        var rows = (await Json(Client, $"/statistics?startDate={day}&endDate={day}")).EnumerateArray().ToList();

        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(_campaign, row.GetProperty("campaignId").GetString());
            Assert.Equal("obi-stats", row.GetProperty("campaignName").GetString());
            Assert.False(row.TryGetProperty("numberOfAgents", out _));
            var agent = row.GetProperty("agentId");
            var id = agent.ValueKind == JsonValueKind.Null ? null : agent.GetString();
            AssertCounters(row, attempts.Where(a => a.Agent == id).ToList());
            if (id is null) Assert.Equal(JsonValueKind.Null, row.GetProperty("agentName").ValueKind);
            else Assert.Equal(id == _a ? "Agent A" : "Agent B", row.GetProperty("agentName").GetString());
        }
        Assert.Equal(2, (await Json(Client, $"/statistics?startDate={day}&endDate={day}&agentId={_a},{_b}")).GetArrayLength());
        Assert.Empty((await Json(Client, $"/statistics?startDate={Now.AddDays(1):yyyy-MM-dd}T00:00:00Z&endDate={Now.AddDays(1):yyyy-MM-dd}T00:00:00Z")).EnumerateArray());

        var xml = await Xml(Client, $"/statistics?startDate={day}&endDate={day}&campaignId={_campaign}");
        Assert.Equal(3, xml.Elements("statistic").Count());
        Assert.Equal(attempts.Count, xml.Elements("statistic").Sum(s => (long)s.Element("numberOfCalls")!));
    }

    [Fact]
    public async Task Customer_result_statistics_equal_a_recount_of_the_customers()
    {
        await Run();
        var customers = (await Json(Client, $"/campaigns/{_campaign}/customers")).EnumerateArray()
            .Where(c => c.TryGetProperty("result", out _))
            .GroupBy(c => (c.GetProperty("result").GetString(), Text(c, "callResult"), Text(c, "classifier")))
            .ToDictionary(g => g.Key, g => (long)g.Count());

        var statistics = (await Json(Client, $"/campaigns/{_campaign}/customerResultStatistics")).EnumerateArray()
            .ToDictionary(s => (s.GetProperty("result").GetString(), Text(s, "callResult"), Text(s, "classifier")), s => s.GetProperty("count").GetInt64());

        Assert.Equal(customers, statistics);
        Assert.Contains(("SUCCESS", "SUCCESS", (string?)null), statistics.Keys.Select(k => (k.Item1, k.Item2, k.Item3)));
        var xml = await Xml(Client, $"/campaigns/{_campaign}/customerResultStatistics");
        Assert.Equal("customerResultStatistics", xml.Name.LocalName);
        Assert.Equal(statistics.Values.Sum(), xml.Elements("customerResultStatistic").Sum(e => (long)e.Element("count")!));
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    [Theory]
    [InlineData("/statistics?startDate=2026-03-10T10:00:00Z", "whole UTC day")]
    [InlineData("/statistics?startDate=2026-03-11&endDate=2026-03-10", "before")]
    [InlineData("/statistics?campaignId=abc", "campaignId")]
    [InlineData("/statistics?agentId=abc", "agentId")]
    [InlineData("/statistics?colour=red", "colour")]
    [InlineData("/campaigns/abc/customerResultStatistics", "campaignId")]
    public async Task Bad_statistics_requests_are_400(string path, string contains)
    {
        await Error(await Client.SendAsync(Request(HttpMethod.Get, path)), HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task Result_statistics_of_an_unknown_campaign_are_404()
    {
        await Error(await Client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{Guid.NewGuid():N}/customerResultStatistics")), HttpStatusCode.NotFound);
    }
}
