using CsCheck;
using Outdial.Engine.Agents;

namespace Outdial.Server.Tests.Features;

public sealed class AgentsAndStatisticsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Agent_logs_in_pauses_and_logs_out_with_state_rules()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var agent = await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var url = $"/api/v1/agents/{agent.Id}/session";

        await HttpAssert.Problem(await client.GetAsync(url), HttpStatusCode.NotFound);
        await HttpAssert.Problem(await client.PutAsJsonAsync($"{url}/state", new { state = "Ready" }), HttpStatusCode.Conflict, "LoggedOut");
        var session = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync(url, new { campaignId }), HttpStatusCode.Created);
        Assert.Equal("Ready", session.GetProperty("state").GetString());
        await HttpAssert.Problem(await client.PostAsJsonAsync(url, new { campaignId }), HttpStatusCode.Conflict, "already");
        Assert.Equal("Paused", (await HttpAssert.Ok<JsonElement>(await client.PutAsJsonAsync($"{url}/state", new { state = "Paused" }))).GetProperty("state").GetString());
        await HttpAssert.Problem(await client.PutAsJsonAsync($"{url}/state", new { state = "Talking" }), HttpStatusCode.BadRequest, "dialer");
        Assert.Single((await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/agents")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(url)).StatusCode);
        Assert.Empty((await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/agents")).EnumerateArray());
    }

    private sealed record Call(int Record, int Agent, CallResult Result, int Minute, double Amount, bool Logout);

    private static readonly CallResult[] Results =
        [CallResult.SUCCESS, CallResult.REFUSAL, CallResult.BUSY, CallResult.NOANSWER, CallResult.SKIP, CallResult.AGENT_REJECTED,
         CallResult.NOT_DIALED, CallResult.HANGUP, CallResult.ABANDONED, CallResult.ANSWERING_MACHINE, CallResult.INVALID_NUMBER];

    [Fact]
    public async Task Statistics_equal_a_recount_of_the_attempt_history()
    {
        var client = _factory.Admin();
        var store = _factory.Store;
        var tenant = await store.EnsureTenantAsync("default", default);
        var day0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var callGen = Gen.Select(Gen.Int[0, 4], Gen.Int[-1, 2], Gen.Int[0, Results.Length - 1].Select(i => Results[i]), Gen.Int[0, 3 * 1440 - 1], Gen.Int[0, 3], Gen.Int[0, 9])
            .Select(t => new Call(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5 * 12.5, t.Item6 == 0));
        var run = 0;
        await callGen.Array[0, 40].SampleAsync(async calls =>
        {
            var n = Interlocked.Increment(ref run);
            var (campaignId, _) = await Fixtures.Campaign(client, $"stats-{n}");
            var records = new List<string>();
            for (var i = 0; i < 5; i++)
                records.Add((await Fixtures.Record(client, campaignId, new { numbers = $"+4474001{n:D2}{i:D3}" })).GetProperty("id").GetString()!);
            var agents = new List<string>();
            for (var i = 0; i < 3; i++)
                agents.Add((await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = $"a{n}-{i}", name = $"Agent {i}" }), HttpStatusCode.Created)).Id);

            foreach (var call in calls)
            {
                var started = day0.AddMinutes(call.Minute);
                await store.AddAttemptAsync(tenant, new Attempt
                {
                    Id = Id32.New(),
                    CampaignId = campaignId,
                    RecordId = records[call.Record],
                    NumberDialed = "+447400100000",
                    Started = started,
                    Ended = started.AddSeconds(30),
                    Result = call.Result,
                    Answered = call.Result is CallResult.SUCCESS or CallResult.REFUSAL or CallResult.ABANDONED or CallResult.HANGUP ? started.AddSeconds(5) : null,
                    AgentId = call.Agent < 0 ? null : agents[call.Agent],
                }, call.Amount == 0 ? null : (decimal)call.Amount, null, call.Logout, default);
            }
            // Agent 0: Ready 60 min on day 1 from 23:30 (crosses midnight), Paused 10, Talking 5, WrapUp 1, logout.
            var t = day0.AddHours(23.5);
            foreach (var (state, minutes) in new[] { (AgentState.Ready, 60), (AgentState.Paused, 10), (AgentState.Ready, 0), (AgentState.Talking, 5), (AgentState.WrapUp, 1), (AgentState.LoggedOut, 0) })
            {
                var move = await store.MoveAgentAsync(tenant, agents[0], state, campaignId, t, default);
                Assert.Null(move.Error);
                t = t.AddMinutes(minutes);
            }

            for (var day = 0; day < 3; day++)
            {
                var date = day0.AddDays(day);
                var inDay = calls.Where(c => c.Minute / 1440 == day).ToList();
                var stats = await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/statistics?date={date:yyyy-MM-dd}");
                var daily = stats.GetProperty("daily");
                Assert.Equal(inDay.Count, daily.GetProperty("numberOfCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result is CallResult.SUCCESS or CallResult.REFUSAL), daily.GetProperty("numberOfSuccessfulCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result == CallResult.REFUSAL), daily.GetProperty("numberOfRefusalCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Amount != 0), daily.GetProperty("numberOfAmountCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result == CallResult.SKIP), daily.GetProperty("numberOfSkipCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result == CallResult.AGENT_REJECTED), daily.GetProperty("numberOfRejectCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Logout), daily.GetProperty("numberOfOperLogoutCalls").GetInt64());
                // OBI: "calls which were not dialed, for example if number was invalid".
                Assert.Equal(inDay.Count(c => c.Result is CallResult.NOT_DIALED or CallResult.INVALID_NUMBER), daily.GetProperty("numberOfNotDialedCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result == CallResult.HANGUP), daily.GetProperty("numberOfHangupCalls").GetInt64());
                Assert.Equal(inDay.Count(c => c.Result == CallResult.ABANDONED), daily.GetProperty("numberOfAbandonedCalls").GetInt64());
                Assert.Equal(inDay.Where(c => c.Result == CallResult.SUCCESS).Sum(c => c.Amount), daily.GetProperty("amount").GetDouble(), 6);
                var (ready, login) = day switch { 0 => (30 * 60.0, 30 * 60.0), 1 => (30 * 60.0, (30 + 10 + 5 + 1) * 60.0), _ => (0.0, 0.0) };
                Assert.Equal(ready, daily.GetProperty("waitTime").GetDouble(), 3);
                Assert.Equal(login, daily.GetProperty("loginTime").GetDouble(), 3);
                Assert.Equal(day == 1 ? 300 : 0, daily.GetProperty("talkingTime").GetDouble(), 3);

                // The per-agent rows add up to the campaign's day.
                var perAgent = await Fixtures.Get(client, $"/api/v1/statistics?startDate={date:yyyy-MM-dd}&endDate={date:yyyy-MM-dd}&campaignId={campaignId}");
                Assert.Equal(inDay.Count, perAgent.EnumerateArray().Sum(r => r.GetProperty("counters").GetProperty("numberOfCalls").GetInt64()));
                Assert.Equal(inDay.Select(c => c.Agent).Distinct().Count() + (day < 2 && !inDay.Any(c => c.Agent == 0) ? 1 : 0), perAgent.GetArrayLength());
            }
            var total = (await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/statistics")).GetProperty("total");
            Assert.Equal(calls.Length, total.GetProperty("numberOfCalls").GetInt64());
            Assert.Equal(5, total.GetProperty("numberOfCustomers").GetInt64());
            Assert.Equal(1, total.GetProperty("numberOfAgents").GetInt64());
        }, iter: 12, seed: "0000Statistics01", threads: 1);
    }

    [Theory]
    [InlineData("/statistics?date=9999-12-31", "'date' is out of range")]
    [InlineData("/statistics?date=9999-12-31T00:00:00Z", "'date' is out of range")]
    [InlineData("/statistics?date=0001-01-01", "'date' is out of range")]
    [InlineData("/statistics?date=1899-12-31T00:00:00Z", "'date' is out of range")]
    public async Task Campaign_statistics_days_out_of_range_are_400(string query, string expected)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/campaigns/{campaignId}{query}"), HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("startDate=2026-01-01&endDate=9999-12-31", "'endDate' is out of range")]
    [InlineData("startDate=0001-01-01&endDate=2026-01-01", "'startDate' is out of range")]
    public async Task Agent_statistics_days_out_of_range_are_400(string query, string expected)
    {
        await HttpAssert.Problem(await _factory.Admin().GetAsync($"/api/v1/statistics?{query}"), HttpStatusCode.BadRequest, expected);
    }
}
