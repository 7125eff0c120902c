using System.Xml.Linq;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>/campaigns/{id}/customers: add one, add a list, get, delete and search, replaying the document's examples.</summary>
public sealed class SinchCustomersTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>The document's POST example, as given (with its extra closing brace).</summary>
    private const string DocumentPost = """
        {
        "attributes": {
        "attribute": [
        {
        "name": "City",
        "value": "New York"
        },
        {
        "name": "Classification",
        "value": "Gold"
        },
        {
        "name": "Address",
        "value": "StreetAddress10"
        },
        {
        "name": "First Name",
        "value": "Kathy"
        }
        ]
        },
        "externalId": "10",
        "numbers": "0215428754;98521542",
        "timeZone": "Europe/Helsinki"
        }
        }
        """;

    private const string DocumentPostXml = """
        <customer>
          <attributes>
            <attribute><name>City</name><value>New York</value></attribute>
            <attribute><name>Classification</name><value>Gold</value></attribute>
            <attribute><name>Address</name><value>StreetAddress10</value></attribute>
            <attribute><name>First Name</name><value>Kathy</value></attribute>
          </attributes>
          <externalId>10</externalId>
          <numbers>0215428754;98521542</numbers>
          <timeZone>Europe/Helsinki</timeZone>
        </customer>
        """;

    private static readonly (string Name, string Value)[] DocumentAttributes =
    [
        ("City", "New York"), ("Classification", "Gold"), ("Address", "StreetAddress10"), ("First Name", "Kathy"),
        ("Phone1", "0215428754"), ("Phone2", "98521542"),
    ];

    private async Task<string> Campaign(string region = "FI")
    {
        var (id, _) = await Fixtures.Campaign(_factory.Admin(), "Customers " + Guid.NewGuid().ToString("N"), new { defaultRegion = region });
        return id;
    }

    private async Task<string> Post(string campaignId, string body, string contentType = "application/json")
    {
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers", body, contentType, "text/html"));
        var id = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {id}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^[0-9A-F]{32}$", id);
        Assert.Equal($"{Base}/campaigns/{campaignId}/customers/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    [Fact]
    public async Task The_documents_POST_example_in_JSON_then_GET_answers_the_documents_customer()
    {
        var campaignId = await Campaign();
        var id = await Post(campaignId, DocumentPost);

        var customer = await Json(_factory.Admin(), $"/campaigns/{campaignId}/customers/{id}");

        Assert.Equal(id, customer.GetProperty("id").GetString());
        Assert.Equal("10", customer.GetProperty("externalId").GetString());
        Assert.Equal("0215428754;98521542", customer.GetProperty("numbers").GetString());
        Assert.Equal("Europe/Helsinki", customer.GetProperty("timeZone").GetString());
        Assert.Equal(0, customer.GetProperty("callCount").GetInt32());
        Assert.Equal(0, customer.GetProperty("lastBNumber").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$", customer.GetProperty("modificationDate").GetString());
        Assert.False(customer.TryGetProperty("result", out _)); // not called yet (the document's customer was: SUCCESS)
        var attributes = customer.GetProperty("attributes").GetProperty("attribute").EnumerateArray()
            .Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("value").GetString()!));
        Assert.Equal(DocumentAttributes, attributes);
    }

    [Fact]
    public async Task The_documents_POST_example_in_XML_then_GET_in_XML()
    {
        var campaignId = await Campaign();
        var id = await Post(campaignId, DocumentPostXml, "application/xml");

        var customer = await Xml(_factory.Admin(), $"/campaigns/{campaignId}/customers/{id}");

        Assert.Equal("customer", customer.Name.LocalName);
        Assert.Equal(id, (string?)customer.Element("id"));
        Assert.Equal("10", (string?)customer.Element("externalId"));
        Assert.Equal("0215428754;98521542", (string?)customer.Element("numbers"));
        var attributes = customer.Element("attributes")!.Elements("attribute").Select(a => ((string)a.Element("name")!, (string)a.Element("value")!));
        Assert.Equal(DocumentAttributes, attributes);

        var list = await Xml(_factory.Admin(), $"/campaigns/{campaignId}/customers");
        Assert.Equal("customers", list.Name.LocalName);
        Assert.Equal(id, (string?)Assert.Single(list.Elements("customer")).Element("id"));
    }

    [Fact]
    public async Task Numbers_win_over_phone_attributes_which_stand_in_when_numbers_are_missing()
    {
        var campaignId = await Campaign("GB");
        var client = _factory.Admin();
        var fromAttributes = await Post(campaignId, """{"attributes": [{"name": "Phone1", "value": "07400 123456"}, {"name": "phone2", "value": "+447400123457"}]}""");
        var fromNumbers = await Post(campaignId, """{"numbers": "+447400123458", "attributes": {"attribute": [{"name": "Phone1", "value": "+447400123459"}]}}""");

        Assert.Equal("07400 123456;+447400123457", (await Json(client, $"/campaigns/{campaignId}/customers/{fromAttributes}")).GetProperty("numbers").GetString());
        var customer = await Json(client, $"/campaigns/{campaignId}/customers/{fromNumbers}");
        Assert.Equal("+447400123458", customer.GetProperty("numbers").GetString());
        Assert.Equal([("Phone1", "+447400123458")], customer.GetProperty("attributes").GetProperty("attribute").EnumerateArray()
            .Select(a => (a.GetProperty("name").GetString(), a.GetProperty("value").GetString())));
        // A generated externalId when none is given.
        Assert.False(string.IsNullOrEmpty(customer.GetProperty("externalId").GetString()));
    }

    [Theory]
    [InlineData("""{"externalId": "x"}""", "Invalid numbers")]
    [InlineData("""{"numbers": "+number;"}""", "Invalid numbers: '+number;'")]
    [InlineData("""{"numbers": "+447400123456;+447400123457;+447400123458;+447400123459"}""", "at most 3")]
    [InlineData("""{"numbers": "+447400123456", "timeZone": "Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"numbers": "+447400123456", "agentId": "nope"}""", "agentId")]
    [InlineData("""{"numbers": "+447400123456", "attributes": {"colour": []}}""", "attribute")]
    public async Task An_invalid_customer_is_400_with_the_reason(string body, string reason)
    {
        var campaignId = await Campaign("GB");
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers", body)), HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task A_duplicate_externalId_is_refused_and_an_unknown_campaign_is_404()
    {
        var campaignId = await Campaign("GB");
        await Post(campaignId, """{"externalId": "007", "numbers": "+447400123456"}""");
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers", """{"externalId": "007", "numbers": "+447400123457"}""")),
            HttpStatusCode.Conflict, "Invalid externalId: 007 : Value is not unique");
        await Error(await _factory.Admin().SendAsync(Request(HttpMethod.Post, $"/campaigns/{Guid.NewGuid():N}/customers", """{"numbers": "+447400123457"}""")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_and_delete_one_customer_of_the_campaign_only()
    {
        var campaignId = await Campaign("GB");
        var other = await Campaign("GB");
        var id = await Post(campaignId, """{"numbers": "+447400123456"}""");
        var client = _factory.Admin();

        await Error(await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{other}/customers/{id}")), HttpStatusCode.NotFound);
        await Error(await client.SendAsync(Request(HttpMethod.Delete, $"/campaigns/{other}/customers/{id}")), HttpStatusCode.NotFound);
        await Error(await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{campaignId}/customers/not-an-id")), HttpStatusCode.BadRequest, "customerId");
        await Error(await client.SendAsync(Request(HttpMethod.Delete, $"/campaigns/{campaignId}/customers/not-an-id")), HttpStatusCode.BadRequest, "customerId");

        await NoContent(await client.SendAsync(Request(HttpMethod.Delete, $"/campaigns/{campaignId}/customers/{Guid.ParseExact(id, "N"):D}")));
        await Error(await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{campaignId}/customers/{id}")), HttpStatusCode.NotFound);
        await Error(await client.SendAsync(Request(HttpMethod.Delete, $"/campaigns/{campaignId}/customers/{id}")), HttpStatusCode.NotFound);
        var agent = await _factory.ClientFor("default", Role.agent);
        await Error(await agent.SendAsync(Request(HttpMethod.Post, $"/campaigns/{campaignId}/customers", """{"numbers": "+447400123456"}""", accept: "text/html")), HttpStatusCode.Forbidden);
    }
}
