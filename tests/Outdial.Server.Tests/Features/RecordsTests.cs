
namespace Outdial.Server.Tests.Features;

public sealed class RecordsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>A record assigned to an agent that is not one of the tenant's (another tenant's, a made-up id) would wait
    /// for that agent for ever: refused, in a single create and per row of an import. An id36 or lower-case id of the
    /// tenant's agent is stored in the agents' own form, so the callback finds its agent.</summary>
    [Fact]
    public async Task A_record_is_assigned_only_to_an_agent_of_its_tenant_in_the_agents_id_form()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        var agent = await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var other = await _factory.ClientFor("other");
        var foreign = await HttpAssert.Ok<Agent>(await other.PostAsJsonAsync("/api/v1/agents", new { login = "omar", name = "Omar" }), HttpStatusCode.Created);

        var id36 = Guid.ParseExact(agent.Id, "N").ToString("D");
        var created = await Fixtures.Record(client, campaignId, new { externalId = "A", phones = new[] { "07400 123456" }, agentId = id36 });
        Assert.Equal(agent.Id, created.GetProperty("campaigns")[0].GetProperty("agentId").GetString());

        foreach (var unknown in new[] { foreign.Id, Id32.New() })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records",
                new { externalId = "B", phones = new[] { "07400 123457" }, agentId = unknown });
            await HttpAssert.Problem(response, HttpStatusCode.UnprocessableEntity, "not an agent of this tenant");
        }

        var csv = $"externalId,phone1,agentId\nC,+447400123458,{agent.Id.ToLowerInvariant()}\nD,+447400123459,{foreign.Id}\n";
        var import = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports",
            new StringContent(csv, System.Text.Encoding.UTF8, "text/csv")));
        var results = import.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(201, results[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(422, results[1].GetProperty("statusCode").GetInt32());
        Assert.Contains("not an agent of this tenant", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);

        var page = await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/records?limit=100");
        var stored = page.GetProperty("items").EnumerateArray()
            .ToDictionary(r => r.GetProperty("externalId").GetString()!, r => r.GetProperty("campaigns")[0].GetProperty("agentId").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["A"] = agent.Id, ["C"] = agent.Id }, stored);
    }

    [Fact]
    public async Task Record_is_created_normalized_and_read_back_with_its_campaign_progress()
    {
        var client = _factory.Admin();
        var (campaignId, listId) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        var created = await Fixtures.Record(client, campaignId, new
        {
            externalId = "C-1",
            phones = new[] { "07400 123456", "+1 (212) 555-0100" },
            timeZone = "Europe/London",
            priority = 5,
            attributes = new[] { new { name = "City", value = "London" }, new { name = "名前", value = "山田" } },
        });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("+447400123456;+12125550100", created.GetProperty("numbers").GetString());
        Assert.Equal(listId, created.GetProperty("listId").GetString());
        Assert.True(created.GetProperty("serial").GetInt64() > 0);
        var phones = created.GetProperty("phones");
        Assert.Equal("GB", phones[0].GetProperty("region").GetString());
        Assert.Equal("MOBILE", phones[0].GetProperty("numberType").GetString());
        Assert.Contains("America/New_York", phones[1].GetProperty("timeZones").EnumerateArray().Select(z => z.GetString()));
        var progress = created.GetProperty("campaigns").EnumerateArray().Single();
        Assert.Equal(campaignId, progress.GetProperty("campaignId").GetString());
        Assert.Equal("OPEN", progress.GetProperty("state").GetString());
        Assert.Equal("NEW", progress.GetProperty("applicationState").GetString());

        var fetched = await Fixtures.Get(client, $"/api/v1/records/{id}");
        Assert.Equal("山田", fetched.GetProperty("attributes")[1].GetProperty("value").GetString());
        Assert.Equal("[]", (await Fixtures.Get(client, $"/api/v1/records/{id}/attempts")).GetRawText());

        var updated = await HttpAssert.Ok<JsonElement>(await client.PutAsJsonAsync($"/api/v1/records/{id}", new { externalId = "C-1", numbers = "+4930901820" }));
        Assert.Equal("+4930901820", updated.GetProperty("numbers").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/records/{id}")).StatusCode);
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/records/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_number_is_400_naming_it_and_nothing_is_written()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await HttpAssert.Problem(await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { phones = new[] { "+44 7400 123456", "+44 12" } }),
            HttpStatusCode.BadRequest, "'+44 12'");
        await HttpAssert.Problem(await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { phones = new[] { "07400 123456" } }),
            HttpStatusCode.BadRequest, "region");
        await HttpAssert.Problem(await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { phones = new[] { "+447400123456" }, timeZone = "Nowhere/City" }),
            HttpStatusCode.BadRequest, "timeZone");
        Assert.Empty((await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/records")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"phones\":[null,\"+447400123456\"]}", "phone number is null")]
    [InlineData("{\"phones\":[\"+447400123456\"],\"attributes\":[null]}", "attribute is null")]
    public async Task Null_list_entries_are_400_naming_them_on_create_update_and_import(string body, string expected)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var record = await Fixtures.Record(client, campaignId, new { externalId = "R1", phones = new[] { "+447400123457" } });
        var id = record.GetProperty("id").GetString();
        StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/records", Json(body)), HttpStatusCode.BadRequest, expected);
        await HttpAssert.Problem(await client.PutAsync($"/api/v1/records/{id}", Json(body)), HttpStatusCode.BadRequest, expected);
        var import = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", Json($"[{body}]")));
        Assert.Contains(expected, import.GetProperty("results")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        var items = (await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/records")).GetProperty("items");
        Assert.Equal("+447400123457", Assert.Single(items.EnumerateArray()).GetProperty("numbers").GetString());
    }

    [Fact]
    public async Task Duplicate_externalId_in_a_campaign_is_409()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await Fixtures.Record(client, campaignId, new { externalId = "X", numbers = "+447400123456" });
        await HttpAssert.Problem(await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { externalId = "X", numbers = "+447400123457" }),
            HttpStatusCode.Conflict, "not unique");
        var generated = await Fixtures.Record(client, campaignId, new { numbers = "+447400123458" });
        Assert.Equal(generated.GetProperty("id").GetString(), generated.GetProperty("externalId").GetString());
    }

    private async Task<(HttpClient Client, string CampaignId)> SeedAsync()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        string[] cities = ["New York", "London", "Helsinki", "50%_off\\city"];
        for (var i = 0; i < 25; i++)
            await Fixtures.Record(client, campaignId, new
            {
                externalId = $"EXT-{i:D3}",
                numbers = $"+4474001234{i:D2}",
                priority = i % 3,
                attributes = new[] { new { name = "City", value = cities[i % 4] }, new { name = "Classification", value = i % 2 == 0 ? "Gold" : "Silver" } },
            });
        return (client, campaignId);
    }

    private static string[] ExternalIds(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("externalId").GetString()!).ToArray();

    [Fact]
    public async Task Search_by_wildcards_numbers_attributes_and_sort()
    {
        var (client, c) = await SeedAsync();
        Assert.Equal(10, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?externalId=EXT-01?")).Length);
        Assert.Equal(["EXT-007"], ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?externalId=ext-007")));
        Assert.Equal(["EXT-012"], ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?numbers=%2B447400123412")));
        Assert.Equal(13, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?attributeName=classification&attributeValue=gold&limit=1000")).Length);
        Assert.Equal(6, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?attributeName=City&attributeValue=Hel*")).Length);
        // LIKE metacharacters in a value are literal
        Assert.Equal(6, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?attributeName=City&attributeValue=50%25_off%5Ccity")).Length);
        Assert.Empty(ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?attributeName=City&attributeValue=5_%25")));
        var sorted = ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?sort=-priority&limit=3"));
        Assert.Equal(["EXT-002", "EXT-005", "EXT-008"], sorted);
        Assert.Empty(ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?result=*&limit=1000"))); // never dialed: no result
        Assert.Equal(25, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?state=OPEN&limit=1000")).Length);
        var now = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O");
        Assert.Empty(ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?created={Uri.EscapeDataString(now)}")));
        Assert.Equal(25, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?createdEnd={Uri.EscapeDataString(now)}&limit=100")).Length);
    }

    [Fact]
    public async Task Cursor_pages_through_everything_once_in_order()
    {
        var (client, c) = await SeedAsync();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?limit=7" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(ExternalIds(page));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"EXT-{i:D3}"), seen);
        Assert.Equal(["EXT-005", "EXT-006"], ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?offset=5&limit=2")));
    }

    [Theory]
    [InlineData("colour=red", "unknown filter field 'colour'")]
    [InlineData("result=SUCCESS", "per-campaign")]
    [InlineData("priority=high", "integer")]
    [InlineData("externalId=*a*b*c*d*e*f*g*h*i*j*k", "wildcards")]
    [InlineData("created=yesterday", "ISO 8601")]
    [InlineData("created=0001-01-01T00:00:00Z", "out of range")]
    [InlineData("limit=100000", "limit")]
    [InlineData("sort=colour", "unknown sort field")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("attributeValue=x", "attributeName")]
    public async Task Bad_searches_are_400_naming_the_problem(string query, string expected)
    {
        var client = _factory.Admin();
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/records?{query}"), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Sql_metacharacters_in_search_terms_are_plain_text()
    {
        var (client, c) = await SeedAsync();
        foreach (var evil in new[] { "'; DROP TABLE records; --", "\" OR 1=1 --", "EXT-001' OR '1'='1", "%", "_" })
            Assert.Empty(ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?externalId={Uri.EscapeDataString(evil)}")));
        Assert.Equal(25, ExternalIds(await Fixtures.Get(client, $"/api/v1/campaigns/{c}/records?limit=100")).Length);
    }
}
