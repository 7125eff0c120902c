
namespace Outdial.Server.Tests.Features;

public sealed class BadInputTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public BadInputTests() => _factory.Settings["Outdial:MaxRequestBodyBytes"] = "1024";

    public void Dispose() => _factory.Dispose();

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("{\"name\": ", "Malformed")]
    [InlineData("{\"name\": 42}", "$.name")]
    [InlineData("{\"nmae\": \"x\"}", "unknown field '$.nmae'")]
    [InlineData("{}", "'name' is required")]
    [InlineData("", "a JSON body is required")]
    [InlineData("null", "a JSON body is required")]
    [InlineData("{\"name\": \"a\", \"name\": \"b\"}", "field '$.name' is given twice")]
    public async Task Bad_json_is_a_400_naming_the_problem_and_changes_nothing(string body, string expected)
    {
        var client = _factory.Admin();
        var response = await client.PostAsync("/api/v1/queues", JsonBody(body));
        var problem = await HttpAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/queues")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/dnc?limit=abc", "'limit' must be an integer, got 'abc'")]
    [InlineData("/api/v1/dnc?offset=99999999999", "'offset' must be an integer, got '99999999999'")]
    public async Task Query_values_of_the_wrong_type_are_400_naming_the_parameter(string url, string expected)
    {
        await HttpAssert.Problem(await _factory.Admin().GetAsync(url), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var client = _factory.Admin();
        var big = "{\"name\": \"" + new string('x', 2000) + "\"}";
        await HttpAssert.Problem(await client.PostAsync("/api/v1/queues", JsonBody(big)), HttpStatusCode.RequestEntityTooLarge, "limit");
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/queues")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        var client = _factory.Admin();
        var big = "{\"name\": \"" + new string('x', 2000) + "\"}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        await HttpAssert.Problem(await client.PostAsync("/api/v1/queues", content), HttpStatusCode.RequestEntityTooLarge, "limit");
    }
}
