using System.Net;
using System.Text;
using Outdial.Server.Tests.Infrastructure;

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
}
