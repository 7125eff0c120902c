
namespace Outdial.Server.Tests.Features;

public sealed class OpenApiTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task OpenApi_document_describes_the_native_api_and_docs_are_served()
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/campaigns", "/api/v1/campaigns/{campaignId}/imports", "/api/v1/records/{id}", "/api/v1/dnc", "/api/v1/campaigns/{campaignId}/diagnostics", "/health" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        var docs = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("<html", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The search and import handlers read their query themselves; the document still lists what they take.</summary>
    [Theory]
    [InlineData("/api/v1/campaigns/{campaignId}/records", "get", "externalId,applicationState,createdEnd,attributeName,sort,limit,cursor")]
    [InlineData("/api/v1/lists/{listId}/records", "get", "numbers,modificationDate,offset,limit,cursor")]
    [InlineData("/api/v1/records", "get", "externalId,limit,cursor")]
    [InlineData("/api/v1/campaigns/{campaignId}/imports", "post", "duplicates,atomic,region,mapping,async,Idempotency-Key")]
    [InlineData("/api/v1/lists/{listId}/imports", "post", "duplicates,mapping,Idempotency-Key")]
    public async Task Query_parameters_read_by_hand_are_in_the_document(string path, string method, string expected)
    {
        var document = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (var name in expected.Split(','))
            Assert.True(parameters.Contains(name), $"{method} {path} does not list '{name}'");
    }
}
