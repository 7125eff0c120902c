using System.Net;
using System.Text.Json;
using Outdial.Server.Tests.Infrastructure;

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
}
