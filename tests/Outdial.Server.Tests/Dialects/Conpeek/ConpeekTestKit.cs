using Outdial.Server.Auth;

namespace Outdial.Server.Tests.Dialects.Conpeek;

/// <summary>Clients that send the key as Conpeek's do (the raw Authorization value), and the document's campaign.</summary>
internal static class ConpeekTestKit
{
    /// <summary>The document's voice_campaign_id; the campaign made for it has an id32 that starts with it.</summary>
    public const string DocumentCampaign = "5b7c389fe8df7b60af688989";

    public static HttpClient Raw(OutdialFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key);
        return client;
    }

    public static HttpClient Admin(OutdialFactory factory) => Raw(factory, OutdialFactory.BootstrapKey);

    /// <summary>A client with a new raw key of the tenant and role.</summary>
    public static async Task<HttpClient> ClientFor(OutdialFactory factory, string tenant, Role role = Role.admin)
    {
        _ = factory.Server;
        var tenantId = await factory.Store.EnsureTenantAsync(tenant, CancellationToken.None);
        var key = ApiKeys.Generate();
        await factory.Store.AddApiKeyAsync(tenantId, role, ApiKeys.Hash(key), ApiKeys.Prefix(key), CancellationToken.None);
        return Raw(factory, key);
    }

    /// <summary>The campaign of the document's examples, in tenant "default": its id32 is the document's id and 8 digits more; numbers written nationally are Polish.</summary>
    public static async Task<string> CreateDocumentCampaignAsync(OutdialFactory factory, string name = "Voice")
    {
        _ = factory.Server;
        var tenant = await factory.Store.EnsureTenantAsync("default", CancellationToken.None);
        var id = DocumentCampaign.ToUpperInvariant() + "0000000A";
        await factory.Store.CreateCampaignAsync(tenant, new Campaign { Id = id, Name = name, DefaultRegion = "PL" }, CancellationToken.None);
        return id;
    }

    public static string Url(string campaign, string? query = null) => $"/voice_campaign/{campaign}/request{query}";

    public static async Task<JsonElement> Requests(HttpClient client, string url, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data");
    }

    public static async Task<JsonElement> Create(HttpClient client, string campaign, object data)
    {
        var response = await client.PostAsJsonAsync(Url(campaign), new { data });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data");
    }

    /// <summary>Asserts Conpeek's error shape {code, message} with the status and, optionally, words of the message.</summary>
    public static async Task<string> Error(HttpResponseMessage response, HttpStatusCode status, string? contains = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        var message = json.GetProperty("message").GetString()!;
        if (contains is not null) Assert.Contains(contains, message, StringComparison.OrdinalIgnoreCase);
        return message;
    }

    public static IEnumerable<string> Ids(JsonElement data) => data.EnumerateArray().Select(r => r.GetProperty("contact_identifier").GetString()!);

    public static string Filter(object filter) => "?filter=" + Uri.EscapeDataString(JsonSerializer.Serialize(filter));
}
