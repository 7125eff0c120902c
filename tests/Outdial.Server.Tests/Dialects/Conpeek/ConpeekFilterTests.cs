using Microsoft.Extensions.Time.Testing;
using static Outdial.Server.Tests.Dialects.Conpeek.ConpeekTestKit;

namespace Outdial.Server.Tests.Dialects.Conpeek;

/// <summary>Every filter property and operator, on a campaign where one request was called for real (PREVIEW, an agent
/// talked and completed it SUCCESS) and two were created through the dialect.</summary>
public sealed class ConpeekFilterTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public ConpeekFilterTests() => PreviewCalls.AnswerEveryCall(_factory, _time);

    public void Dispose() => PreviewCalls.Dispose(_factory);

    private async Task<(HttpClient Client, string Campaign, string AgentId)> CalledCampaignAsync()
    {
        var (admin, url, record, runner) = await PreviewCalls.TalkingAsync(_factory, _time);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS" })).StatusCode);
        await PreviewCalls.Idle(runner);
        var agentId = url.Split('/')[4];
        var client = Admin(_factory);
        await Create(client, campaign, new { contact_number = "+447400000201", contact_identifier = "A", priority = 1, custom = new { city = "Kraków" }, process_not_before = "2030-01-02 10:00:00" });
        await Create(client, campaign, new { contact_number = "+447400000202", contact_identifier = "B", priority = 5, custom = new { city = "Gdańsk" } });
        await Fixtures.Record(admin, campaign, new { externalId = "C", numbers = "+447400000203", agentId });
        return (client, campaign, agentId);
    }

    [Fact]
    public async Task Each_property_and_operator_filters_in_the_store_and_filters_AND_together()
    {
        var (client, campaign, agentId) = await CalledCampaignAsync();
        var user = AgentInteger(await Requests(client, Url(campaign)), "R0");
        async Task<string[]> Match(string filter) => [.. Ids(await Requests(client, Url(campaign, "?filter=" + Uri.EscapeDataString(filter)))).Order()];

        Assert.Equal(["R0"], await Match("""[{"property": "state", "value": ["CLOSED"]}]"""));
        Assert.Equal(["A", "B", "C"], await Match("""[{"property": "state", "value": ["OPEN", "PROCESSING"]}]"""));
        Assert.Equal(["R0"], await Match("""[{"property": "application_state", "value": "CLOSED"}]"""));
        Assert.Equal(["A", "B", "C"], await Match("""[{"property": "application_state", "value": ["NEW", "RETRY"]}]"""));
        Assert.Equal(["R0"], await Match("""[{"property": "close_reason", "value": ["SUCCESS"]}]"""));
        Assert.Empty(await Match("""[{"property": "close_reason", "value": ["REFUSAL", "MAXCALLS"]}]"""));
        Assert.Equal(["R0"], await Match("""[{"property": "closed_date", "operator": "gte", "value": "2026-03-02 00:00:00"}]"""));
        Assert.Empty(await Match("""[{"property": "closed_date", "operator": "lte", "value": "2026-03-01 23:59:59"}]"""));
        Assert.Equal(["A", "B", "C", "R0"], await Match("""[{"property": "created_date", "operator": "gte", "value": "2021-08-10 00:00:00"}]"""));
        Assert.Empty(await Match("""[{"property": "created_date", "operator": "lte", "value": "2021-08-10 00:00:00"}]"""));
        Assert.Equal(["A"], await Match("""[{"property": "process_not_before", "operator": "gte", "value": "2030-01-02 10:00:00"}]"""));
        Assert.Empty(await Match("""[{"property": "process_not_before", "operator": "gte", "value": "2030-01-02 10:00:01"}]"""));
        Assert.Equal(["A"], await Match("""[{"property": "process_not_before", "operator": "lte", "value": "2030-01-02 10:00:00"}]"""));
        Assert.Equal(["A"], await Match("""[{"property": "process_not_before", "value": "2030-01-02 10:00:00"}]"""));

        Assert.Equal(["B"], await Match("""[{"property": "priority", "operator": "gt", "value": 1}]"""));
        Assert.Equal(["A", "B"], await Match("""[{"property": "priority", "operator": "gte", "value": 1}]"""));
        Assert.Equal(["C", "R0"], await Match("""[{"property": "priority", "operator": "lt", "value": 1}]"""));
        Assert.Equal(["A", "C", "R0"], await Match("""[{"property": "priority", "operator": "lte", "value": 1}]"""));
        Assert.Equal(["B"], await Match("""[{"property": "priority", "operator": "eq", "value": 5}]"""));
        Assert.Equal(["A", "C", "R0"], await Match("""[{"property": "priority", "operator": "ne", "value": 5}]"""));
        Assert.Equal(["A", "B"], await Match("""[{"property": "priority", "value": [1, 5]}]"""));
        Assert.Equal(["C", "R0"], await Match("""[{"property": "priority", "operator": "ne", "value": [1, 5]}]"""));
        Assert.Equal(["R0"], await Match("""[{"property": "contact_try", "operator": "gte", "value": 1}]"""));
        Assert.Equal(["A", "B", "C"], await Match("""[{"property": "contact_try", "operator": "eq", "value": 0}]"""));
        Assert.Equal(["R0"], await Match("""[{"property": "consultant_try", "operator": "eq", "value": 1}]"""));
        Assert.Equal(["A", "B", "C"], await Match("""[{"property": "consultant_try", "operator": "lt", "value": 1}]"""));
        Assert.Equal(["A", "B", "C"], await Match("""[{"property": "consultant_try", "operator": "ne", "value": "1"}]"""));

        Assert.Equal(["R0"], await Match($$"""[{"property": "tenant_user_id", "value": [{{user}}]}]"""));
        Assert.Empty(await Match($$"""[{"property": "tenant_user_id", "value": [{{user ^ 1}}]}]"""));
        Assert.Contains("C", await Match($$"""[{"property": "assigned_tenant_user_id", "value": [{{user}}]}]"""));
        Assert.DoesNotContain("A", await Match($$"""[{"property": "assigned_tenant_user_id", "value": {{user}}}]"""));
        Assert.Equal(["A", "B", "C", "R0"], await Match("""[{"property": "dialing_method", "value": "PREVIEW"}]"""));
        Assert.Empty(await Match("""[{"property": "dialing_method", "value": ["PREDICTIVE", "PROGRESSIVE"]}]"""));
        Assert.Equal(["A"], await Match("""[{"property": "custom_fields", "key": "city", "value": "kraków"}]"""));
        Assert.Equal(["A", "B"], await Match("""[{"property": "custom_fields", "key": "City", "value": ["Kraków", "Gdańsk"]}]"""));
        Assert.Empty(await Match("""[{"property": "custom_fields", "key": "town", "value": "Kraków"}]"""));
        Assert.Equal(["A"], await Match("""[{"property": "contact_number", "value": "+447400000201"}]"""));

        Assert.Equal(["B"], await Match("""[{"property": "priority", "operator": "gte", "value": 1}, {"property": "custom_fields", "key": "city", "value": "Gdańsk"}]"""));
        Assert.Empty(await Match("""[{"property": "state", "value": "CLOSED"}, {"property": "priority", "operator": "gte", "value": 1}]"""));
        Assert.Equal(["A", "B"], await Match("""[{"property": "priority", "operator": "gte", "value": 1}, {"property": "priority", "operator": "lte", "value": 5}]"""));
    }

    [Fact]
    public async Task A_called_request_carries_its_calls_dialogs_and_history_from_the_engine()
    {
        var (client, campaign, agentId) = await CalledCampaignAsync();
        var r = (await Requests(client, Url(campaign))).EnumerateArray().Single(x => x.GetProperty("contact_identifier").GetString() == "R0");
        Assert.Equal(("CLOSED", "CLOSED", "SUCCESS", "SUCCESS"), (r.GetProperty("state").GetString(), r.GetProperty("application_state").GetString(),
            r.GetProperty("close_reason").GetString(), r.GetProperty("call_state").GetString()));
        Assert.Equal((1, 1), (r.GetProperty("contact_try").GetInt32(), r.GetProperty("consultant_try").GetInt32()));
        Assert.Equal("2026-03-02 12:00:", r.GetProperty("closed_date").GetString()![..17]);
        var call = Assert.Single(r.GetProperty("call_history").EnumerateArray());
        Assert.Equal(("+447400000100", "SUCCESS"), (call.GetProperty("contact_number").GetString(), call.GetProperty("result").GetString()));
        Assert.Equal(r.GetProperty("tenant_user_id").GetInt32(), call.GetProperty("tenant_user_id").GetInt32());
        Assert.Equal(call.GetProperty("id").GetString(), Assert.Single(r.GetProperty("dialogs").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(["CREATED", "CALL", "CLOSED"], r.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()));

        var attempts = await Fixtures.Get(_factory.Admin(), $"/api/v1/records/{r.GetProperty("id").GetString()}/attempts");
        Assert.Equal(call.GetProperty("id").GetString(), Assert.Single(attempts.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(agentId, attempts[0].GetProperty("agentId").GetString());
    }

    [Fact]
    public async Task A_long_list_of_numbers_and_a_date_at_the_end_of_the_calendar_are_answered_not_failed()
    {
        var (client, campaign, _) = await CalledCampaignAsync();
        var numbers = string.Join(",", Enumerable.Range(0, 1100).Select(i => i == 7 ? "\"+447400000100\"" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var many = await Requests(client, Url(campaign, "?filter=" + Uri.EscapeDataString($$"""[{"property":"contact_number","value":[{{numbers}}]}]""")));
        Assert.Equal("R0", Assert.Single(many.EnumerateArray()).GetProperty("contact_identifier").GetString());
        var last = await Requests(client, Url(campaign, "?filter=" + Uri.EscapeDataString("""[{"property":"created_date","value":"9999-12-31 23:59:59"}]""")));
        Assert.Empty(last.EnumerateArray());
    }

    private static int AgentInteger(JsonElement data, string request) =>
        data.EnumerateArray().Single(x => x.GetProperty("contact_identifier").GetString() == request).GetProperty("tenant_user_id").GetInt32();

    [Theory]
    [InlineData("filter=not%20json", "not JSON")]
    [InlineData("filter=%5B1%5D", "filter[0]")]
    [InlineData("filter=%22state%22", "JSON list")]
    [InlineData("filter=%5B%7B%22value%22%3A1%7D%5D", "no 'property'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22nope%22%2C%22value%22%3A1%7D%5D", "'nope' is unknown")]
    [InlineData("filter=%5B%7B%22property%22%3A%22priority%22%2C%22operator%22%3A%22like%22%2C%22value%22%3A1%7D%5D", "operator 'like'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22priority%22%2C%22value%22%3A%22x%22%7D%5D", "priority")]
    [InlineData("filter=%5B%7B%22property%22%3A%22priority%22%2C%22operator%22%3A%22gt%22%2C%22value%22%3A%5B1%2C2%5D%7D%5D", "one integer")]
    [InlineData("filter=%5B%7B%22property%22%3A%22created_date%22%2C%22operator%22%3A%22gte%22%2C%22value%22%3A%2210%2F08%2F2021%22%7D%5D", "created_date")]
    [InlineData("filter=%5B%7B%22property%22%3A%22created_date%22%2C%22operator%22%3A%22gt%22%2C%22value%22%3A%222021-08-10%2000%3A00%3A00%22%7D%5D", "operator 'gt'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22state%22%2C%22value%22%3A%5B%22DONE%22%5D%7D%5D", "'DONE' is unknown")]
    [InlineData("filter=%5B%7B%22property%22%3A%22state%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%22OPEN%22%7D%5D", "takes no operator")]
    [InlineData("filter=%5B%7B%22property%22%3A%22state%22%7D%5D", "no 'value'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22state%22%2C%22value%22%3A%5B%5D%7D%5D", "empty list")]
    [InlineData("filter=%5B%7B%22property%22%3A%22state%22%2C%22value%22%3A%22OPEN%22%2C%22extra%22%3A1%7D%5D", "unknown member 'extra'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22custom_fields%22%2C%22value%22%3A%22x%22%7D%5D", "needs 'key'")]
    [InlineData("filter=%5B%7B%22property%22%3A%22priority%22%2C%22key%22%3A%22x%22%2C%22value%22%3A1%7D%5D", "'key' is only")]
    [InlineData("filter=%5B%7B%22property%22%3A%22tenant_user_id%22%2C%22value%22%3A%5B%22me%22%5D%7D%5D", "tenant_user_id")]
    [InlineData("filter=%5B%7B%22property%22%3A%22close_reason%22%2C%22value%22%3A%7B%7D%7D%5D", "close_reason")]
    [InlineData("limit=0", "'limit'")]
    [InlineData("limit=abc", "'limit'")]
    [InlineData("limit=10001", "'limit'")]
    [InlineData("offset=-1", "'offset'")]
    [InlineData("exclude=%5B%22foo%22%5D", "'foo'")]
    [InlineData("exclude=foo", "'exclude'")]
    [InlineData("exclude=%5B1%5D", "'exclude'")]
    public async Task A_malformed_query_is_400_naming_it(string query, string named)
    {
        await CreateDocumentCampaignAsync(_factory);
        await Error(await Admin(_factory).GetAsync(Url(DocumentCampaign, "?" + query)), HttpStatusCode.BadRequest, named);
    }
}
