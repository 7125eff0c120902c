using System.Globalization;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
        // ---- the tenants' objects -------------------------------------------------------------------------------------

        private int Next() => Interlocked.Increment(ref _counter);

        private async Task<Ids> PopulateAsync(HttpClient c, string tag, string text)
        {
            var n = Next();
            async Task<string> Post(string url, object body) =>
                (await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync(url, body), HttpStatusCode.Created)).GetProperty("id").GetString()!;
            var number = tag == "B" ? "+44740099" : "+44740011";
            var queue = await Post("/api/v1/queues", new { name = $"Queue {tag}{n} {text}" });
            var agent = await Post("/api/v1/agents", new { login = $"agent{tag}{n}", name = $"Agent {text}" });
            var agent2 = await Post("/api/v1/agents", new { login = $"agent{tag}{n}b", name = $"Agent {text}" });
            var list = await Post("/api/v1/lists", new { name = $"List {tag}{n} {text}", defaultRegion = "GB" });
            var (campaign, defaultList) = await Fixtures.Campaign(c, $"Campaign {tag}{n} {text}", new { queueId = queue, defaultRegion = "GB" });
            Assert.Equal(HttpStatusCode.NoContent, (await c.PutAsync($"/api/v1/campaigns/{campaign}/lists/{list}", null)).StatusCode);
            var record = await Fixtures.Record(c, campaign, new
            {
                externalId = $"{text}-{n}",
                numbers = $"{number}{n % 10000:D4}",
                attributes = new[] { new { name = "note", value = text } },
            });
            await Post($"/api/v1/lists/{list}/records", new { externalId = $"{text}-{n}-l", numbers = $"{number}{(n + 1) % 10000:D4}" });
            var dnc = await Post("/api/v1/dnc", new { number = $"{number}{(n + 2) % 10000:D4}", reason = text });
            var import = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/campaigns/{campaign}/imports",
                new StringContent($"externalId,phone1\n{text}-{n}-i,{number}{(n + 3) % 10000:D4}\n", Encoding.UTF8, "text/csv")));
            await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync($"/api/v1/agents/{agent}/session", new { campaignId = campaign }), HttpStatusCode.Created);
            var key = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/agents/{agent}/keys", null), HttpStatusCode.Created);
            return new Ids(queue, agent, agent2, list, campaign, defaultList, record.GetProperty("id").GetString()!, record.GetProperty("serial").GetInt64(),
                dnc, import.GetProperty("job").GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
        }

        private static string IdOf(Ids ids, string entity) => entity switch
        {
            "queue" => ids.Queue,
            "agent" => ids.Agent,
            "list" => ids.List,
            "campaign" => ids.Campaign,
            "record" => ids.Record,
            "dnc" => ids.Dnc,
            "import" => ids.Import,
            "handle" => ids.Serial.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException(entity),
        };

        /// <summary>Which object a path parameter names: by its name, or for "{id}" by the collection before it.</summary>
        private static string EntityOf(string path, string param) => param switch
        {
            "agentId" => "agent",
            "campaignId" => "campaign",
            "listId" => "list",
            "handle" => "handle",
            "id" => path.Split('/').TakeWhile(s => s != "{id}").Last() switch
            {
                "queues" => "queue",
                "agents" => "agent",
                "lists" => "list",
                "campaigns" => "campaign",
                "records" => "record",
                "dnc" => "dnc",
                "imports" => "import",
                var other => throw new InvalidOperationException($"{path}: which object does '{{id}}' after '{other}' name? Teach EntityOf."),
            },
            _ => throw new InvalidOperationException($"{path}: unknown path parameter '{param}'; teach EntityOf what it names"),
        };
    }
}
