using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Outdial.Server.Tests.Features;

public sealed class LoggingTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Phone_numbers_never_reach_the_logs()
    {
        var factory = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", OutdialFactory.BootstrapKey);
        var (campaignId, _) = await Fixtures.Campaign(client);
        await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { numbers = "+447400987654" });
        await client.PostAsJsonAsync($"/api/v1/campaigns/{campaignId}/records", new { numbers = "+44 7400 98765" }); // invalid
        await client.GetAsync($"/api/v1/campaigns/{campaignId}/records?numbers=%2B447400987654");
        await client.GetAsync("/api/v1/dnc?number=%2B447400987653");
        await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent("phone1\n+447400987652\n07400 987651\n", Encoding.UTF8, "text/csv"));
        await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent("phone1\n\"+447400987650\n", Encoding.UTF8, "text/csv"));

        Assert.Contains(_logs.Messages, m => m.Contains("HTTP POST /api/v1/campaigns/{campaignId}/records 201", StringComparison.Ordinal));
        foreach (var message in _logs.Messages)
            Assert.DoesNotContain("7400 98765", message.Replace("7400987", "7400 987", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
