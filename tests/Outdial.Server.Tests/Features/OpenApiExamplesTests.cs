namespace Outdial.Server.Tests.Features;

/// <summary>What the handlers' OpenAPI descriptions add: summaries, path parameters, examples and the refusals they throw.</summary>
public sealed class OpenApiExamplesTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Operations_carry_summaries_parameter_descriptions_examples_and_their_problem_responses()
    {
        var paths = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        var create = paths.GetProperty("/api/v1/campaigns").GetProperty("post");
        Assert.Equal("Create a campaign", create.GetProperty("summary").GetString());
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("Spring renewals", example.GetProperty("name").GetString());
        Assert.True(create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        Assert.True(create.GetProperty("responses").TryGetProperty("400", out _));

        var status = paths.GetProperty("/api/v1/campaigns/{id}/status").GetProperty("put");
        foreach (var code in new[] { "400", "404", "409" })
            Assert.True(status.GetProperty("responses").TryGetProperty(code, out _), $"PUT status does not list {code}");
        var id = status.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "id");
        Assert.Equal("The campaign's id.", id.GetProperty("description").GetString());

        var since = paths.GetProperty("/api/v1/campaigns/{campaignId}/completed").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "since");
        Assert.Contains("ISO 8601", since.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
