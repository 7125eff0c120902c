using System.Xml.Linq;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>GET/PUT /campaigns, the status, and the campaign search, replaying the document's examples.</summary>
public sealed class SinchCampaignsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>The document's PUT example, as given (with its trailing comma).</summary>
    private const string DocumentPut = """
        {
        "endDate": "2021-02-20T22:00:00Z",
        "startDate": "2020-12-20T22:00:00Z",
        "dialingMode": "PREDICTIVE",
        "name": "Test Campaign",
        "timeZone": "Europe/Berlin",
        "queueId": "63AA93F493A54C5A8597FCFA670B2382",
        }
        """;

    private const string DocumentPutXml = """
        <campaign>
          <endDate>2021-02-20T22:00:00Z</endDate>
          <startDate>2020-12-20T22:00:00Z</startDate>
          <dialingMode>PREDICTIVE</dialingMode>
          <name>Test Campaign</name>
          <timeZone>Europe/Berlin</timeZone>
          <queueId>63AA93F493A54C5A8597FCFA670B2382</queueId>
        </campaign>
        """;

    private async Task<string> QueueDialerCampaign(string name = "Before")
    {
        var (id, _) = await Fixtures.Campaign(_factory.Admin(), name, new { dialerType = "QueueDialer", retryCount = 5, remarks = "old remarks" });
        return id;
    }

    /// <summary>The fields of the document's GET example (campaign 8A7C98EA…) a PUT of its PUT example sets, or that follow
    /// from it; counts are this store's (no customers yet), ids and times generated.</summary>
    private static readonly (string Field, string Value)[] Expected =
    [
        ("name", "Test Campaign"), ("dialerName", "Queue Dialer"), ("dialerType", "QueueDialer"), ("endDate", "2021-02-20T22:00:00Z"),
        ("startDate", "2020-12-20T22:00:00Z"), ("dialerStatus", "PASSIVE"), ("dialingMode", "PREDICTIVE"), ("timeZone", "Europe/Berlin"),
        ("queueId", QueueId), ("status", "Passive"), ("queueName", "Test Queue"),
        ("total", "0"), ("handled", "0"), ("notHandled", "0"), ("callable", "0"), ("maxCalls", "0"), ("filtered", "0"),
    ];

    [Fact]
    public async Task The_documents_PUT_example_in_JSON_then_GET_answers_the_documents_campaign()
    {
        await CreateDocumentQueueAsync(_factory);
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();

        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", DocumentPut)));

        var campaign = await Json(client, $"/campaigns/{id}");
        foreach (var (field, value) in Expected)
        {
            var property = campaign.GetProperty(field);
            Assert.Equal(value, property.ValueKind == JsonValueKind.Number ? property.GetRawText() : property.GetString());
        }
        Assert.Equal(id, campaign.GetProperty("id").GetString());
        Assert.Matches("^[0-9A-F]{32}$", campaign.GetProperty("dialerId").GetString());
        Assert.Equal(campaign.GetProperty("dialerId").GetString(), campaign.GetProperty("dialer").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$", campaign.GetProperty("registered").GetString());
        Assert.Equal(0, campaign.GetProperty("loggedOn").GetInt32());
        Assert.Equal(1.0, campaign.GetProperty("abandonRate").GetDouble());
        Assert.False(campaign.TryGetProperty("remarks", out _)); // replaced: not in the PUT
        Assert.False(campaign.TryGetProperty("stats", out _));

        // Settings OBI has no name for stay as they were.
        var native = await Fixtures.Get(client, $"/api/v1/campaigns/{id}");
        Assert.Equal(5, native.GetProperty("retryCount").GetInt32());
    }

    [Fact]
    public async Task The_documents_PUT_example_in_XML_then_GET_in_XML()
    {
        await CreateDocumentQueueAsync(_factory);
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();

        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", DocumentPutXml, "application/xml", "application/xml")));

        var campaign = await Xml(client, $"/campaigns/{id}");
        Assert.Equal("campaign", campaign.Name.LocalName);
        foreach (var (field, value) in Expected) Assert.Equal(value, (string?)campaign.Element(field));
        Assert.Equal(id, (string?)campaign.Element("id"));
        Assert.Null(campaign.Element("remarks"));

        var list = await Xml(client, "/campaigns");
        Assert.Equal("campaigns", list.Name.LocalName);
        Assert.Equal(id, (string?)Assert.Single(list.Elements("campaign")).Element("id"));
    }

    [Fact]
    public async Task A_campaign_read_can_be_PUT_back_unchanged()
    {
        await CreateDocumentQueueAsync(_factory);
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();
        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", DocumentPut)));
        var read = await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{id}"));
        var body = await read.Content.ReadAsStringAsync();

        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", body)));

        var again = await Json(client, $"/campaigns/{id}");
        foreach (var (field, value) in Expected)
        {
            var property = again.GetProperty(field);
            Assert.Equal(value, property.ValueKind == JsonValueKind.Number ? property.GetRawText() : property.GetString());
        }
    }

    [Theory]
    [InlineData("""{"dialingMode": "PREVIEW"}""", "'name' is required")]
    [InlineData("""{"name": "x", "dialingMode": "TURBO"}""", "dialingMode")]
    [InlineData("""{"name": "x", "abandonRate": 2.5}""", "abandonRate")]
    [InlineData("""{"name": "x", "queueId": "nope"}""", "queueId")]
    [InlineData("""{"name": "x", "timeZone": "Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"name": "x", "startDate": "yesterday"}""", "startDate")]
    [InlineData("""{"name": "x", "startDate": "2021-02-20T22:00:00Z", "endDate": "2020-12-20T22:00:00Z"}""", "endDate")]
    public async Task An_invalid_PUT_is_400_naming_the_field(string body, string field)
    {
        var id = await QueueDialerCampaign();
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", body)), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_queue_the_tenant_does_not_have_is_refused_and_nothing_changes()
    {
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();
        var response = await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", DocumentPut)); // its queue does not exist here
        await Error(response, HttpStatusCode.UnprocessableEntity, $"queue '{QueueId}' does not exist");
        Assert.Equal("Before", (await Json(client, $"/campaigns/{id}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("name=Before", "name")]
    [InlineData("statistics=true&status=Active", "status")]
    public async Task One_campaign_takes_only_the_statistics_parameters(string query, string contains)
    {
        var id = await QueueDialerCampaign();
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Get, $"/campaigns/{id}?{query}")), HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task Status_takes_text_plain_Active_or_Passive()
    {
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();

        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}/status", "Active", "text/plain")));
        var active = await Json(client, $"/campaigns/{id}");
        Assert.Equal(("Active", "OPEN"), (active.GetProperty("status").GetString(), active.GetProperty("dialerStatus").GetString()));

        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}/status", "<status>Passive</status>", "application/xml")));
        Assert.Equal("Passive", (await Xml(client, $"/campaigns/{id}")).Element("status")!.Value);

        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}/status", "Handled", "text/plain")), HttpStatusCode.BadRequest, "Active or Passive");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}/status", "", "text/plain")), HttpStatusCode.BadRequest, "Active or Passive");
    }

    [Fact]
    public async Task Active_after_the_end_date_is_a_conflict()
    {
        await CreateDocumentQueueAsync(_factory);
        var id = await QueueDialerCampaign();
        var client = _factory.Admin();
        await NoContent(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}", DocumentPut))); // ended 2021

        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{id}/status", "Active", "text/plain")), HttpStatusCode.Conflict, "endDate");
    }

    private async Task<(string Test, string Preview, string Other)> ThreeCampaigns()
    {
        await CreateDocumentQueueAsync(_factory);
        var admin = _factory.Admin();
        var (test, _) = await Fixtures.Campaign(admin, "Test Campaign", new
        {
            dialerType = "QueueDialer",
            dialingMode = "PREDICTIVE",
            queueId = QueueId,
            timeZone = "Europe/Berlin",
            startDate = "2020-12-20T22:00:00Z",
            endDate = "2031-02-20T22:00:00Z",
            customIvrNumber = "+358401234567",
        });
        var (preview, _) = await Fixtures.Campaign(admin, "Test Preview Campaign", new { dialingMode = "PREVIEW", queueId = QueueId });
        var (other, _) = await Fixtures.Campaign(admin, "Other", new { dialingMode = "PROGRESSIVE", startDate = "2022-06-01T00:00:00Z", timeZone = "Europe/Helsinki" });
        await Fixtures.Record(admin, other, new { numbers = "+358401234567" });
        await NoContent(await admin.SendAsync(Request(HttpMethod.Put, $"/campaigns/{preview}/status", "Active", "text/plain")));
        return (test, preview, other);
    }

    [Theory]
    [InlineData("name=Test%20Campaign", "T")]
    [InlineData("name=Test*", "TP")]
    [InlineData("name=test*", "TP")]
    [InlineData("name=*Campaign", "TP")]
    [InlineData("name=?ther", "O")]
    [InlineData("name=*e*", "TPO")]
    [InlineData("name=Test", "")]
    [InlineData("dialingMode=PRE*", "TP")]
    [InlineData("dialingMode=PROGRESSIVE", "O")]
    [InlineData("status=Active", "P")]
    [InlineData("status=Passive,Active", "TPO")]
    [InlineData("status=Pass*", "TO")]
    [InlineData("dialerStatus=OPEN", "P")]
    [InlineData("dialerName=Queue*", "T")]
    [InlineData("dialerName=Campaign%20Dialer", "PO")]
    [InlineData("queueName=Test%20Queue", "TP")]
    [InlineData("queueId=63AA93F493A54C5A8597FCFA670B2382", "TP")]
    [InlineData("queueId=63aa93f4-93a5-4c5a-8597-fcfa670b2382", "TP")]
    [InlineData("customIvrNumber=%2B358*", "T")]
    [InlineData("total=1", "O")]
    [InlineData("total=?", "TPO")]
    [InlineData("handled=0", "TPO")]
    [InlineData("maxCalls=0&filtered=0", "TPO")]
    [InlineData("timeZone=Europe/*", "TO")]
    [InlineData("startDate=2021-01-01T00:00:00Z", "O")]
    [InlineData("startDateEnd=2021-01-01T00:00:00.000Z", "T")]
    [InlineData("startDate=2020-12-20T22:00:00Z&startDateEnd=2020-12-20T22:00:00Z", "T")]
    [InlineData("endDate=2030-01-01T00:00:00Z", "T")]
    [InlineData("endDateEnd=2030-01-01T00:00:00Z", "")]
    [InlineData("registered=2000-01-01T00:00:00Z", "TPO")]
    [InlineData("registeredEnd=2000-01-01T00:00:00Z", "")]
    [InlineData("name=Test*&status=Passive", "T")]
    public async Task Search_by_field_with_wildcards_ids_and_ranges(string query, string expected)
    {
        var (test, preview, other) = await ThreeCampaigns();
        var names = new Dictionary<string, char> { [test] = 'T', [preview] = 'P', [other] = 'O' };

        var found = (await Json(_factory.Admin(), "/campaigns?" + query)).EnumerateArray().Select(c => names[c.GetProperty("id").GetString()!]);

        Assert.Equal(expected.Order(), found.Order());
    }

    [Theory]
    [InlineData("queueId=63AA*", "queueId")]
    [InlineData("dialerId=nope", "dialerId")]
    [InlineData("colour=red", "colour")]
    [InlineData("startDate=yesterday", "startDate")]
    [InlineData("registeredEnd=2020-13-01T00:00:00Z", "registeredEnd")]
    [InlineData("name=*a*b*c*d*e*f*g*h*i*", "wildcards")]
    [InlineData("name=a&name=b", "more than once")]
    [InlineData("statistics=yes", "statistics")]
    [InlineData("statisticsDate=2023-05-16T00:00:00Z", "needs statistics=true")]
    [InlineData("agentId=38FFAEA3C2B54CD6BCFBCCF2006C0800", "needs statistics=true")]
    [InlineData("statistics=true&statisticsDate=2023-05-16T10:00:00Z", "whole UTC day")]
    [InlineData("statistics=true&agentId=38FFAEA3C2B54CD6BCFBCCF2006C0800,x", "agentId")]
    public async Task A_bad_search_is_400_naming_the_parameter(string query, string contains)
    {
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Get, "/campaigns?" + query)), HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task The_dialer_id_searched_is_the_one_answered()
    {
        var (test, _, _) = await ThreeCampaigns();
        var client = _factory.Admin();
        var dialerId = (await Json(client, $"/campaigns/{test}")).GetProperty("dialerId").GetString();
        var found = (await Json(client, $"/campaigns?dialerId={dialerId}")).EnumerateArray().Select(c => c.GetProperty("id").GetString());
        Assert.Equal([test], found);
    }

    [Fact]
    public async Task Statistics_of_campaigns_that_never_ran_are_left_out_and_agents_without_work_find_no_campaign()
    {
        await ThreeCampaigns();
        var client = _factory.Admin();
        var all = await Json(client, "/campaigns?statistics=true&statisticsDate=2023-05-16T00:00:00Z");
        Assert.Equal(3, all.GetArrayLength());
        Assert.All(all.EnumerateArray(), c => Assert.False(c.TryGetProperty("stats", out _)));
        Assert.Empty((await Json(client, "/campaigns?statistics=true&agentId=38FFAEA3C2B54CD6BCFBCCF2006C0800,6B818C08D6B543ED8A1FDB45D8BC173F")).EnumerateArray());
    }
}
