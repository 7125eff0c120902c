using Microsoft.Extensions.Time.Testing;
using static Outdial.Server.Tests.Dialects.Jtel.JtelTestKit;

namespace Outdial.Server.Tests.Dialects.Jtel;

/// <summary>A contact called for real (PREVIEW, simulated network) and completed through the native agent API: its counters,
/// flags and history as jtel reads them, then reset through jtel.</summary>
public sealed class JtelCalledContactTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public JtelCalledContactTests() => PreviewCalls.AnswerEveryCall(_factory, _time);

    public void Dispose() => PreviewCalls.Dispose(_factory);

    [Fact]
    public async Task Counters_flags_and_history_come_from_the_call_and_a_reset_clears_them()
    {
        var (admin, url, record, runner) = await PreviewCalls.TalkingAsync(_factory, _time);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS", classifier = "Sold" })).StatusCode);
        await PreviewCalls.Idle(runner);

        var contact = Assert.Single(await RecordsAsync(admin, HttpMethod.Get, "/dialler/contacts/contact?userData=R0"));
        var id = contact.GetProperty("ID").GetInt64();
        Assert.Equal((1, false, 16, "SUCCESS", false), (contact.GetProperty("nTriesPhoneNumber1").GetInt32(), contact.GetProperty("bPhoneNumber1Invalid").GetBoolean(),
            contact.GetProperty("nPhoneNumber1LastCause").GetInt32(), contact.GetProperty("LastResult").GetString(), contact.GetProperty("bLastResultMailbox").GetBoolean()));
        Assert.Equal("2026-03-02T12:00:06", contact.GetProperty("dtLastTry").GetString()); // when the call ended
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("nTriesPhoneNumber2").ValueKind);

        foreach (var history in new[] { $"/dialler/contacts/contact/{id}/history", "/rest/v1.0/default/dialler/contacts/contact/history?userData=r0" })
        {
            var call = Assert.Single(await RecordsAsync(admin, HttpMethod.Get, history));
            Assert.Equal((id, 1, "+447400000100", "SUCCESS", 16), (call.GetProperty("DiallerContactsID").GetInt64(), call.GetProperty("PhoneNumberIndex").GetInt32(),
                call.GetProperty("PhoneNumber").GetString(), call.GetProperty("Result").GetString(), call.GetProperty("nCause").GetInt32()));
            Assert.Equal(("2026-03-02T12:00:00", "2026-03-02T12:00:05"), (call.GetProperty("dtStart").GetString(), call.GetProperty("dtAnswer").GetString()));
        }

        var statistics = $"/RI/obi/campaigns/{campaign}/customerResultStatistics";
        Assert.Equal("SUCCESS", Assert.Single((await Fixtures.Get(admin, statistics)).EnumerateArray()).GetProperty("result").GetString());

        var reset = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, $"/dialler/contacts/contact/{id}/reset"));
        Assert.Equal((0, JsonValueKind.Null, JsonValueKind.Null), (reset.GetProperty("nTriesPhoneNumber1").GetInt32(), reset.GetProperty("LastResult").ValueKind, reset.GetProperty("dtLastTry").ValueKind));
        // The history stays; the record reads as new through the native API, and the campaign's counts agree.
        Assert.Single(await RecordsAsync(admin, HttpMethod.Get, $"/dialler/contacts/contact/{id}/history"));
        var progress = Assert.Single((await Fixtures.Get(admin, $"/api/v1/records/{record}")).GetProperty("campaigns").EnumerateArray());
        Assert.Equal(("OPEN", 0), (progress.GetProperty("state").GetString(), progress.GetProperty("callCount").GetInt32()));
        Assert.Empty((await Fixtures.Get(admin, statistics)).EnumerateArray()); // results of attempted customers only: none now
    }

    [Fact]
    public async Task A_contact_imported_through_jtel_and_completed_by_an_agent_reads_the_same_through_jtel_Sinch_and_the_native_API()
    {
        var (admin, url, runner) = await PreviewCalls.ReadyAsync(_factory, records: 0);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        var name = (await Fixtures.Get(admin, $"/api/v1/campaigns/{campaign}")).GetProperty("name").GetString()!;
        var imported = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/rest/v1.0/default/dialler/contacts/import",
            $$"""{"DiallerCampaignsName": "{{name}}", "UserData": "cust-42", "Name": "Mustermann", "PhoneNumber1": "+447400000100"}"""));
        var id = imported.GetProperty("ID").GetInt64();

        var preview = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        Assert.Equal(id, preview.GetProperty("handle").GetInt64());
        var record = preview.GetProperty("record").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"{url}/records/{id}/dial", null)).StatusCode);
        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await PreviewCalls.Idle(runner);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS" })).StatusCode);
        await PreviewCalls.Idle(runner);

        Assert.Equal("SUCCESS", Assert.Single(await RecordsAsync(admin, HttpMethod.Get, "/dialler/contacts/contact/history?userData=cust-42")).GetProperty("Result").GetString());
        Assert.Equal("SUCCESS", Assert.Single(await RecordsAsync(admin, HttpMethod.Get, $"/dialler/contacts/{id}")).GetProperty("LastResult").GetString());
        var customer = await Fixtures.Get(admin, $"/RI/obi/campaigns/{campaign}/customers/{record}");
        Assert.Equal(("cust-42", "SUCCESS", 1), (customer.GetProperty("externalId").GetString(), customer.GetProperty("result").GetString(), customer.GetProperty("callCount").GetInt32()));
        var progress = Assert.Single((await Fixtures.Get(admin, $"/api/v1/records/{record}")).GetProperty("campaigns").EnumerateArray());
        Assert.Equal(("CLOSED", "SUCCESS"), (progress.GetProperty("state").GetString(), progress.GetProperty("result").GetString()));

        // The same record through Bright Pattern's completed feed (list and campaign by name) and Conpeek's requests.
        var completed = await admin.PostAsync($"/admin/ws/t/default/callinglist/getCompleted/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(name)}",
            new StringContent("""{"fromTime": "2020-01-01T00:00:00.000", "maxSize": "10"}""", Encoding.UTF8, "application/json"));
        var done = Assert.Single((await HttpAssert.Ok<JsonElement>(completed)).EnumerateArray());
        Assert.Equal(("cust-42", "Mustermann"), (done.GetProperty("entry").GetProperty("externalId").GetString(), done.GetProperty("entry").GetProperty("Name").GetString()));
        Assert.Equal(("SUCCESS", 1), (done.GetProperty("status").GetProperty("lastDisposition").GetString(), done.GetProperty("status").GetProperty("totalAttempts").GetInt32()));
        var request = Assert.Single((await Fixtures.Get(admin, $"/voice_campaign/{campaign[..24].ToLowerInvariant()}/request")).GetProperty("data").EnumerateArray());
        Assert.Equal(("cust-42", "CLOSED", 1), (request.GetProperty("contact_identifier").GetString(), request.GetProperty("state").GetString(), request.GetProperty("contact_try").GetInt32()));
    }

    [Fact]
    public async Task A_request_created_through_Conpeek_reads_as_a_jtel_contact_and_a_Sinch_customer()
    {
        var admin = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(admin, "Cross", new { defaultRegion = "PL" });
        var created = await admin.PostAsync($"/voice_campaign/{campaign[..24].ToLowerInvariant()}/request", new StringContent(
            """{"data": {"name": "Jan Kowalski", "contact_number": "+48 12 312 31 23", "contact_identifier": "pl-7", "priority": 3}}""", Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        var contact = Assert.Single(await RecordsAsync(admin, HttpMethod.Get, "/dialler/contacts/contact?userData=pl-7"));
        Assert.Equal("+48 12 312 31 23", contact.GetProperty("PhoneNumber1").GetString()); // jtel shows numbers as written
        Assert.Equal(0, contact.GetProperty("nTriesPhoneNumber1").GetInt32());
        // OBI shows numbers as sent; a search takes the number as written nationally in the campaign's region.
        var customer = Assert.Single((await Fixtures.Get(admin, $"/RI/obi/campaigns/{campaign}/customers?numbers=123123123")).EnumerateArray());
        Assert.Equal(("+48 12 312 31 23", 3), (customer.GetProperty("numbers").GetString(), customer.GetProperty("priority").GetInt32()));
    }
}
