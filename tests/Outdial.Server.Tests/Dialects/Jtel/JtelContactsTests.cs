using static Outdial.Server.Tests.Dialects.Jtel.JtelTestKit;

namespace Outdial.Server.Tests.Dialects.Jtel;

/// <summary>jtel's contact functions, replaying the document's examples, by ID and by UserData, under both bases.</summary>
public sealed class JtelContactsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static readonly string[] ExampleOrder =
    [
        "RandomSortOrder", "UserData", "Client", "Service", "ReferenceNumber", "Name", "FirstName", "Salutation", "Title", "Company",
        "Address", "PostalCode", "City", "Country", "AccountOwner", "AccountBank", "AccountNationalBankCode", "AccountBIC",
        "AccountNumber", "AccountIBAN", "Amount", "PhoneNumber1", "PhoneNumber2", "PhoneNumber3", "PhoneNumber4", "PhoneNumber5",
        "PhoneNumber6", "FaxNumber", "Email", "Website", "Comment", "ReservedUsersUID", "FollowUpUsersUID", "FollowUpDateTime",
        "dtBeginDate", "dtEndDate", "Manufacturer", "Model", "Tag", "ExternalSystemLink",
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task The_documents_import_examples_answer_the_contact_with_every_field_in_the_examples_order(int b)
    {
        var campaign = await CampaignAsync(_factory, "My Campaign Name");
        var admin = _factory.Admin();
        var byId = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{Bases[b]}/contacts/import?overwriteDuplicates=false",
            DocumentImport($"\"DiallerCampaignsID\": {campaign}")));
        Assert.Equal(campaign, byId.GetProperty("DiallerCampaignsID").GetInt64());
        Assert.Equal("My Campaign Name", byId.GetProperty("DiallerCampaignsName").GetString());
        var names = byId.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(ExampleOrder, names.Where(ExampleOrder.Contains));
        foreach (var name in ExampleOrder.Where(n => n is not ("RandomSortOrder" or "Amount" or "FollowUpDateTime" or "dtBeginDate" or "dtEndDate" or "UserData" or "ExternalSystemLink")))
            Assert.Equal(name, byId.GetProperty(name).GetString());
        Assert.Equal("testUserData", byId.GetProperty("UserData").GetString());
        Assert.Equal("http://test.external.link/", byId.GetProperty("ExternalSystemLink").GetString());
        Assert.Equal(0m, byId.GetProperty("Amount").GetDecimal());
        Assert.Equal(JsonValueKind.Null, byId.GetProperty("RandomSortOrder").ValueKind);
        Assert.Equal("2020-01-01T00:00:00", byId.GetProperty("dtBeginDate").GetString());
        // The example's numbers are placeholders: kept, and flagged invalid (never dialed).
        for (var n = 1; n <= 6; n++)
        {
            Assert.True(byId.GetProperty($"bPhoneNumber{n}Invalid").GetBoolean());
            Assert.Equal(0, byId.GetProperty($"nTriesPhoneNumber{n}").GetInt32());
            Assert.Equal(JsonValueKind.Null, byId.GetProperty($"nPhoneNumber{n}LastCause").ValueKind);
            Assert.Equal(JsonValueKind.Null, byId.GetProperty($"PhoneNumber{n}LastAcdAgentEndReasonsID").ValueKind);
        }
        Assert.Equal(JsonValueKind.Null, byId.GetProperty("bLastResultMailbox").ValueKind);
        Assert.Equal(JsonValueKind.Null, byId.GetProperty("dtNextTry").ValueKind);
        Assert.False(byId.GetProperty("bLocked").GetBoolean());

        // By name: a second contact (another UserData), in the same campaign.
        var byName = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{Bases[b]}/contacts/import?overwriteDuplicates=false",
            DocumentImport("\"DiallerCampaignsName\": \"My Campaign Name\"").Replace("testUserData", "other", StringComparison.Ordinal)));
        Assert.Equal(campaign, byName.GetProperty("DiallerCampaignsID").GetInt64());
        Assert.NotEqual(byId.GetProperty("ID").GetInt64(), byName.GetProperty("ID").GetInt64());
    }

    [Fact]
    public async Task A_duplicate_UserData_answers_the_existing_contact_overwritten_only_when_asked()
    {
        var campaign = await CampaignAsync(_factory, "c");
        var admin = _factory.Admin();
        var body = $$"""{"DiallerCampaignsID": {{campaign}}, "UserData": "u1", "Name": "First", "PhoneNumber2": "+4930123456"}""";
        var first = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/dialler/contacts/import?overwriteDuplicates=false", body));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("PhoneNumber1").ValueKind);
        Assert.Equal("+4930123456", first.GetProperty("PhoneNumber2").GetString());
        Assert.False(first.GetProperty("bPhoneNumber2Invalid").GetBoolean());

        var again = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/dialler/contacts/import?overwriteDuplicates=false", body.Replace("First", "Second", StringComparison.Ordinal)));
        Assert.Equal(first.GetProperty("ID").GetInt64(), again.GetProperty("ID").GetInt64());
        Assert.Equal("First", again.GetProperty("Name").GetString());

        var overwritten = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/dialler/contacts/import?overwriteDuplicates=true", body.Replace("First", "Second", StringComparison.Ordinal)));
        Assert.Equal(first.GetProperty("ID").GetInt64(), overwritten.GetProperty("ID").GetInt64());
        Assert.Equal("Second", overwritten.GetProperty("Name").GetString());
        Assert.Single(await RecordsAsync(admin, HttpMethod.Get, $"/dialler/contacts?diallerCampaignsID={campaign}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Every_function_by_ID_and_by_UserData(int b)
    {
        var basePath = Bases[b];
        var campaign = await CampaignAsync(_factory, "c");
        var other = await CampaignAsync(_factory, "other");
        var admin = _factory.Admin();
        async Task<JsonElement> Import(long c, string userData, string name) => Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/import",
            $$"""{"DiallerCampaignsID": {{c}}, "UserData": "{{userData}}", "Name": "{{name}}", "PhoneNumber1": "+4930123456", "City": "Berlin"}"""));
        var a = await Import(campaign, "shared", "A");
        var b2 = await Import(other, "shared", "B");
        var c3 = await Import(campaign, "own", "C");
        var (ida, idb, idc) = (a.GetProperty("ID").GetInt64(), b2.GetProperty("ID").GetInt64(), c3.GetProperty("ID").GetInt64());

        // Lists: all, and of one campaign, with jtel's list fields.
        var (_, list) = await SendAsync(admin, HttpMethod.Get, $"{basePath}/contacts");
        Assert.Equal(3, list.GetProperty("count").GetInt32());
        Assert.Equal(("", 0, -1, "ID", true), (list.GetProperty("filter").GetString(), list.GetProperty("limitStart").GetInt32(),
            list.GetProperty("limitPageSize").GetInt32(), list.GetProperty("orderBy").GetString(), list.GetProperty("ascending").GetBoolean()));
        Assert.Equal([ida, idc], (await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts?diallerCampaignsID={campaign}")).Select(r => r.GetProperty("ID").GetInt64()));
        Assert.Equal([idc], (await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts?limitStart=2&limitPageSize=5")).Select(r => r.GetProperty("ID").GetInt64()));

        // Get by ID; by UserData all matches.
        Assert.Equal("A", Assert.Single(await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/{ida}")).GetProperty("Name").GetString());
        Assert.Equal([ida, idb], (await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/contact?userData=SHARED")).Select(r => r.GetProperty("ID").GetInt64()));

        // Update: by ID (every field it names), by UserData partially (the first match).
        var updated = Assert.Single(await RecordsAsync(admin, HttpMethod.Put, $"{basePath}/contacts/contact",
            $$"""{"ID": {{idc}}, "Name": "C2", "PhoneNumber3": "+4930999999", "City": null}"""));
        Assert.Equal(("C2", "+4930123456", "+4930999999"), (updated.GetProperty("Name").GetString(), updated.GetProperty("PhoneNumber1").GetString(), updated.GetProperty("PhoneNumber3").GetString()));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("City").ValueKind);
        var partial = Assert.Single(await RecordsAsync(admin, HttpMethod.Put, $"{basePath}/contacts/contact", """{"UserData": "shared", "Company": "ACME"}"""));
        Assert.Equal((ida, "A", "ACME", "Berlin"), (partial.GetProperty("ID").GetInt64(), partial.GetProperty("Name").GetString(), partial.GetProperty("Company").GetString(), partial.GetProperty("City").GetString()));

        // Lock, unlock, reset: by ID and by UserData (the first match).
        Assert.True(Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/{idc}/lock")).GetProperty("bLocked").GetBoolean());
        Assert.False(Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/{idc}/unlock")).GetProperty("bLocked").GetBoolean());
        var lockedByUserData = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/lock?userData=shared"));
        Assert.Equal(ida, lockedByUserData.GetProperty("ID").GetInt64());
        Assert.True(lockedByUserData.GetProperty("bLocked").GetBoolean());
        Assert.False(Assert.Single(await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/{idb}")).GetProperty("bLocked").GetBoolean());
        Assert.False(Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/unlock?userData=shared")).GetProperty("bLocked").GetBoolean());
        Assert.Equal(0, Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/{idc}/reset")).GetProperty("nTriesPhoneNumber1").GetInt32());
        Assert.Equal(ida, Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"{basePath}/contacts/contact/reset?userData=shared")).GetProperty("ID").GetInt64());

        // History (no calls yet), by ID and by UserData.
        Assert.Empty(await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/contact/{ida}/history"));
        Assert.Empty(await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/contact/history?userData=shared"));

        // Delete by ID, then by UserData (the first match), each then 404.
        Assert.Empty(await RecordsAsync(admin, HttpMethod.Delete, $"{basePath}/contacts/contact/{idc}"));
        await ErrorAsync(admin, HttpMethod.Get, $"{basePath}/contacts/{idc}", HttpStatusCode.NotFound, $"dialler contact {idc}");
        await ErrorAsync(admin, HttpMethod.Delete, $"{basePath}/contacts/contact/{idc}", HttpStatusCode.NotFound);
        Assert.Empty(await RecordsAsync(admin, HttpMethod.Delete, $"{basePath}/contacts/contact?userData=shared"));
        Assert.Equal([idb], (await RecordsAsync(admin, HttpMethod.Get, $"{basePath}/contacts/contact?userData=shared")).Select(r => r.GetProperty("ID").GetInt64()));
    }

    [Fact]
    public async Task Every_error_status_the_functions_answer()
    {
        var campaign = await CampaignAsync(_factory, "c");
        var admin = _factory.Admin();
        var valid = $$"""{"DiallerCampaignsID": {{campaign}}, "UserData": "u", "Name": "N", "PhoneNumber1": "+4930123456"}""";
        var id = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/dialler/contacts/import", valid)).GetProperty("ID").GetInt64();

        // 400: mandatory fields, unknown fields, wrong types, malformed JSON and parameters.
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "Name", $$"""{"DiallerCampaignsID": {{campaign}}, "PhoneNumber1": "+4930123456"}""");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "PhoneNumber1", $$"""{"DiallerCampaignsID": {{campaign}}, "Name": "N"}""");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "DiallerCampaignsID", """{"Name": "N", "PhoneNumber1": "1"}""");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "unknown field 'Nmae'", valid.Replace("\"Name\"", "\"Nmae\"", StringComparison.Ordinal));
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "'DiallerCampaignsID' must be an integer", """{"DiallerCampaignsID": "x", "Name": "N", "PhoneNumber1": "1"}""");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "dtBeginDate", valid.Replace("}", ", \"dtBeginDate\": \"soon\"}", StringComparison.Ordinal));
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.BadRequest, "not JSON", "{");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import?overwriteDuplicates=maybe", HttpStatusCode.BadRequest, "overwriteDuplicates", valid);
        await ErrorAsync(admin, HttpMethod.Put, "/dialler/contacts/contact", HttpStatusCode.BadRequest, "ID or UserData", """{"Name": "N"}""");
        await ErrorAsync(admin, HttpMethod.Get, "/dialler/contacts/abc", HttpStatusCode.BadRequest, "DiallerContactsID");
        await ErrorAsync(admin, HttpMethod.Get, "/dialler/contacts/contact", HttpStatusCode.BadRequest, "userData");
        await ErrorAsync(admin, HttpMethod.Get, "/dialler/contacts?diallerCampaignsID=x", HttpStatusCode.BadRequest, "diallerCampaignsID");

        // 401 without a key or with an unknown one; 403 for another tenant's ClientsID or a key that may not write.
        await ErrorAsync(_factory.CreateClient(), HttpMethod.Get, $"/dialler/contacts/{id}", HttpStatusCode.Unauthorized, "no API key");
        await ErrorAsync(_factory.CreateClient(), HttpMethod.Get, $"/rest/v1.0/default/dialler/contacts/{id}", HttpStatusCode.Unauthorized);
        await ErrorAsync(admin, HttpMethod.Get, $"/rest/v1.0/someoneelse/dialler/contacts/{id}", HttpStatusCode.Forbidden, "ClientsID");
        var agent = await _factory.ClientFor("default", Role.agent);
        await ErrorAsync(agent, HttpMethod.Post, $"/dialler/contacts/contact/{id}/lock", HttpStatusCode.Forbidden);

        // 404: a missing contact (by ID and by UserData, for every function), campaign, function or URL; and in another tenant.
        foreach (var (method, url) in new[]
        {
            (HttpMethod.Get, "/dialler/contacts/999999"), (HttpMethod.Get, "/dialler/contacts/contact?userData=nobody"),
            (HttpMethod.Delete, "/dialler/contacts/contact/999999"), (HttpMethod.Delete, "/dialler/contacts/contact?userData=nobody"),
            (HttpMethod.Post, "/dialler/contacts/contact/999999/lock"), (HttpMethod.Post, "/dialler/contacts/contact/unlock?userData=nobody"),
            (HttpMethod.Post, "/dialler/contacts/contact/999999/reset"), (HttpMethod.Get, "/dialler/contacts/contact/999999/history"),
            (HttpMethod.Get, "/dialler/contacts/contact/history?userData=nobody"), (HttpMethod.Post, $"/dialler/contacts/contact/{id}/explode"),
            (HttpMethod.Get, "/dialler/contacts?diallerCampaignsID=999999"), (HttpMethod.Get, "/dialler/nothing"),
        })
            await ErrorAsync(admin, method, url, HttpStatusCode.NotFound);
        await ErrorAsync(admin, HttpMethod.Put, "/dialler/contacts/contact", HttpStatusCode.NotFound, null, """{"ID": 999999, "Name": "N"}""");
        await ErrorAsync(admin, HttpMethod.Post, "/dialler/contacts/import", HttpStatusCode.NotFound, "dialler campaign", """{"DiallerCampaignsName": "nope", "Name": "N", "PhoneNumber1": "1"}""");
        var stranger = await _factory.ClientFor("t2");
        await ErrorAsync(stranger, HttpMethod.Get, $"/dialler/contacts/{id}", HttpStatusCode.NotFound);
        await ErrorAsync(stranger, HttpMethod.Get, $"/rest/v1.0/t2/dialler/contacts/{id}", HttpStatusCode.NotFound);
        Assert.Empty(await RecordsAsync(stranger, HttpMethod.Get, "/dialler/contacts"));

        // 405: another method on a function's URL.
        await ErrorAsync(admin, HttpMethod.Delete, "/dialler/contacts/import", HttpStatusCode.MethodNotAllowed);
    }
}
