using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>GET /campaigns/{id}/customers: each search parameter, wildcards, ranges and paging edges.</summary>
public sealed class SinchCustomerSearchTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private string _campaign = "";
    private readonly Dictionary<string, string> _names = [];
    private string _agent1 = "", _agent2 = "";

    /// <summary>Customers A, B, C in the campaign (and one in another campaign, never found).</summary>
    private async Task Setup()
    {
        var admin = _factory.Admin();
        (_campaign, _) = await Fixtures.Campaign(admin, "Search", new { defaultRegion = "GB" });
        var (other, _) = await Fixtures.Campaign(admin, "Other", new { defaultRegion = "GB" });
        _agent1 = (await HttpAssert.Ok<JsonElement>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "a1", name = "One" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        _agent2 = (await HttpAssert.Ok<JsonElement>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "a2", name = "Two" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        string[] bodies =
        [
            $$"""{"externalId": "C-1", "numbers": "+447400123456", "priority": 5, "timeZone": "Europe/London", "dialingMode": "PREVIEW", "previewTime": 30, "agentId": "{{_agent1}}", "date": "2030-01-01T00:00:00Z", "attributes": [{"name": "Classification", "value": "Gold"}]}""",
            $$"""{"externalId": "C-2", "numbers": "+447400123457;+447400123458", "priority": 1, "timeZone": "Europe/Helsinki", "agentId": "{{_agent2}}", "attributes": [{"name": "Classification", "value": "Silver"}]}""",
            """{"externalId": "X-3", "numbers": "+447400123459", "attributes": [{"name": "City", "value": "Gold Coast"}]}""",
        ];
        foreach (var (body, name) in bodies.Zip("ABC"))
        {
            var response = await admin.SendAsync(Request(HttpMethod.Post, $"/campaigns/{_campaign}/customers", body, accept: "text/html"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            _names[await response.Content.ReadAsStringAsync()] = name.ToString();
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(Request(HttpMethod.Post, $"/campaigns/{other}/customers", """{"externalId": "C-9", "numbers": "+447400123460"}"""))).StatusCode);
    }

    private async Task<string> Found(string query)
    {
        var customers = await Json(_factory.Admin(), $"/campaigns/{_campaign}/customers?{query}");
        return string.Concat(customers.EnumerateArray().Select(c => _names[c.GetProperty("id").GetString()!]).Order());
    }

    [Theory]
    [InlineData("", "ABC")]
    [InlineData("externalId=C-1", "A")]
    [InlineData("externalId=c-*", "AB")]
    [InlineData("externalId=?-3", "C")]
    [InlineData("numbers=%2B447400123458", "B")]
    [InlineData("numbers=*123459", "C")]
    [InlineData("numbers=07400%20123458", "B")]
    [InlineData("numbers=%2B44%207400%20123456", "A")]
    [InlineData("numbers=07400123*", "")]
    [InlineData("priority=5", "A")]
    [InlineData("priority=0", "C")]
    [InlineData("timeZone=Europe/*", "AB")]
    [InlineData("dialingMode=PREVIEW", "A")]
    [InlineData("previewTime=30", "A")]
    [InlineData("callCount=0", "ABC")]
    [InlineData("lastBNumber=0", "ABC")]
    [InlineData("result=SUCCESS", "")]
    [InlineData("callResult=SUCCESS*", "")]
    [InlineData("classifier=*", "")]
    [InlineData("attributeName=classification", "AB")]
    [InlineData("attributeName=Classification&attributeValue=gold", "A")]
    [InlineData("attributeName=City&attributeValue=Gold*", "C")]
    [InlineData("date=2029-12-31T00:00:00Z", "A")]
    [InlineData("dateEnd=2029-12-31T00:00:00Z", "")]
    [InlineData("modificationDate=2000-01-01T00:00:00.000Z", "ABC")]
    [InlineData("modificationDateEnd=2000-01-01T00:00:00.000Z", "")]
    [InlineData("externalId=C-*&priority=1", "B")]
    [InlineData("includeScript=true", "ABC")]
    public async Task Search_by_field(string query, string expected)
    {
        await Setup();
        Assert.Equal(expected, await Found(query));
    }

    [Fact]
    public async Task Search_by_agents_as_a_comma_list_in_id32_or_id36()
    {
        await Setup();
        Assert.Equal("A", await Found($"agentId={_agent1}"));
        Assert.Equal("AB", await Found($"agentId={_agent1},{Guid.ParseExact(_agent2, "N"):D}"));
        Assert.Equal("", await Found($"agentId={Guid.NewGuid():N}"));
    }

    [Theory]
    [InlineData("limit=2", 2)]
    [InlineData("offset=2&limit=2", 1)]
    [InlineData("offset=3", 0)]
    [InlineData("offset=1000000", 0)]
    [InlineData("limit=1000", 3)]
    public async Task Paging(string query, int count)
    {
        await Setup();
        Assert.Equal(count, (await Json(_factory.Admin(), $"/campaigns/{_campaign}/customers?{query}")).GetArrayLength());
    }

    [Fact]
    public async Task Pages_follow_one_another_without_gaps_or_repeats()
    {
        await Setup();
        var seen = new List<string>();
        for (var offset = 0; offset < 4; offset++)
            seen.AddRange((await Json(_factory.Admin(), $"/campaigns/{_campaign}/customers?offset={offset}&limit=1")).EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task The_default_page_is_100()
    {
        var admin = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(admin, "Many", new { defaultRegion = "GB" });
        var body = "[" + string.Join(",", Enumerable.Range(0, 150).Select(i => $$"""{"numbers": "+4474001{{i:00000}}"}""")) + "]";
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaign}/customers/list", body))).StatusCode);
        Assert.Equal(100, (await Json(admin, $"/campaigns/{campaign}/customers")).GetArrayLength());
        Assert.Equal(50, (await Json(admin, $"/campaigns/{campaign}/customers?offset=100")).GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("priority=high", "priority")]
    [InlineData("callCount=1.5", "callCount")]
    [InlineData("colour=red", "colour")]
    [InlineData("attributeValue=gold", "attributeName")]
    [InlineData("agentId=nope", "agentId")]
    [InlineData("agentId=38FFAEA3C2B54CD6BCFBCCF2006C0800,", "agentId")]
    [InlineData("date=tomorrow", "date")]
    [InlineData("modificationDateEnd=2020-02-30T00:00:00Z", "modificationDateEnd")]
    [InlineData("externalId=*a*b*c*d*e*f*g*h*i", "wildcards")]
    [InlineData("includeScript=maybe", "includeScript")]
    [InlineData("limit=1&limit=2", "more than once")]
    public async Task A_bad_search_is_400_naming_the_parameter(string query, string contains)
    {
        await Setup();
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Get, $"/campaigns/{_campaign}/customers?{query}")), HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task An_unknown_campaign_is_404_and_a_malformed_one_400()
    {
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Get, $"/campaigns/{Guid.NewGuid():N}/customers")), HttpStatusCode.NotFound);
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Get, "/campaigns/123/customers")), HttpStatusCode.BadRequest, "campaignId");
    }
}
