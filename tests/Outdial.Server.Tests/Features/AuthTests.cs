using System.Net.Http.Headers;

namespace Outdial.Server.Tests.Features;

public sealed class AuthTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Health_is_anonymous_and_reports_the_store()
    {
        var response = await _factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"store\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Raw")]
    [InlineData("Basic")]
    public async Task Key_is_accepted_in_each_header_form(string form)
    {
        var client = _factory.CreateClient();
        var key = OutdialFactory.BootstrapKey;
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queues");
        switch (form)
        {
            case "Bearer": request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key); break;
            case "Raw": request.Headers.TryAddWithoutValidation("Authorization", key); break;
            default: request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyuser:" + key))); break;
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("two words")]
    public async Task Missing_or_wrong_key_is_401(string? header)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queues");
        if (header is not null) request.Headers.TryAddWithoutValidation("Authorization", header);
        var response = await _factory.CreateClient().SendAsync(request);
        await HttpAssert.Problem(response, HttpStatusCode.Unauthorized, header is null ? "no API key" : "malformed or unknown");
    }

    [Fact]
    public async Task Agent_role_cannot_write_catalog()
    {
        var agent = await _factory.ClientFor("default", Role.agent);
        var response = await agent.PostAsync("/api/v1/queues", new StringContent("{\"name\":\"Q\"}", Encoding.UTF8, "application/json"));
        await HttpAssert.Problem(response, HttpStatusCode.Forbidden, "role 'agent' may not POST /api/v1/queues");
    }

    [Fact]
    public async Task Keys_are_stored_hashed()
    {
        _ = await _factory.ClientFor("t1");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_factory.DataDir, "outdial.db"));
        Assert.DoesNotContain(OutdialFactory.BootstrapKey, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
