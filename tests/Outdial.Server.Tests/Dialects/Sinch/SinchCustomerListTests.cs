using System.Xml.Linq;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>POST /campaigns/{id}/customers/list and the document's three answers to it.</summary>
public sealed class SinchCustomerListTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static string Person(string city, string classification, string first, string numbers, string? externalId = null) => $$"""
        {
        "attributes": {
        "attribute": [
        {"name": "City", "value": "{{city}}"},
        {"name": "Classification", "value": "{{classification}}"},
        {"name": "First Name", "value": "{{first}}"},
        {"name": "Last Name", "value": "Smith"}
        ]
        },
        {{(externalId is null ? "" : $"\"externalId\": \"{externalId}\",")}}
        "numbers": "{{numbers}}"
        }
        """;

    /// <summary>The document's request, as given: its five customers and their numbers.</summary>
    private static readonly string DocumentRequest = "[" + string.Join(",",
        Person("New York", "Gold", "Kathy", "+52145200;"), Person("New York", "Silver", "Bob", "+52145201;"),
        Person("London", "Gold", "John", "+52145202;"), Person("Helsinki", "Gold", "Keith", "+52145203;"),
        Person("New York", "Gold", "Kate", "+52145204;")) + "]";

    private static string Numbered(int count, Func<int, string> numbers, Func<int, string?>? externalId = null) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => Person("New York", "Gold", $"P{i}", numbers(i), externalId?.Invoke(i)))) + "]";

    private async Task<string> Campaign()
    {
        var (id, _) = await Fixtures.Campaign(_factory.Admin(), "List " + Guid.NewGuid().ToString("N"), new { defaultRegion = "GB" });
        return id;
    }

    private async Task<JsonElement[]> PostList(string campaignId, string body, bool? stop = null)
    {
        var query = stop is { } s ? $"?stopProcessIfInvalidEntriesFound={(s ? "true" : "false")}" : "";
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers/list{query}", body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
    }

    private async Task<int> Count(string campaignId) => (await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers?limit=1000")).GetArrayLength();

    /// <summary>Each item exactly {statusCode, id} or {statusCode, error}: nothing else, nothing missing.</summary>
    private static void AssertItem(JsonElement item, int status, string? error)
    {
        Assert.Equal(status, item.GetProperty("statusCode").GetInt32());
        if (status == 201) Assert.Matches("^[0-9A-F]{32}$", item.GetProperty("id").GetString());
        else Assert.False(item.TryGetProperty("id", out _));
        if (error is null) Assert.False(item.TryGetProperty("error", out _));
        else Assert.Equal(error, item.GetProperty("error").GetString());
        Assert.Equal(status == 201 || error is not null ? 2 : 1, item.EnumerateObject().Count());
    }

    [Fact]
    public async Task The_documents_request_as_given_adds_every_customer_keeping_numbers_its_region_rejects_flagged_and_undialed()
    {
        // +52 145200 is not a Mexican number (ten digits there), but it is written as a number, which is all OBI checks:
        // the customer is added, the number kept as sent, flagged invalid, and never dialed.
        var campaignId = await Campaign();
        var results = await PostList(campaignId, DocumentRequest);
        Assert.Equal(5, results.Length);
        foreach (var item in results) AssertItem(item, 201, null);
        var customers = await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers");
        Assert.Equal(["+52145200", "+52145201", "+52145202", "+52145203", "+52145204"],
            customers.EnumerateArray().Select(c => c.GetProperty("numbers").GetString()).Order(StringComparer.Ordinal));
        foreach (var item in results)
        {
            var record = await _factory.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/records/{item.GetProperty("id").GetString()}");
            var phone = Assert.Single(record.GetProperty("phones").EnumerateArray());
            Assert.True(phone.GetProperty("invalid").GetBoolean());
            Assert.Equal("impossible length for its region (MX)", phone.GetProperty("invalidReason").GetString());
        }
        var diagnostics = await _factory.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaignId}/diagnostics");
        Assert.Equal(0, diagnostics.GetProperty("callable").GetInt64());
        Assert.Equal(5, diagnostics.GetProperty("notCallable").GetProperty("InvalidNumbersOnly").GetInt64());
    }

    [Fact]
    public async Task Text_that_is_not_written_as_a_number_is_still_refused()
    {
        var campaignId = await Campaign();
        var results = await PostList(campaignId, Numbered(3, i => i == 1 ? "+number;" : i == 2 ? "12;" : $"+4474001234{i:00};"));
        AssertItem(results[0], 201, null);
        AssertItem(results[1], 400, "Invalid numbers: '+number;'");
        AssertItem(results[2], 400, "Invalid numbers: '12;'");
    }

    [Fact]
    public async Task All_customers_added()
    {
        var campaignId = await Campaign();
        var results = await PostList(campaignId, Numbered(10, i => $"+4474001234{i:00};"));
        Assert.Equal(10, results.Length);
        foreach (var item in results) AssertItem(item, 201, null);
        Assert.Equal(10, results.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(10, await Count(campaignId));
        var first = await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers/{results[0].GetProperty("id").GetString()}");
        Assert.Equal("+447400123400;", first.GetProperty("numbers").GetString() + ";");
    }

    [Fact]
    public async Task Validation_failure_without_stopping_adds_the_others()
    {
        var campaignId = await Campaign();
        var results = await PostList(campaignId, Numbered(8, i => i == 3 ? "+number;" : $"+4474001234{i:00};"), stop: false);
        int[] expected = [201, 201, 201, 400, 201, 201, 201, 201];
        for (var i = 0; i < 8; i++) AssertItem(results[i], expected[i], i == 3 ? "Invalid numbers: '+number;'" : null);
        Assert.Equal(7, await Count(campaignId));
    }

    [Fact]
    public async Task Validation_failure_with_stopping_adds_none()
    {
        var campaignId = await Campaign();
        await PostList(campaignId, Numbered(1, _ => "+447400123499", _ => "007"));
        var results = await PostList(campaignId, Numbered(10, i => $"+4474001234{i:00}", i => i is 5 or 7 ? "007" : null), stop: true);
        for (var i = 0; i < 10; i++)
            AssertItem(results[i], i is 5 or 7 ? 400 : 200, i is 5 or 7 ? "Invalid externalId: 007 : Value is not unique" : null);
        Assert.Equal(1, await Count(campaignId));
    }

    [Fact]
    public async Task A_duplicate_within_the_list_fails_the_second_one()
    {
        var campaignId = await Campaign();
        var results = await PostList(campaignId, Numbered(3, i => $"+4474001234{i:00}", i => i == 0 ? null : "dup"));
        AssertItem(results[0], 201, null);
        AssertItem(results[1], 201, null);
        AssertItem(results[2], 400, "Invalid externalId: dup : Value is not unique");
    }

    [Fact]
    public async Task The_list_in_XML_answers_in_XML()
    {
        var campaignId = await Campaign();
        const string body = """
            <customers>
              <customer><numbers>+447400123401</numbers><attributes><attribute><name>City</name><value>London</value></attribute></attributes></customer>
              <customer><numbers>+number;</numbers></customer>
            </customers>
            """;
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers/list", body, "application/xml", "application/xml"));
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = xml.Elements("result").ToArray();
        Assert.Equal(("201", "400"), ((string)items[0].Element("statusCode")!, (string)items[1].Element("statusCode")!));
        Assert.Matches("^[0-9A-F]{32}$", (string)items[0].Element("id")!);
        Assert.Equal("Invalid numbers: '+number;'", (string)items[1].Element("error")!);
    }

    [Theory]
    [InlineData("?stopProcessIfInvalidEntriesFound=maybe", "[]", "stopProcessIfInvalidEntriesFound")]
    [InlineData("", "{\"numbers\": \"+447400123401\"}", "")]
    [InlineData("", "[{\"numbers\": 5}]", "numbers")]
    public async Task A_bad_list_request_is_400(string query, string body, string contains)
    {
        var campaignId = await Campaign();
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers/list{query}", body)), HttpStatusCode.BadRequest, contains);
        Assert.Equal(0, await Count(campaignId));
    }

    [Fact]
    public async Task A_null_item_fails_alone()
    {
        var campaignId = await Campaign();
        var results = await PostList(campaignId, """[null, {"numbers": "+447400123401"}]""");
        AssertItem(results[0], 400, "a customer is null");
        AssertItem(results[1], 201, null);
    }
    /// <summary>Customers with a 3,900-character attribute each: 2,800 of them make a body over the 10 MiB request limit.</summary>
    private static string Padded(int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{"externalId": "big{{i}}", "numbers": "+447400{{i:000000}}", "attributes": [{"name": "Notes", "value": "{{new string('x', 3900)}}"}]}""")) + "]";

    [Fact]
    public async Task A_list_over_the_request_limit_is_added_whole()
    {
        var campaignId = await Campaign();
        var body = Padded(2800);
        Assert.True(Encoding.UTF8.GetByteCount(body) > 10 * 1024 * 1024);
        var results = await PostList(campaignId, body);
        Assert.Equal(2800, results.Length);
        foreach (var item in results) AssertItem(item, 201, null);
        Assert.Single((await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers?offset=2799&limit=1")).EnumerateArray());
        Assert.Equal(0, (await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers?offset=2800")).GetArrayLength());
        var last = (await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers?externalId=big2799")).EnumerateArray().Single();
        Assert.Equal(3900, last.GetProperty("attributes").GetProperty("attribute").EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "Notes").GetProperty("value").GetString()!.Length);
    }

    [Fact]
    public async Task A_large_list_malformed_at_its_end_adds_none()
    {
        var campaignId = await Campaign();
        var body = Padded(2800)[..^1] + ",{\"numbers\": }]";
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers/list", body)), HttpStatusCode.BadRequest);
        Assert.Equal(0, await Count(campaignId));
    }

    [Fact]
    public async Task An_XML_list_over_the_request_limit_is_413_and_says_to_send_JSON()
    {
        var campaignId = await Campaign();
        var body = "<customers>" + string.Concat(Enumerable.Range(0, 2800).Select(i =>
            $"<customer><numbers>+447400{i:000000}</numbers><attributes><attribute><name>Notes</name><value>{new string('x', 3900)}</value></attribute></attributes></customer>")) + "</customers>";
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers/list", body, "application/xml", "application/xml"));
        Assert.Contains("send a larger list as JSON", await Error(response, HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(0, await Count(campaignId));
    }
}
