
namespace Outdial.Server.Tests.Features;

public sealed class ContentTypeTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/api/v1/queues", "text/plain")]
    [InlineData("/api/v1/campaigns", "application/xml")]
    public async Task A_json_endpoint_given_another_content_type_answers_415_problem_naming_it(string url, string contentType)
    {
        var response = await _factory.Admin().PostAsync(url, new StringContent("{\"name\":\"Q\"}", Encoding.UTF8, contentType));
        await HttpAssert.Problem(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=\"x-unknown\"")]
    [InlineData("application/problem+json; charset=nonsense")]
    public async Task A_json_body_in_an_unknown_charset_is_415_naming_it_and_creates_nothing(string contentType)
    {
        var client = _factory.Admin();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"Q\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        await HttpAssert.Problem(await client.PostAsync("/api/v1/queues", content), HttpStatusCode.UnsupportedMediaType, "unsupported charset");
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/queues")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_json_body_in_a_known_charset_other_than_utf8_is_read()
    {
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"name\":\"Q\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");
        Assert.Equal(HttpStatusCode.Created, (await _factory.Admin().PostAsync("/api/v1/queues", content)).StatusCode);
    }
}
