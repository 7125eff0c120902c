
namespace Outdial.Server.Tests.Features;

/// <summary>The agent work API's refusals; the preview/dial/complete flow itself is tested on virtual time in Outdial.Data.Tests.</summary>
public sealed class AgentWorkTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Work_needs_a_logged_in_agent_in_a_campaign_being_dialed()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var agent = await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = "a", name = "A" }), HttpStatusCode.Created);
        var url = $"/api/v1/agents/{agent.Id}/session";
        await HttpAssert.Problem(await client.PostAsync($"{url}/preview", null), HttpStatusCode.Conflict, "not logged in");
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync(url, new { campaignId }), HttpStatusCode.Created);
        await HttpAssert.Problem(await client.PostAsync($"{url}/preview", null), HttpStatusCode.Conflict, "not being dialed");
        await HttpAssert.Problem(await client.PostAsync($"{url}/records/12/dial", null), HttpStatusCode.Conflict, "not being dialed");
        await HttpAssert.Problem(await client.PostAsJsonAsync($"{url}/complete", new { classifier = "x" }), HttpStatusCode.BadRequest, "'result'");
        await HttpAssert.Problem(await client.PostAsJsonAsync($"{url}/complete", new { result = "MAXCALLS" }), HttpStatusCode.BadRequest, "'result'");
        await HttpAssert.Problem(await client.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS", callbackType = "Later" }), HttpStatusCode.BadRequest, "callbackType");
        await HttpAssert.Problem(await client.PostAsync($"{url}/complete", new StringContent(
            "{\"result\":\"SUCCESS\",\"script\":{\"name\":\"s\",\"answers\":[null]}}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "'script'");
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/agents/{Id32.New()}/session/preview", null), HttpStatusCode.NotFound);
    }
}
