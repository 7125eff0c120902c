using System.Net.Http.Headers;

namespace Outdial.Server.Tests.Features;

/// <summary>The README's example imports the files in samples/: they must stay importable as it says.</summary>
public sealed class SamplesTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Outdial.slnx"))) return Path.Combine(dir.FullName, "samples", name);
        throw new FileNotFoundException("no Outdial.slnx above the test binaries");
    }

    private static ByteArrayContent Csv(string name) =>
        new(File.ReadAllBytes(Sample(name))) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };

    [Fact]
    public async Task The_readme_samples_import_as_the_readme_says()
    {
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, "Spring sale", new { defaultRegion = "GB" });

        var leads = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaign}/imports?duplicates=skip", Csv("leads.csv")));
        var statuses = leads.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("statusCode").GetInt32()).ToList();
        Assert.Equal([201, 201, 201, 201, 201, 201, 201, 201, 400, 201], statuses);

        var mapping = Uri.EscapeDataString("""{"Customer no":"externalId","Home phone":"phone2","Full name":"attribute:Name"}""");
        var crm = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaign}/imports?mapping={mapping}", Csv("crm-export.csv")));
        Assert.All(crm.GetProperty("results").EnumerateArray(), r => Assert.Equal(201, r.GetProperty("statusCode").GetInt32()));

        var hedy = await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/records?externalId=7001");
        var record = Assert.Single(hedy.GetProperty("items").EnumerateArray());
        Assert.Equal(2, record.GetProperty("phones").GetArrayLength());
        Assert.Contains("Hedy Lamarr", record.GetProperty("attributes").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(12, (await Fixtures.Get(client, $"/api/v1/campaigns/{campaign}/counts")).GetProperty("total").GetInt32());
    }
}
