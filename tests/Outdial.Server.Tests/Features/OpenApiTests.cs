
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

    /// <summary>`/docs` can only call the API when the document says how to authenticate.</summary>
    [Fact]
    public async Task The_document_declares_bearer_and_basic_auth_on_every_api_operation_and_describes_itself()
    {
        var document = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.Contains("API key", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var secured = operation.Value.TryGetProperty("security", out var security)
                    ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToHashSet() : [];
                if (path.Name.StartsWith("/api/", StringComparison.Ordinal))
                {
                    operations++;
                    Assert.True(secured.SetEquals(["bearer", "basic"]), $"{operation.Name} {path.Name} does not declare bearer and basic auth");
                }
                else Assert.Empty(secured); // /health needs no key
            }
        Assert.True(operations > 50, $"only {operations} API operations in the document");
    }

    /// <summary>What a newcomer reads in `/docs`: what each operation does, what each parameter means, and what to send and
    /// expect back.</summary>
    [Fact]
    public async Task Every_operation_has_a_summary_every_parameter_a_description_and_every_json_body_an_example_or_schema()
    {
        var document = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var missing = new List<string>();
        var operations = 0;
        static bool Described(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString());
        static bool Shown(JsonElement media) =>
            media.TryGetProperty("example", out _) || media.TryGetProperty("examples", out _)
            || (media.TryGetProperty("schema", out var schema) && schema.EnumerateObject().Any());
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!Described(operation.Value, "summary")) missing.Add($"{name}: no summary");
                var own = operation.Value.TryGetProperty("parameters", out var op) ? op.EnumerateArray().ToList() : [];
                foreach (var parameter in shared.Concat(own).Where(x => !Described(x, "description")))
                    missing.Add($"{name}: parameter '{parameter.GetProperty("name").GetString()}' has no description");
                if (operation.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var bodyContent))
                    foreach (var media in bodyContent.EnumerateObject().Where(m => !Shown(m.Value)))
                        missing.Add($"{name}: request body {media.Name} has neither example nor schema");
                if (!operation.Value.TryGetProperty("responses", out var responses)) continue;
                foreach (var response in responses.EnumerateObject().Where(r => r.Name.StartsWith('2')))
                    if (response.Value.TryGetProperty("content", out var content))
                        foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal) && !Shown(m.Value)))
                            missing.Add($"{name}: response {response.Name} {media.Name} has neither example nor schema");
            }
        }
        Assert.True(operations > 50, $"only {operations} operations in the document");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}
