
namespace Outdial.Server.Tests.Infrastructure;

/// <summary>Small helpers to set up campaigns and records through the API.</summary>
public static class Fixtures
{
    public static async Task<(string CampaignId, string ListId)> Campaign(HttpClient client, string name = "Campaign", object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = name };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        var created = await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync("/api/v1/campaigns", body), HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("defaultListId").GetString()!);
    }

    public static async Task<JsonElement> Record(HttpClient client, string campaignId, object record) =>
        await HttpAssert.Ok<JsonElement>(await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", record), HttpStatusCode.Created);

    public static async Task<JsonElement> Get(HttpClient client, string url) =>
        await HttpAssert.Ok<JsonElement>(await client.GetAsync(url));
}
