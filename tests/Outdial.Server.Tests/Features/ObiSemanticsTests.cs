using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Campaigns;

namespace Outdial.Server.Tests.Features;

/// <summary>Counts and statistics read against the definitions of the Sinch OBI document, on records dialed through the store.</summary>
public sealed class ObiSemanticsTests : VirtualClockServer
{
    private Task<(string Campaign, long Tenant)> ActiveCampaignAsync(int retryCount) => ActiveCampaignAsync("obi", retryCount);

    private async Task<JsonElement> CountsAsync(string campaign) => await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/counts");

    [Fact]
    public async Task Callable_follows_the_current_RetryCount_as_the_dialer_does()
    {
        // OBI maxCalls: "If RetryCount is later increased, then these customers will be called again"; callable: not
        // handled yet (MAXCALLS included) and not scheduled in the future.
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 0);
        await Fixtures.Record(Client, campaign, new { externalId = "spent", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "fresh", numbers = "+447400000002" });
        await DialAsync(tenant, campaign, "spent", CallResult.BUSY);
        Time.Advance(TimeSpan.FromMinutes(10)); // past the BUSY retry delay

        var counts = await CountsAsync(campaign);
        Assert.Equal((2, 0, 2, 1, 1), (counts.GetProperty("total").GetInt64(), counts.GetProperty("handled").GetInt64(),
            counts.GetProperty("notHandled").GetInt64(), counts.GetProperty("maxCalls").GetInt64(), counts.GetProperty("callable").GetInt64()));

        await HttpAssert.Ok<JsonElement>(await Client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { retryCount = 3 }));
        await SettleAsync();
        var claimable = await Store.ClaimCallableAsync(tenant, campaign, 10, "check", TimeSpan.FromMinutes(1), Time.GetUtcNow(), Ct);
        Assert.Equal(2, claimable.Count); // the dialer calls it again ...
        foreach (var c in claimable) await Store.ReleaseLeaseAsync(tenant, c.Lease, Ct);
        counts = await CountsAsync(campaign);
        Assert.Equal(2, counts.GetProperty("callable").GetInt64()); // ... so it is callable
        Assert.Equal(1, counts.GetProperty("maxCalls").GetInt64()); // and keeps its MAXCALLS result until it is

        // Lowered again below the calls made: the dialer leaves it (and a record called once with budget left) alone.
        await DialAsync(tenant, campaign, "fresh", CallResult.NOANSWER);
        await HttpAssert.Ok<JsonElement>(await Client.PatchAsJsonAsync($"/api/v1/campaigns/{campaign}", new { retryCount = 0 }));
        await SettleAsync();
        Time.Advance(TimeSpan.FromHours(2)); // past the NOANSWER retry delay
        Assert.Empty(await Store.ClaimCallableAsync(tenant, campaign, 10, "check", TimeSpan.FromMinutes(1), Time.GetUtcNow(), Ct));
        Assert.Equal(0, (await CountsAsync(campaign)).GetProperty("callable").GetInt64());
    }

    [Fact]
    public async Task Callable_leaves_out_customers_the_dialer_found_blocked_for_good()
    {
        // OBI callable: "can be called immediately". A customer whose only number is on the do-not-call list for good cannot.
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        await Fixtures.Record(Client, campaign, new { externalId = "blocked", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "free", numbers = "+447400000002" });
        await HttpAssert.Ok<JsonElement>(await Client.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400000001", reason = "asked" }), HttpStatusCode.Created);
        var claimed = await Store.ClaimCallableAsync(tenant, campaign, 10, "probe", TimeSpan.FromMinutes(1), Time.GetUtcNow(), Ct);
        Assert.Equal("free", Assert.Single(claimed).Record.ExternalId); // the claim parks "blocked" until a change of data
        await Store.ReleaseLeaseAsync(tenant, claimed[0].Lease, Ct);

        var counts = await CountsAsync(campaign);
        Assert.Equal((2, 1), (counts.GetProperty("notHandled").GetInt64(), counts.GetProperty("callable").GetInt64()));

        // Taken off the list, it is re-evaluated and callable again.
        var entry = (await Fixtures.Get(Client, "/api/v1/dnc?number=%2B447400000001"))[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/dnc/{entry}")).StatusCode);
        await SettleAsync();
        Assert.Equal(2, (await CountsAsync(campaign)).GetProperty("callable").GetInt64());
    }

    [Fact]
    public async Task A_customer_in_a_call_reads_as_PROCESSING_with_result_DIALING()
    {
        // OBI's customerResultStatistics example has a DIALING group; Conpeek's request states include PROCESSING.
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        var record = (await Fixtures.Record(Client, campaign, new { externalId = "r", numbers = "+447400000001" })).GetProperty("id").GetString();
        await Fixtures.Record(Client, campaign, new { externalId = "idle", numbers = "+447400000002" });
        var claimed = await Store.ClaimCallableAsync(tenant, campaign, 10, "probe", TimeSpan.FromMinutes(5), Time.GetUtcNow(), Ct);
        var mine = claimed.Single(c => c.Record.ExternalId == "r");
        foreach (var other in claimed.Where(c => c != mine)) await Store.ReleaseLeaseAsync(tenant, other.Lease, Ct);
        async Task<(string?, string?)> Progress()
        {
            var p = (await Fixtures.Get(Client, $"/api/v1/records/{record}")).GetProperty("campaigns")[0];
            return (p.GetProperty("state").GetString(), p.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
        }
        string[] Found(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()!)];
        Assert.Equal(("OPEN", null), await Progress()); // leased, not dialed yet

        var start = await Store.StartAttemptAsync(tenant, mine.Lease, TimeSpan.FromMinutes(10), Time.GetUtcNow(), Ct);
        Assert.Equal(("PROCESSING", "DIALING"), await Progress());
        Assert.Equal(["r"], Found(await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/records?state=PROCESSING")));
        Assert.Equal(["r"], Found(await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/records?result=DIALING")));
        Assert.Equal(["idle"], Found(await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/records?state=OPEN")));
        Assert.Equal(1, (await CountsAsync(campaign)).GetProperty("callable").GetInt64()); // "idle" only: "r" is being called
        var groups = (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/result-statistics")).EnumerateArray().ToList();
        Assert.Equal(1, groups.Single(g => g.GetProperty("result").GetString() == "DIALING").GetProperty("count").GetInt64());

        await Store.FinishAttemptAsync(tenant, start.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, start.PhoneIndex), new AttemptDetails(), Time.GetUtcNow(), Ct);
        Assert.Equal(("OPEN", "NOANSWER"), await Progress());
        Assert.Empty(Found(await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/records?state=PROCESSING")));
    }

    [Fact]
    public async Task Each_handled_customer_counts_for_the_agent_who_closed_it_only()
    {
        // OBI /statistics rows are grouped by campaign and agent; a null agent is "the dialer handled the customer without agent".
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        var agents = new List<string>();
        foreach (var login in new[] { "a", "b" })
            agents.Add((await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login, name = login }), HttpStatusCode.Created)).Id);
        await Fixtures.Record(Client, campaign, new { externalId = "r1", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "r2", numbers = "+447400000002" });
        await DialAsync(tenant, campaign, "r1", CallResult.NOANSWER);            // dialer alone, r1 stays open
        await DialAsync(tenant, campaign, "r2", CallResult.AGENT_REJECTED, agents[1]); // agent b, r2 stays open
        Time.Advance(TimeSpan.FromHours(2));
        await DialAsync(tenant, campaign, "r1", CallResult.SUCCESS, agents[0]);  // agent a closes r1
        await DialAsync(tenant, campaign, "r2", CallResult.REFUSAL, agents[0]);  // agent a closes r2

        var day = $"{Now:yyyy-MM-dd}";
        var rows = (await Fixtures.Get(Client, $"/api/v1/statistics?startDate={day}&endDate={day}&campaignId={campaign}")).EnumerateArray()
            .ToDictionary(r => r.TryGetProperty("agentId", out var id) ? id.GetString()! : "", // a null agentId is left out
                r => r.GetProperty("counters").GetProperty("numberOfHandledCustomers").GetInt64());
        Assert.Equal(new Dictionary<string, long> { [""] = 0, [agents[0]] = 2, [agents[1]] = 0 }, rows);
        var campaignDay = (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/statistics?date={day}")).GetProperty("daily");
        Assert.Equal(2, campaignDay.GetProperty("numberOfHandledCustomers").GetInt64());
        var ofB = (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/statistics?date={day}&agentId={agents[1]}")).GetProperty("daily");
        Assert.Equal(0, ofB.GetProperty("numberOfHandledCustomers").GetInt64());
    }

    [Fact]
    public async Task Calls_of_a_deleted_agent_stay_in_the_per_agent_rows()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        var agent = (await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login = "gone", name = "Gone" }), HttpStatusCode.Created)).Id;
        await Fixtures.Record(Client, campaign, new { externalId = "r1", numbers = "+447400000001" });
        await Fixtures.Record(Client, campaign, new { externalId = "r2", numbers = "+447400000002" });
        await DialAsync(tenant, campaign, "r1", CallResult.SUCCESS, agent);
        await DialAsync(tenant, campaign, "r2", CallResult.BUSY);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/agents/{agent}")).StatusCode);
        var other = (await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login = "other", name = "Other" }), HttpStatusCode.Created)).Id;
        Assert.Null((await Store.MoveAgentAsync(tenant, other, Engine.Agents.AgentState.Ready, campaign, Now, Ct)).Error);
        Time.Advance(TimeSpan.FromMinutes(5));

        var day = $"{Now:yyyy-MM-dd}";
        var rows = (await Fixtures.Get(Client, $"/api/v1/statistics?startDate={day}&endDate={day}&campaignId={campaign}")).EnumerateArray()
            .Select(r => (Agent: r.TryGetProperty("agentId", out var id) ? id.GetString() : null, Calls: r.GetProperty("counters").GetProperty("numberOfCalls").GetInt64()))
            .OrderBy(r => r.Agent, StringComparer.Ordinal).ToList();
        Assert.Equal([(null, 1L), (agent, 1L), (other, 0L)], rows.OrderBy(r => r.Agent == other).ToList()); // the agent's id is kept, its name is gone with it
        var gone = Assert.Single((await Fixtures.Get(Client, $"/api/v1/statistics?startDate={day}&endDate={day}&agentId={agent}")).EnumerateArray());
        Assert.Equal(0, gone.GetProperty("counters").GetProperty("loginTime").GetDouble()); // not the other agents' time
        // It never logged in (no time history), but its calls are still found by its id in the campaign's statistics.
        var ofGone = (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/statistics?date={day}&agentId={agent}")).GetProperty("daily");
        Assert.Equal((1L, 1L), (ofGone.GetProperty("numberOfCalls").GetInt64(), ofGone.GetProperty("numberOfSuccessfulCalls").GetInt64()));
    }

    [Fact]
    public async Task Deleting_an_agent_keeps_itsTime_in_the_statistics_and_ends_its_session_there()
    {
        var (campaign, tenant) = await ActiveCampaignAsync(retryCount: 3);
        var agent = (await HttpAssert.Ok<Agent>(await Client.PostAsJsonAsync("/api/v1/agents", new { login = "leaver", name = "Leaver" }), HttpStatusCode.Created)).Id;
        Assert.Null((await Store.MoveAgentAsync(tenant, agent, Engine.Agents.AgentState.Ready, campaign, Time.GetUtcNow(), Ct)).Error);
        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null((await Store.MoveAgentAsync(tenant, agent, Engine.Agents.AgentState.Paused, campaign, Time.GetUtcNow(), Ct)).Error);
        Time.Advance(TimeSpan.FromMinutes(5));
        var day = $"{Now:yyyy-MM-dd}";
        async Task<JsonElement> Campaign() => (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/statistics?date={day}")).GetProperty("daily");
        var before = await Campaign();
        Assert.Equal(900, before.GetProperty("loginTime").GetDouble());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/agents/{agent}")).StatusCode); // still logged in
        Time.Advance(TimeSpan.FromHours(1)); // its session ended with it: no time accrues after the deletion
        var after = await Campaign();
        Assert.Equal((900, 600, 300, 1), (after.GetProperty("loginTime").GetDouble(), after.GetProperty("waitTime").GetDouble(),
            after.GetProperty("pauseTime").GetDouble(), after.GetProperty("numberOfAgents").GetInt64()));
        var row = Assert.Single((await Fixtures.Get(Client, $"/api/v1/statistics?startDate={day}&endDate={day}&agentId={agent}")).EnumerateArray());
        Assert.Equal(900, row.GetProperty("counters").GetProperty("loginTime").GetDouble());
        await HttpAssert.Problem(await Client.GetAsync($"/api/v1/campaigns/{campaign}/statistics?date={day}&agentId={Id32.New()}"), HttpStatusCode.NotFound);
        Assert.Equal(900, (await Fixtures.Get(Client, $"/api/v1/campaigns/{campaign}/statistics?date={day}&agentId={agent}"))
            .GetProperty("daily").GetProperty("loginTime").GetDouble());
    }
}
