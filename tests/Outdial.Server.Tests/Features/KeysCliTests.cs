using System.Net;
using System.Net.Http.Headers;
using Outdial.Server.Cli;
using Outdial.Server.Tests.Infrastructure;

namespace Outdial.Server.Tests.Features;

public sealed class KeysCliTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Keys_create_prints_a_working_key_of_a_new_tenant()
    {
        _ = _factory.Server; // migrate the store the CLI writes to
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, await OutdialCli.RunAsync(["keys", "create", "--tenant", "acme", "--role", "integration", "--data-dir", _factory.DataDir]));
        }
        finally
        {
            Console.SetOut(original);
        }
        var key = output.ToString().Trim();
        Assert.StartsWith("od_", key, StringComparison.Ordinal);

        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal("[]", await (await client.GetAsync("/api/v1/campaigns")).Content.ReadAsStringAsync());
        // integration may write records but not manage keys' tenant data of others; it may create campaigns
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/queues", new StringContent("{\"name\":\"Q\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }
}
