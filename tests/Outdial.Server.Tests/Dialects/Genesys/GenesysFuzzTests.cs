using System.Net.Http.Headers;

namespace Outdial.Server.Tests.Dialects.Genesys;

/// <summary>Random operation bodies and Bayeux batches: never a 5xx.</summary>
public sealed class GenesysFuzzTests : GenesysTestKit
{
    private static readonly string[] Names =
        ["operationName", "applicationId", "campaignName", "callingList", "devicePath", "callResult", "phoneNumber", "referenceId",
         "callbackType", "timestamp", "chainAttribute", "channel", "clientId", "subscription", "advice", "id", "supportedConnectionTypes"];

    private static readonly string[] Values =
        ["\"CompleteRecord\"", "\"GetPreviewRecord\"", "\"RescheduleRecord\"", "\"RejectRecord\"", "\"DoNotCallRecord\"", "\"UpdateRecord\"", "null", "true", "0", "-1",
         "1e308", "99999999999999999999999", "\"\"", "\"33\"", "\"Answer\"", "\"Personal\"", "\"AllChain\"", "\"+447400000100\"", "\"12\"",
         "[]", "{}", "{\"timeout\":-5}", "{\"timeout\":\"x\"}", "\"/meta/handshake\"", "\"/meta/connect\"", "\"/meta/subscribe\"", "\"/**\"",
         "[\"/v2/me/outbound\",3]", "\"\\u0000\"", "4102444800", "\"" + new string('x', 600) + "\""];

    private static string Body(Random random, string[] values)
    {
        var fields = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Names[random.Next(Names.Length)]).Distinct()
            .Select(n => $"\"{n}\":{values[random.Next(values.Length)]}");
        return "{" + string.Join(",", fields) + "}";
    }

    [Fact]
    public async Task No_body_yields_a_5xx()
    {
        var (_, desk) = await AgentAsync("kathy");
        var random = new Random(22);
        var handshake = await Bayeux(desk, new { channel = "/meta/handshake" });
        var clientId = (string)handshake.Single()!["clientId"]!;
        string[] values = [.. Values, $"\"{clientId}\""]; // some messages name the live client
        for (var i = 0; i < 400; i++)
        {
            var body = Body(random, values);
            var url = (i % 3) switch
            {
                0 => $"/api/v2/me/outbound-records/{random.Next(-2, 20)}",
                1 => $"/api/v2/me/outbound-campaigns/{(random.Next(2) == 0 ? "Campaign1" : "%20")}",
                _ => Notifications,
            };
            if (url == Notifications && random.Next(2) == 0) body = $"[{body},{Body(random, values)}]";
            var content = new StringContent(body, new MediaTypeHeaderValue("application/json"));
            var sent = desk.PostAsync(url, content);
            while (!sent.IsCompleted) // a connect may be held: virtual time passes until its timeout
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.Yield();
            }
            var response = await sent;
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {url} {body}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
