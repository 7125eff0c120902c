
namespace Outdial.Server.Tests.Features;

public sealed class DncTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Entries_are_normalized_listed_and_deleted()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var created = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "07400 123456", country = "GB", reason = "asked", source = "agent" }), HttpStatusCode.Created);
        Assert.Equal("+447400123456", created.GetProperty("number").GetString());
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "+1 212 555 0100", campaignId, expires = DateTimeOffset.UtcNow.AddDays(30) }), HttpStatusCode.Created);
        // The same number again refreshes the entry instead of adding one.
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/dnc", new { number = "+447400123456", reason = "again" }), HttpStatusCode.Created);

        var all = await Fixtures.Get(client, "/api/v1/dnc");
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("again", (await Fixtures.Get(client, "/api/v1/dnc?number=%2B447400123456"))[0].GetProperty("reason").GetString());
        Assert.Equal(1, (await Fixtures.Get(client, $"/api/v1/dnc?campaignId={campaignId}")).GetArrayLength());

        var id = created.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/dnc/{id}")).StatusCode);
        Assert.Equal(1, (await Fixtures.Get(client, "/api/v1/dnc")).GetArrayLength());
    }

    [Theory]
    [InlineData("{\"number\":\"+44 12\"}", "Invalid number")]
    [InlineData("{\"number\":\"07400123456\"}", "region")]
    [InlineData("{}", "'number' is required")]
    [InlineData("{\"number\":\"+447400123456\",\"expires\":\"2001-01-01T00:00:00Z\"}", "expires")]
    public async Task Bad_entries_are_400(string body, string expected)
    {
        var client = _factory.Admin();
        await HttpAssert.Problem(await client.PostAsync("/api/v1/dnc", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, expected);
        Assert.Equal(0, (await Fixtures.Get(client, "/api/v1/dnc")).GetArrayLength());
    }

    [Fact]
    public async Task Bulk_csv_reports_each_row()
    {
        var client = _factory.Admin();
        var csv = "\uFEFFNumber;Reason;Country;Expires\n+44 7400 123456;asked;;\n0301234567;court order;DE;2099-01-01T00:00:00Z\nnope;x;;\n(212) 555-0100;;US;\n";
        var results = await HttpAssert.Ok<JsonElement>(await client.PostAsync("/api/v1/dnc/imports", new StringContent(csv, new UTF8Encoding(false), "text/csv")));
        Assert.Equal([201, 201, 400, 201], results.EnumerateArray().Select(r => r.GetProperty("statusCode").GetInt32()));
        var numbers = (await Fixtures.Get(client, "/api/v1/dnc")).EnumerateArray().Select(e => e.GetProperty("number").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "+447400123456", "+49301234567", "+12125550100" }, numbers);
    }

    /// <summary>JSON entries are read as a single entry is (unknown and repeated fields are errors), each on its own.</summary>
    [Fact]
    public async Task Bulk_json_reads_each_entry_as_the_api_reads_one()
    {
        var client = _factory.Admin();
        const string json = """
            [{"number":"+447400123456","reason":"asked"},
             {"number":"+447400123457","number":"+447400123458"},
             {"number":"+447400123459","colour":"red"},
             {"number":"+12125550100"}]
            """;
        var results = await HttpAssert.Ok<JsonElement>(await client.PostAsync("/api/v1/dnc/imports", new StringContent(json, Encoding.UTF8, "application/json")));
        var rows = results.EnumerateArray().ToArray();
        Assert.Equal([201, 400, 400, 201], rows.Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Contains("given twice", rows[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("unknown field", rows[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        var numbers = (await Fixtures.Get(client, "/api/v1/dnc")).EnumerateArray().Select(e => e.GetProperty("number").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "+447400123456", "+12125550100" }, numbers);
    }
}
