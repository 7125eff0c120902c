
namespace Outdial.Server.Tests.Features;

public sealed class CampaignsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Create_read_update_status_delete()
    {
        var client = _factory.Admin();
        var queue = await HttpAssert.Ok<Queue>(await client.PostAsJsonAsync("/api/v1/queues", new { name = "Q" }), HttpStatusCode.Created);
        var created = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Spring sale",
            dialingMode = "PREDICTIVE",
            queueId = queue.Id,
            timeZone = "Europe/Berlin",
            abandonRate = 2.0,
            callingWindow = new { start = "09:00", end = "20:00" },
            rules = new { BUSY = new { action = "Retry", delaySeconds = 120 } },
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("Passive", created.GetProperty("status").GetString());
        Assert.Equal("PASSIVE", created.GetProperty("dialerStatus").GetString());
        Assert.Equal(3, created.GetProperty("retryCount").GetInt32());
        Assert.Equal(120, created.GetProperty("rules").GetProperty("BUSY").GetProperty("delaySeconds").GetInt32());
        Assert.Equal(3600, created.GetProperty("rules").GetProperty("NOANSWER").GetProperty("delaySeconds").GetInt32());
        Assert.Single(created.GetProperty("lists").EnumerateArray());

        var patched = await HttpAssert.Ok<JsonElement>(await client.PatchAsJsonAsync($"/api/v1/campaigns/{id}", new { retryCount = 5 }));
        Assert.Equal(5, patched.GetProperty("retryCount").GetInt32());
        Assert.Equal("09:00", patched.GetProperty("callingWindow").GetProperty("start").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/campaigns/{id}/status", new { status = "Active" })).StatusCode);
        var active = await HttpAssert.Ok<JsonElement>(await client.GetAsync($"/api/v1/campaigns/{id}"));
        Assert.Equal("Active", active.GetProperty("status").GetString());
        Assert.Equal("OPEN", active.GetProperty("dialerStatus").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/campaigns/{id}")).StatusCode);
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/campaigns/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"name\":\"c\",\"timeZone\":\"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"name\":\"c\",\"abandonRate\":7}", "abandonRate")]
    [InlineData("{\"name\":\"c\",\"startDate\":\"0001-01-01T00:00:00Z\"}", "startDate")]
    [InlineData("{\"name\":\"c\",\"startDate\":\"2030-01-02T00:00:00Z\",\"endDate\":\"2030-01-01T00:00:00Z\"}", "endDate")]
    [InlineData("{\"name\":\"c\",\"startDate\":\"2030-13-45\"}", "$.startDate")]
    [InlineData("{\"name\":\"c\",\"dialingMode\":\"TURBO\"}", "$.dialingMode")]
    [InlineData("{\"name\":\"c\",\"dialingMode\":1}", "$.dialingMode")]
    [InlineData("{\"name\":\"c\",\"dialingMode\":99}", "$.dialingMode")]
    [InlineData("{\"name\":\"c\",\"rules\":{\"99\":{\"action\":\"Final\"}}}", "$.rules")]
    [InlineData("{\"name\":\"c\",\"rules\":{\"BUSY\":{\"action\":4}}}", "$.rules.BUSY.action")]
    [InlineData("{\"name\":\"c\",\"callingWindow\":{\"start\":\"25:00\",\"end\":\"21:00\"}}", "callingWindow.start")]
    [InlineData("{\"name\":\"c\",\"queueId\":\"nope\"}", "queueId")]
    [InlineData("{\"name\":\"c\",\"rules\":{\"MAXCALLS\":{\"action\":\"Final\"}}}", "MAXCALLS")]
    [InlineData("{\"name\":\"c\",\"rules\":{\"BUSY\":null}}", "'rules.BUSY' is null")]
    [InlineData("{\"name\":\"c\",\"rules\":{\"BUSY\":{\"action\":\"Final\"},\"BUSY\":{\"action\":\"Retry\"}}}", "'$.rules.BUSY' is given twice")]
    public async Task Invalid_campaigns_are_400_and_nothing_is_written(string body, string field)
    {
        var client = _factory.Admin();
        var response = await client.PostAsync("/api/v1/campaigns", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await HttpAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/campaigns")).Content.ReadAsStringAsync());
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/lists")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_status_given_as_a_number_is_400_and_the_campaign_stays_passive()
    {
        var client = _factory.Admin();
        var (id, _) = await Fixtures.Campaign(client);
        foreach (var status in new[] { "1", "99" })
        {
            var response = await client.PutAsync($"/api/v1/campaigns/{id}/status", new StringContent($"{{\"status\":{status}}}", System.Text.Encoding.UTF8, "application/json"));
            await HttpAssert.Problem(response, HttpStatusCode.BadRequest, "$.status");
        }
        Assert.Equal("Passive", (await Fixtures.Get(client, $"/api/v1/campaigns/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_queue_is_422()
    {
        var client = _factory.Admin();
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/v1/campaigns", new { name = "c", queueId = Id32.New() }), HttpStatusCode.UnprocessableEntity, "queue");
    }
}
