using static Outdial.Server.Tests.Dialects.BrightPattern.BrightPatternTestKit;

namespace Outdial.Server.Tests.Dialects.BrightPattern;

/// <summary>getCompleted: the document's example, names in the URL, paging by time, and every error status it lists.</summary>
public sealed class BrightPatternCompletedTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public void Dispose() => _factory.Dispose();

    private async Task<(HttpClient Client, string Campaign, List<long> Serials)> CampaignAsync(string name, int records)
    {
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, name);
        var serials = new List<long>();
        for (var i = 0; i < records; i++)
            serials.Add((await Fixtures.Record(client, campaign, new { externalId = $"R{i}", numbers = $"+4474000{i:D5}", attributes = new[] { new { name = "City", value = $"City{i}" } } }))
                .GetProperty("serial").GetInt64());
        return (client, campaign, serials);
    }

    [Fact]
    public async Task The_documents_example_request_answers_the_records_completed_since_with_their_entry_and_status()
    {
        var (client, _, serials) = await CampaignAsync("Spring sale", 3);
        Close(_factory, serials[1], T0.AddMilliseconds(456), "REFUSAL");
        Close(_factory, serials[0], T0.AddSeconds(1));

        // The document's body as it is, maxSize a string.
        var items = await Completed(client, Url("Spring sale", "Spring sale"), """
            {
                   "fromTime":"2013-03-01T13:15:06.456",
                    "maxSize":"100"
            }
            """);
        Assert.Equal(["R1", "R0"], items.Select(i => i.GetProperty("entry").GetProperty("externalId").GetString()));
        var first = items[0];
        Assert.Equal("2026-05-01T10:00:00.456", first.GetProperty("completedTime").GetString());
        Assert.Equal(("+447400000001", "City1"), (first.GetProperty("entry").GetProperty("phone1").GetString(), first.GetProperty("entry").GetProperty("City").GetString()));
        // Never attempted: completed, the disposition and no attempt facts.
        var status = first.GetProperty("status");
        Assert.Equal(["completed", "lastDisposition", "totalAttempts"], status.EnumerateObject().Select(p => p.Name));
        Assert.True(status.GetProperty("completed").GetBoolean());
        Assert.Equal(("REFUSAL", 0), (status.GetProperty("lastDisposition").GetString(), status.GetProperty("totalAttempts").GetInt32()));

        // maxSize as a number; fromTime at a completion includes it; after the last, nothing.
        Assert.Equal(["R0"], (await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2026-05-01T10:00:00.457", "maxSize": 5}"""))
            .Select(i => i.GetProperty("entry").GetProperty("externalId").GetString()));
        Assert.Single(await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2013-03-01T13:15:06.456", "maxSize": 1}"""));
        Assert.Empty(await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2026-05-01T10:00:01.001", "maxSize": 1000}"""));
        // A date alone is its midnight UTC; an offset is taken too, and converted to UTC.
        Assert.Equal(2, (await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2026-05-01", "maxSize": 10}""")).Count);
        Assert.Empty(await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2026-05-02", "maxSize": 10}"""));
        Assert.Equal(2, (await Completed(client, Url("Spring sale", "Spring sale"), """{"fromTime": "2026-05-01T14:00:00.456+04:00", "maxSize": 10}""")).Count);
    }

    [Fact]
    public async Task Lists_and_campaigns_are_addressed_by_url_encoded_names_with_spaces_and_dots()
    {
        var (client, campaign, serials) = await CampaignAsync("Q3 renewals v2.1 (UK)", 1);
        var extra = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/lists", new { name = "leads.2026 batch #1" }), HttpStatusCode.Created);
        var listId = extra.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/campaigns/{campaign}/lists/{listId}", null)).StatusCode);
        var inExtra = (await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync($"/api/v1/lists/{listId}/records",
            new { externalId = "X1", numbers = "+447400099999" }), HttpStatusCode.Created)).GetProperty("serial").GetInt64();
        Close(_factory, serials[0], T0);
        Close(_factory, inExtra, T0.AddSeconds(1));

        const string body = """{"fromTime": "2026-01-01T00:00:00", "maxSize": 10}""";
        Assert.Equal(["X1"], (await Completed(client, Url("leads.2026 batch #1", "Q3 renewals v2.1 (UK)"), body))
            .Select(i => i.GetProperty("entry").GetProperty("externalId").GetString()));
        Assert.Equal(["R0"], (await Completed(client, Url("Q3 renewals v2.1 (UK)", "Q3 renewals v2.1 (UK)"), body))
            .Select(i => i.GetProperty("entry").GetProperty("externalId").GetString()));
        // A name holding "/" (encoded as %2F, which routing leaves encoded).
        var odd = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/lists", new { name = "a/b c" }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/campaigns/{campaign}/lists/{odd.GetProperty("id").GetString()}", null)).StatusCode);
        Assert.Empty(await Completed(client, Url("a/b c", "Q3 renewals v2.1 (UK)"), body));
        await Error(await Post(client, Url("a/b", "Q3 renewals v2.1 (UK)"), body), HttpStatusCode.NotFound, "calling list 'a/b' not found");
        // The tenant's name is matched regardless of case, like a host name.
        Assert.Single(await Completed(client, Url("leads.2026 batch #1", "Q3 renewals v2.1 (UK)", tenant: "DEFAULT"), body));
    }

    [Fact]
    public async Task Paging_by_the_last_completed_time_never_skips_or_repeats_completions_of_one_millisecond()
    {
        const int records = 23;
        var (client, _, serials) = await CampaignAsync("Burst", records);
        // All but two close in the same millisecond, in an order unlike the records'; one closes later in time but first in
        // commit order, so the records after it must still come after it.
        var order = serials.Select((s, i) => (s, i)).OrderBy(p => (p.i * 7) % records).Select(p => p.s).ToList();
        Close(_factory, order[0], T0.AddMilliseconds(5));
        foreach (var serial in order.Skip(1).SkipLast(1)) Close(_factory, serial, T0);
        Close(_factory, order[^1], T0.AddMilliseconds(6));

        // The client's loop of the README: pass back the last completedTime, drop the record already held (the first, whose
        // completedTime equals the fromTime sent); stop when nothing new comes.
        var seen = new List<(string Id, string Time)>();
        var from = "2026-05-01T09:00:00";
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < records, "paging does not end");
            var page = (await Completed(client, Url("Burst", "Burst"), $$"""{"fromTime": "{{from}}", "maxSize": "4"}"""))
                .Select(i => (Id: i.GetProperty("entry").GetProperty("externalId").GetString()!, Time: i.GetProperty("completedTime").GetString()!)).ToList();
            Assert.InRange(page.Count, 0, 4);
            var fresh = seen.Count > 0 && page.Count > 0 && page[0] == seen[^1] ? page.Skip(1).ToList() : page;
            if (fresh.Count == 0) break;
            seen.AddRange(fresh);
            from = seen[^1].Time;
        }
        var ids = serials.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => $"R{p.i}");
        Assert.Equal(order.Select(s => ids[s]), seen.Select(s => s.Id));
        Assert.Equal(seen.Select(s => s.Time).Order(StringComparer.Ordinal), seen.Select(s => s.Time));
        Assert.Equal(records, seen.Select(s => s.Time).Distinct().Count());
        // Told apart to the microsecond, a few microseconds after the true closing time where completions crowd.
        Assert.Equal(["2026-05-01T10:00:00.005", "2026-05-01T10:00:00.005001", "2026-05-01T10:00:00.005002"], seen.Take(3).Select(s => s.Time));
        Assert.Equal("2026-05-01T10:00:00.006", seen[^1].Time);
    }

    [Fact]
    public async Task Every_error_status_of_the_document_in_the_dialects_shape()
    {
        var (client, _, _) = await CampaignAsync("Main", 0);
        await Fixtures.Campaign(client, "Other");
        var url = Url("Main", "Main");
        const string good = """{"fromTime": "2026-01-01T00:00:00.000", "maxSize": 10}""";
        Assert.Empty(await Completed(client, url, good));

        // 400: each names what is wrong.
        await Error(await Post(client, url, """{"maxSize": 10}"""), HttpStatusCode.BadRequest, "missing field 'fromTime'");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00"}"""), HttpStatusCode.BadRequest, "missing field 'maxSize'");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": 10, "listName": "x"}"""), HttpStatusCode.BadRequest, "unknown field 'listName'");
        await Error(await Post(client, url, """{"fromTime": "yesterday", "maxSize": 10}"""), HttpStatusCode.BadRequest, "'fromTime'");
        await Error(await Post(client, url, """{"fromTime": "2026-02-30T00:00:00", "maxSize": 10}"""), HttpStatusCode.BadRequest, "'fromTime'");
        await Error(await Post(client, url, """{"fromTime": "01/03/2013 13:15", "maxSize": 10}"""), HttpStatusCode.BadRequest, "got '01/03/2013 13:15'");
        await Error(await Post(client, url, """{"fromTime": 1700000000, "maxSize": 10}"""), HttpStatusCode.BadRequest, "'fromTime'");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": 1001}"""), HttpStatusCode.BadRequest, "'maxSize' must be between 1 and 1000");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": "0"}"""), HttpStatusCode.BadRequest, "'maxSize' must be between 1 and 1000");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": "ten"}"""), HttpStatusCode.BadRequest, "'maxSize'");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": 2.5}"""), HttpStatusCode.BadRequest, "'maxSize'");
        await Error(await Post(client, url, """{"fromTime": "2026-01-01T00:00:00", "maxSize": 1, "maxSize": 2}"""), HttpStatusCode.BadRequest, "twice");
        await Error(await Post(client, url, """{"fromTime": """), HttpStatusCode.BadRequest, "not JSON");
        await Error(await Post(client, url, "[]"), HttpStatusCode.BadRequest, "object");
        await Error(await Post(client, url, ""), HttpStatusCode.BadRequest, "body is required");

        // 401: no key, an unknown key.
        var anonymous = _factory.CreateClient();
        await Error(await Post(anonymous, url, good), HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-key");
        await Error(await Post(anonymous, url, good), HttpStatusCode.Unauthorized);

        // 403: another tenant's name in the URL (even one that exists), or an agent key.
        var other = await _factory.ClientFor("acme");
        await Error(await Post(other, url, good), HttpStatusCode.Forbidden, "'default'");
        await Error(await Post(client, Url("Main", "Main", tenant: "acme"), good), HttpStatusCode.Forbidden, "'acme'");
        var agent = await _factory.ClientFor("default", Role.agent);
        await Error(await Post(agent, url, good), HttpStatusCode.Forbidden);

        // 404: the list, the campaign, the campaign not fed by the list; a URL that is not the service's.
        await Error(await Post(client, Url("Nope", "Main"), good), HttpStatusCode.NotFound, "calling list 'Nope' not found");
        await Error(await Post(client, Url("Main", "Nope"), good), HttpStatusCode.NotFound, "campaign 'Nope' not found");
        await Error(await Post(client, Url("Other", "Main"), good), HttpStatusCode.NotFound, "campaign 'Main' is not fed by calling list 'Other'");
        await Error(await Post(client, "/admin/ws/t/default/callinglist/getCompleted/Main", good), HttpStatusCode.NotFound);
        await Error(await Post(client, "/admin/ws/t/default/callinglist/getDone/Main/Main", good), HttpStatusCode.NotFound);
        // The body is checked before the names.
        await Error(await Post(client, Url("Nope", "Main"), "{}"), HttpStatusCode.BadRequest, "missing field");

        // 405: any other method on the URL.
        await Error(await client.GetAsync(url), HttpStatusCode.MethodNotAllowed);
        await Error(await client.PutAsync(url, new StringContent(good, Encoding.UTF8, "application/json")), HttpStatusCode.MethodNotAllowed);
        await Error(await client.DeleteAsync(url), HttpStatusCode.MethodNotAllowed);
    }
}
