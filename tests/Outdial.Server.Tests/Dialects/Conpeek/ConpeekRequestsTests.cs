using static Outdial.Server.Tests.Dialects.Conpeek.ConpeekTestKit;

namespace Outdial.Server.Tests.Dialects.Conpeek;

/// <summary>GET and POST /voice_campaign/{id}/request: the document's examples, ids, paging, exclude and every error status.</summary>
public sealed class ConpeekRequestsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_documents_curl_example_answers_the_campaigns_requests()
    {
        var id32 = await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        var created = await Create(client, DocumentCampaign, new
        {
            name = "Jan Kowalski",
            contact_number = "+48123123123",
            contact_identifier = "K-1",
            note = "call after 5",
            custom = new { city = "Kraków", vip = true },
            priority = 3,
            process_not_before = "2030-01-02 10:00:00",
        });

        // As the curl example sends it: the raw key, Content-Type application/json on a GET.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/voice_campaign/{DocumentCampaign}/request");
        request.Content = new StringContent("", Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var r = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(created.GetRawText(), r.GetRawText());
        Assert.Equal(32, r.GetProperty("id").GetString()!.Length);
        Assert.Equal(("Jan Kowalski", "+48123123123", "+48123123123", "K-1", "call after 5"), (r.GetProperty("name").GetString(),
            r.GetProperty("contact_number").GetString(), r.GetProperty("current_contact_number").GetString(),
            r.GetProperty("contact_identifier").GetString(), r.GetProperty("note").GetString()));
        Assert.Equal(("OPEN", "NEW", 0, 0, 3), (r.GetProperty("state").GetString(), r.GetProperty("application_state").GetString(),
            r.GetProperty("contact_try").GetInt32(), r.GetProperty("consultant_try").GetInt32(), r.GetProperty("priority").GetInt32()));
        Assert.Equal("2030-01-02 10:00:00", r.GetProperty("process_not_before").GetString());
        Assert.Equal(DocumentCampaign, r.GetProperty("voice_campaign_id").GetString());
        Assert.Equal("PREVIEW", r.GetProperty("dialing_method").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("close_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("closed_date").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("call_state").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("tenant_user_id").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", r.GetProperty("created_date").GetString());
        var custom = JsonDocument.Parse(r.GetProperty("custom").GetString()!).RootElement;
        Assert.Equal(("Kraków", "true"), (custom.GetProperty("city").GetString(), custom.GetProperty("vip").GetString()));
        Assert.Equal(["+48123123123"], r.GetProperty("contact_info").GetProperty("numbers").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["CREATED"], r.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Empty(r.GetProperty("call_history").EnumerateArray());
        Assert.Empty(r.GetProperty("dialogs").EnumerateArray());

        // The same record through the native API: same id, in the campaign whose id32 the document's id begins.
        var native = await Fixtures.Get(_factory.Admin(), $"/api/v1/records/{r.GetProperty("id").GetString()}");
        Assert.Equal("K-1", native.GetProperty("externalId").GetString());
        Assert.Contains(native.GetProperty("campaigns").EnumerateArray(), p => p.GetProperty("campaignId").GetString() == id32);
    }

    [Fact]
    public async Task The_documents_encoded_filter_example_and_its_list_form_find_the_number()
    {
        await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        // The campaign's numbers are Polish: 123123123 and +48123123123 are the same number.
        await Create(client, DocumentCampaign, new { contact_number = "123123123", contact_identifier = "match" });
        await Create(client, DocumentCampaign, new { contact_number = "+48123123123", contact_identifier = "national part" });
        await Create(client, DocumentCampaign, new { contact_number = "+48600123123", contact_identifier = "ends alike" });
        await Create(client, DocumentCampaign, new { contact_number = "555000111", contact_identifier = "other" });

        // Exactly the document's encoded value (encodeURI leaves ':' and ',').
        var encoded = await Requests(client, Url(DocumentCampaign, "?filter=%5B%7B%22property%22:%22contact_number%22,%22value%22:123123123%7D%5D"));
        Assert.Equal(["match", "national part"], Ids(encoded).Order());
        var list = await Requests(client, Url(DocumentCampaign, Filter(new[] { new { property = "contact_number", value = new[] { 123123123 } } })));
        Assert.Equal(["match", "national part"], Ids(list).Order());
        var two = await Requests(client, Url(DocumentCampaign, Filter(new[] { new { property = "contact_number", value = new object[] { "555000111", "+48123123123" } } })));
        Assert.Equal(["match", "national part", "other"], Ids(two).Order());
    }

    [Fact]
    public async Task The_documents_filter_example_created_date_gte()
    {
        await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        await Create(client, DocumentCampaign, new { contact_number = "+48123123123", contact_identifier = "A" });
        var example = """[{"property": "created_date", "operator": "gte", "value": "2021-08-10 00:00:00"}]""";
        Assert.Equal(["A"], Ids(await Requests(client, Url(DocumentCampaign, "?filter=" + Uri.EscapeDataString(example)))));
        Assert.Empty((await Requests(client, Url(DocumentCampaign, Filter(new[] { new { property = "created_date", @operator = "lte", value = "2021-08-10 00:00:00" } })))).EnumerateArray());
    }

    [Fact]
    public async Task Limit_and_offset_page_in_creation_order_and_limit_defaults_to_1000()
    {
        var (campaign, _) = await Fixtures.Campaign(_factory.Admin(), "Big");
        var tenant = await _factory.Store.EnsureTenantAsync("default", CancellationToken.None);
        var records = _factory.Services.GetRequiredService<Outdial.Engine.Operations.Records.RecordOperations>();
        var target = await records.TargetOfCampaignAsync(tenant, campaign, CancellationToken.None);
        var rows = Enumerable.Range(0, 1001).Select(i => new Outdial.Engine.Operations.Imports.SourceRow(i + 1,
            new Outdial.Engine.Records.RecordFields { ExternalId = $"R{i:D4}", Numbers = [$"+4474000{i:D5}"] }, null)).ToList();
        await records.CreateManyAsync(tenant, target, rows, atomic: true, CancellationToken.None);
        var client = Admin(_factory);
        var short24 = campaign[..24].ToLowerInvariant();

        var all = await Requests(client, Url(short24));
        Assert.Equal(1000, all.GetArrayLength());
        Assert.Equal("R0000", Ids(all).First());
        Assert.Equal(["R0010", "R0011", "R0012"], Ids(await Requests(client, Url(short24, "?limit=3&offset=10"))));
        Assert.Equal(["R1000"], Ids(await Requests(client, Url(short24, "?offset=1000"))));
        Assert.Equal(1001, (await Requests(client, Url(short24, "?limit=10000"))).GetArrayLength());
        Assert.Empty((await Requests(client, Url(short24, "?offset=5000"))).EnumerateArray());
    }

    [Theory]
    [InlineData("""["history"]""", false, true, true)]
    [InlineData("""["call_history", "dialogs"]""", true, false, false)]
    [InlineData("""["history", "call_history", "dialogs"]""", false, false, false)]
    [InlineData("[]", true, true, true)]
    public async Task Exclude_leaves_out_the_named_parts(string exclude, bool history, bool calls, bool dialogs)
    {
        await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        await Create(client, DocumentCampaign, new { contact_number = "+48123123123" });
        var r = Assert.Single((await Requests(client, Url(DocumentCampaign, "?exclude=" + Uri.EscapeDataString(exclude)))).EnumerateArray());
        Assert.Equal((history, calls, dialogs), (r.TryGetProperty("history", out _), r.TryGetProperty("call_history", out _), r.TryGetProperty("dialogs", out _)));
        Assert.True(r.TryGetProperty("consultant_try", out _));
    }

    [Fact]
    public async Task Campaign_ids_are_24_hex_digits_of_the_id32_and_the_id32_itself_is_taken()
    {
        var (campaign, _) = await Fixtures.Campaign(_factory.Admin(), "C");
        var client = Admin(_factory);
        var created = await Create(client, campaign, new { contact_number = "+48123123123" });
        Assert.Equal(campaign[..24].ToLowerInvariant(), created.GetProperty("voice_campaign_id").GetString());
        Assert.Equal(1, (await Requests(client, Url(campaign[..24]))).GetArrayLength()); // upper case too
        Assert.Equal(1, (await Requests(client, Url(created.GetProperty("voice_campaign_id").GetString()!))).GetArrayLength());
        await Error(await client.GetAsync(Url("000000000000000000000000")), HttpStatusCode.NotFound, "not found");
        await Error(await client.GetAsync(Url(Guid.NewGuid().ToString("N"))), HttpStatusCode.NotFound, "not found");
        foreach (var bad in new[] { "5b7c389f", "5b7c389fe8df7b60af68898g", "5b7c389fe8df7b60af6889890" })
            await Error(await client.GetAsync(Url(bad)), HttpStatusCode.BadRequest, "24 hex digits");
    }

    [Fact]
    public async Task Errors_401_403_404_405_in_the_dialects_shape()
    {
        await CreateDocumentCampaignAsync(_factory);
        await Error(await _factory.CreateClient().GetAsync(Url(DocumentCampaign)), HttpStatusCode.Unauthorized);
        await Error(await Raw(_factory, "not-a-key").GetAsync(Url(DocumentCampaign)), HttpStatusCode.Unauthorized);

        var agent = await ClientFor(_factory, "default", Role.agent);
        Assert.Equal(0, (await Requests(agent, Url(DocumentCampaign))).GetArrayLength());
        await Error(await agent.PostAsJsonAsync(Url(DocumentCampaign), new { data = new { contact_number = "+48123123123" } }), HttpStatusCode.Forbidden);

        // Another tenant's campaign does not exist for this key.
        var other = await ClientFor(_factory, "other");
        await Error(await other.GetAsync(Url(DocumentCampaign)), HttpStatusCode.NotFound, DocumentCampaign);
        await Error(await other.PostAsJsonAsync(Url(DocumentCampaign), new { data = new { contact_number = "+48123123123" } }), HttpStatusCode.NotFound);
        Assert.Equal(0, (await Requests(Admin(_factory), Url(DocumentCampaign))).GetArrayLength());

        await Error(await Admin(_factory).DeleteAsync(Url(DocumentCampaign)), HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("{}", "data")]
    [InlineData("""{"data": []}""", "data")]
    [InlineData("""{"data": {}}""", "contact_number")]
    [InlineData("""{"data": {"contact_number": ["1"]}}""", "contact_number")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "priority": "high"}}""", "priority")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "priority": 1.5}}""", "priority")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "process_not_before": "tomorrow"}}""", "process_not_before")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "custom": [1]}}""", "custom")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "custom": "not json"}}""", "custom")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "custom": {"a": {"b": 1}}}}""", "custom.a")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "custom": {"name": "x"}}}""", "custom.name")]
    [InlineData("""{"data": {"contact_number": "+48123123123", "name": {"first": "x"}}}""", "name")]
    [InlineData("""{"data": {"contact_number": "+48123123123",""", "not JSON")]
    public async Task A_bad_POST_body_is_400_naming_the_field(string body, string named)
    {
        await CreateDocumentCampaignAsync(_factory);
        var response = await Admin(_factory).PostAsync(Url(DocumentCampaign), new StringContent(body, Encoding.UTF8, "application/json"));
        await Error(response, HttpStatusCode.BadRequest, named);
    }

    [Fact]
    public async Task POST_takes_custom_as_a_JSON_string_ignores_fields_Conpeek_sets_and_refuses_a_duplicate_identifier()
    {
        await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        var r = await Create(client, DocumentCampaign, new { contact_number = 123123123, contact_identifier = "X", custom = """{"city": "Gdańsk"}""", state = "CLOSED", id = "abc" });
        Assert.Equal(("X", "OPEN"), (r.GetProperty("contact_identifier").GetString(), r.GetProperty("state").GetString()));
        Assert.Equal("Gdańsk", JsonDocument.Parse(r.GetProperty("custom").GetString()!).RootElement.GetProperty("city").GetString());
        await Error(await client.PostAsJsonAsync(Url(DocumentCampaign), new { data = new { contact_number = "+48123123124", contact_identifier = "X" } }), HttpStatusCode.Conflict);
        await Error(await client.PostAsJsonAsync(Url(DocumentCampaign), new { data = new { contact_number = "abc" } }), HttpStatusCode.BadRequest, "number");
    }
}
