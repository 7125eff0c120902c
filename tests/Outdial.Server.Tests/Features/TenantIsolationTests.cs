
namespace Outdial.Server.Tests.Features;

/// <summary>A key of tenant B can neither read nor change anything of tenant A, on every route group.</summary>
public sealed class TenantIsolationTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Other_tenant_objects_answer_404_and_stay_unchanged()
    {
        var a = await _factory.ClientFor("tenant-a");
        var b = await _factory.ClientFor("tenant-b");

        var queue = await HttpAssert.Ok<JsonElement>(await a.PostAsJsonAsync("/api/v1/queues", new { name = "QA" }), HttpStatusCode.Created);
        var agent = await HttpAssert.Ok<JsonElement>(await a.PostAsJsonAsync("/api/v1/agents", new { login = "a1", name = "Agent A" }), HttpStatusCode.Created);
        var list = await HttpAssert.Ok<JsonElement>(await a.PostAsJsonAsync("/api/v1/lists", new { name = "List A" }), HttpStatusCode.Created);
        var (campaignId, defaultListId) = await Fixtures.Campaign(a, "Campaign A");
        var record = await Fixtures.Record(a, campaignId, new { externalId = "R1", numbers = "+447400123456" });
        var dnc = await HttpAssert.Ok<JsonElement>(await a.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400123457" }), HttpStatusCode.Created);
        var import = await HttpAssert.Ok<JsonElement>(await a.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent("phone1\n+447400123458\n", Encoding.UTF8, "text/csv")));
        var jobId = import.GetProperty("job").GetProperty("id").GetString();

        string Id(JsonElement e) => e.GetProperty("id").GetString()!;
        var q = Id(queue); var ag = Id(agent); var l = Id(list); var r = Id(record); var d = Id(dnc);

        var attempts = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/v1/queues/{q}", null), (HttpMethod.Put, $"/api/v1/queues/{q}", new { name = "x" }), (HttpMethod.Delete, $"/api/v1/queues/{q}", null),
            (HttpMethod.Get, $"/api/v1/agents/{ag}", null), (HttpMethod.Put, $"/api/v1/agents/{ag}", new { login = "x", name = "x" }), (HttpMethod.Delete, $"/api/v1/agents/{ag}", null),
            (HttpMethod.Get, $"/api/v1/lists/{l}", null), (HttpMethod.Put, $"/api/v1/lists/{l}", new { name = "x" }), (HttpMethod.Delete, $"/api/v1/lists/{l}", null),
            (HttpMethod.Get, $"/api/v1/lists/{l}/records", null), (HttpMethod.Post, $"/api/v1/lists/{l}/records", new { numbers = "+447400123459" }),
            (HttpMethod.Post, $"/api/v1/lists/{l}/imports", null),
            (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}", null), (HttpMethod.Put, $"/api/v1/campaigns/{campaignId}", new { name = "x" }),
            (HttpMethod.Patch, $"/api/v1/campaigns/{campaignId}", new { retryCount = 9 }), (HttpMethod.Put, $"/api/v1/campaigns/{campaignId}/status", new { status = "Active" }),
            (HttpMethod.Delete, $"/api/v1/campaigns/{campaignId}", null), (HttpMethod.Put, $"/api/v1/campaigns/{campaignId}/lists/{l}", null),
            (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/records", null), (HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/records", new { numbers = "+447400123459" }),
            (HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/imports", null),
            (HttpMethod.Get, $"/api/v1/records/{r}", null), (HttpMethod.Put, $"/api/v1/records/{r}", new { numbers = "+447400123459" }),
            (HttpMethod.Delete, $"/api/v1/records/{r}", null), (HttpMethod.Get, $"/api/v1/records/{r}/attempts", null),
            (HttpMethod.Get, $"/api/v1/dnc/{d}", null), (HttpMethod.Delete, $"/api/v1/dnc/{d}", null),
            (HttpMethod.Get, $"/api/v1/imports/{jobId}", null), (HttpMethod.Get, $"/api/v1/imports/{jobId}/failures", null),
            (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/statistics", null), (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/counts", null),
            (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/result-statistics", null), (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/diagnostics", null),
            (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/completed", null), (HttpMethod.Get, $"/api/v1/campaigns/{campaignId}/agents", null),
            (HttpMethod.Get, $"/api/v1/agents/{ag}/session", null), (HttpMethod.Post, $"/api/v1/agents/{ag}/session", new { campaignId }),
            (HttpMethod.Put, $"/api/v1/agents/{ag}/session/state", new { state = "Paused" }), (HttpMethod.Delete, $"/api/v1/agents/{ag}/session", null),
            (HttpMethod.Post, $"/api/v1/agents/{ag}/session/preview", null), (HttpMethod.Post, $"/api/v1/agents/{ag}/session/complete", new { result = "SUCCESS" }),
        };
        foreach (var (method, url, body) in attempts)
        {
            var request = new HttpRequestMessage(method, url)
            {
                Content = url.EndsWith("/imports", StringComparison.Ordinal) ? new StringContent("phone1\n+447400123450\n", Encoding.UTF8, "text/csv") : body is null ? null : Json(body),
            };
            var response = await b.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url} answered {(int)response.StatusCode} to another tenant");
        }

        // B's own campaign cannot take A's list either.
        var (bCampaign, _) = await Fixtures.Campaign(b, "Campaign B");
        Assert.Equal(HttpStatusCode.NotFound, (await b.PutAsync($"/api/v1/campaigns/{bCampaign}/lists/{l}", null)).StatusCode);

        // Collections and searches of B show nothing of A.
        foreach (var url in new[] { "/api/v1/queues", "/api/v1/agents", "/api/v1/dnc" })
            Assert.Equal(0, (await Fixtures.Get(b, url)).GetArrayLength());
        Assert.Equal(["Campaign B"], (await Fixtures.Get(b, "/api/v1/campaigns")).EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.DoesNotContain((await Fixtures.Get(b, "/api/v1/lists")).EnumerateArray(), x => Id(x) == l || Id(x) == defaultListId);
        Assert.Empty((await Fixtures.Get(b, "/api/v1/records?limit=1000")).GetProperty("items").EnumerateArray());

        // A's objects are untouched.
        Assert.Equal("QA", (await Fixtures.Get(a, $"/api/v1/queues/{q}")).GetProperty("name").GetString());
        Assert.Equal(3, (await Fixtures.Get(a, $"/api/v1/campaigns/{campaignId}")).GetProperty("retryCount").GetInt32());
        Assert.Equal("Passive", (await Fixtures.Get(a, $"/api/v1/campaigns/{campaignId}")).GetProperty("status").GetString());
        Assert.Equal("+447400123456", (await Fixtures.Get(a, $"/api/v1/records/{r}")).GetProperty("numbers").GetString());
        Assert.Equal(2, (await Fixtures.Get(a, $"/api/v1/campaigns/{campaignId}/records")).GetProperty("items").GetArrayLength());
        Assert.Equal(1, (await Fixtures.Get(a, "/api/v1/dnc")).GetArrayLength());
    }
}
