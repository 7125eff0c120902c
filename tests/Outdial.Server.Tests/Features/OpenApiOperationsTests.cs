using System.Text.Json;

namespace Outdial.Server.Tests.Features;

/// <summary>What a newcomer reads in /docs: every operation says what it does, every path parameter what it takes.</summary>
public sealed class OpenApiOperationsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("Imports", 4, 4)]
    [InlineData("Agent sessions", 10, 13)]
    [InlineData("Do not call", 5, 2)]
    public async Task Operations_have_a_summary_and_described_path_parameters(string tag, int operations, int pathParameters)
    {
        var document = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        int found = 0, described = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("tags", out _)))
            {
                if (!operation.Value.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == tag)) continue;
                found++;
                var name = $"{operation.Name} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{name} has no summary");
                if (!operation.Value.TryGetProperty("parameters", out var parameters)) continue;
                foreach (var p in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path"))
                {
                    Assert.True(p.TryGetProperty("description", out var d) && d.GetString() is { Length: > 0 }, $"{name}: '{p.GetProperty("name")}' is not described");
                    described++;
                }
            }
        Assert.Equal(operations, found);
        Assert.Equal(pathParameters, described);
    }
}
