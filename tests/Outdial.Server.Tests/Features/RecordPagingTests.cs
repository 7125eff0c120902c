using System.Globalization;

namespace Outdial.Server.Tests.Features;

/// <summary>Cursor paging of record searches through HTTP: every record once, in serial order, while records are added
/// and edited between pages; with filters; on campaigns and lists; the limit's bounds; one tenant's pages only.</summary>
public sealed class RecordPagingTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>Imports records E{first}..E{first+count-1} (priority = number % 3) into a campaign or list.</summary>
    private static async Task ImportAsync(HttpClient client, string target, int first, int count)
    {
        var csv = new StringBuilder("externalId,phone1,priority\n");
        for (var i = first; i < first + count; i++) csv.Append(CultureInfo.InvariantCulture, $"E{i:D4},+4474009{i:D5},{i % 3}\n");
        var result = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/{target}/imports",
            new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")));
        Assert.All(result.GetProperty("results").EnumerateArray(), r => Assert.Equal(201, r.GetProperty("statusCode").GetInt32()));
    }

    /// <summary>Follows nextCursor from the first page to the last; <paramref name="between"/> runs after each page but the last.</summary>
    private static async Task<List<JsonElement>> PageAllAsync(HttpClient client, string url, Func<int, Task>? between = null)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Fixtures.Get(client, url + (cursor is null ? "" : $"&cursor={cursor}"));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            if (between is not null && cursor is not null) await between(pages);
            Assert.True(++pages < 1000, "paging does not end");
        } while (cursor is not null);
        return items;
    }

    private static List<string> ExternalIds(IEnumerable<JsonElement> items) => items.Select(r => r.GetProperty("externalId").GetString()!).ToList();

    private static List<long> Serials(IEnumerable<JsonElement> items) => items.Select(r => r.GetProperty("serial").GetInt64()).ToList();

    [Fact]
    public async Task Every_record_of_a_campaign_comes_once_in_serial_order_while_records_are_added_and_edited()
    {
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        var (otherCampaign, _) = await Fixtures.Campaign(client, "Other", new { defaultRegion = "GB" });
        await ImportAsync(client, $"campaigns/{campaign}", 0, 60);
        await ImportAsync(client, $"campaigns/{otherCampaign}", 500, 30); // interleaved below with the campaign's own
        var all = await PageAllAsync(client, $"/api/v1/campaigns/{campaign}/records?limit=1000");
        var ids = all.ToDictionary(r => r.GetProperty("externalId").GetString()!, r => r.GetProperty("id").GetString()!);

        var added = 100;
        var seen = await PageAllAsync(client, $"/api/v1/campaigns/{campaign}/records?limit=7", async page =>
        {
            // Between pages: one record of the campaign and one of the other campaign added, one record ahead edited.
            await ImportAsync(client, $"campaigns/{campaign}", added, 1);
            await ImportAsync(client, $"campaigns/{otherCampaign}", 600 + added++, 1);
            var ahead = $"E{Math.Min(59, 7 * page + 10):D4}";
            await HttpAssert.Ok<JsonElement>(await client.PutAsJsonAsync($"/api/v1/records/{ids[ahead]}",
                new { externalId = ahead, phones = new[] { "+447400999999" }, priority = 9 }));
        });

        var serials = Serials(seen);
        Assert.Equal(serials.Order(), serials);
        Assert.Equal(serials.Count, serials.Distinct().Count());
        var expected = Enumerable.Range(0, 60).Concat(Enumerable.Range(100, added - 100)).Select(i => $"E{i:D4}");
        Assert.Equal(expected, ExternalIds(seen)); // the records added while paging come at the end, the other campaign's never
        Assert.Contains(seen, r => r.GetProperty("priority").GetInt32() == 9); // an edit ahead of the cursor is read as edited
        Assert.All(seen, r => Assert.Equal(campaign, r.GetProperty("campaigns")[0].GetProperty("campaignId").GetString()));
    }

    [Fact]
    public async Task Filtered_pages_hold_exactly_the_matching_records()
    {
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        await ImportAsync(client, $"campaigns/{campaign}", 0, 50);
        var prefix = "/api/v1/campaigns/" + campaign + "/records?limit=4";

        Assert.Equal(Enumerable.Range(0, 50).Where(i => i % 3 == 2).Select(i => $"E{i:D4}"), ExternalIds(await PageAllAsync(client, prefix + "&priority=2")));
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"E{i:D4}"), ExternalIds(await PageAllAsync(client, prefix + "&externalId=E001?")));
        // Progress fields (the live state reads the pick queue's in-call index) filter the campaign's pages too.
        Assert.Equal(50, (await PageAllAsync(client, prefix + "&state=OPEN")).Count);
        Assert.Equal(50, (await PageAllAsync(client, prefix + "&callCount=0")).Count);
        Assert.Empty(await PageAllAsync(client, prefix + "&result=*")); // never dialed: no result
        Assert.Empty(await PageAllAsync(client, prefix + "&state=CLOSED"));
        // Descending pages from the end.
        Assert.Equal(Enumerable.Range(0, 50).Reverse().Select(i => $"E{i:D4}"), ExternalIds(await PageAllAsync(client, prefix + "&sort=-id")));
    }

    [Fact]
    public async Task A_lists_pages_hold_its_records_only_and_every_one_once()
    {
        var client = _factory.Admin();
        var (campaign, defaultList) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        var list = (await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/lists", new { name = "second", defaultRegion = "GB" }),
            HttpStatusCode.Created)).GetProperty("id").GetString()!;
        for (var round = 0; round < 3; round++)
        {
            await ImportAsync(client, $"lists/{list}", 10 * round, 10);
            await ImportAsync(client, $"campaigns/{campaign}", 100 + 10 * round, 10);
        }

        var seen = await PageAllAsync(client, $"/api/v1/lists/{list}/records?limit=6");
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"E{i:D4}"), ExternalIds(seen));
        Assert.Equal(30, (await PageAllAsync(client, $"/api/v1/lists/{defaultList}/records?limit=1000")).Count);
        Assert.Equal(60, (await PageAllAsync(client, "/api/v1/records?limit=9")).Count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task A_limit_outside_1_to_1000_is_a_400_naming_it(string limit)
    {
        var client = _factory.Admin();
        var (campaign, list) = await Fixtures.Campaign(client);
        foreach (var url in new[] { $"/api/v1/campaigns/{campaign}/records", $"/api/v1/lists/{list}/records", "/api/v1/records" })
            await HttpAssert.Problem(await client.GetAsync($"{url}?limit={limit}"), HttpStatusCode.BadRequest, "'limit' must be an integer between 1 and 1000");
    }

    [Fact]
    public async Task The_limits_bounds_are_served_and_the_default_page_is_100()
    {
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        await ImportAsync(client, $"campaigns/{campaign}", 0, 1001);
        var full = await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records?limit=1000");
        Assert.Equal(1000, full.GetProperty("items").GetArrayLength());
        var rest = await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records?limit=1000&cursor={full.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["E1000"], ExternalIds(rest.GetProperty("items").EnumerateArray()));
        Assert.False(rest.TryGetProperty("nextCursor", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Single((await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records?limit=1")).GetProperty("items").EnumerateArray());
        Assert.Equal(100, (await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Another_tenant_pages_none_of_the_campaigns_or_lists_records_even_with_its_cursor()
    {
        var client = _factory.Admin();
        var (campaign, list) = await Fixtures.Campaign(client, extra: new { defaultRegion = "GB" });
        await ImportAsync(client, $"campaigns/{campaign}", 0, 20);
        var cursor = (await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records?limit=5")).GetProperty("nextCursor").GetString();

        var other = await _factory.ClientFor("other");
        var (theirs, _) = await Fixtures.Campaign(other, "Theirs", new { defaultRegion = "GB" });
        await ImportAsync(other, $"campaigns/{theirs}", 0, 5);
        await HttpAssert.Problem(await other.GetAsync($"/api/v1/campaigns/{campaign}/records?limit=5&cursor={cursor}"), HttpStatusCode.NotFound);
        await HttpAssert.Problem(await other.GetAsync($"/api/v1/lists/{list}/records?limit=5"), HttpStatusCode.NotFound);
        // Their own pages hold their records only, from the first tenant's cursor too.
        var theirIds = (await PageAllAsync(other, $"/api/v1/campaigns/{theirs}/records?limit=2")).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, theirIds.Count);
        Assert.Equal(theirIds, (await Fixtures.Get(other, $"/api/v1/records?limit=100&cursor={cursor}")).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(5, (await PageAllAsync(other, "/api/v1/records?limit=2")).Count);
    }
}
