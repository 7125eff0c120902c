using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Outdial.Bench;

/// <summary>
/// A real server process (the built <c>outdial.dll</c>) on a data directory, listening on loopback, with the bootstrap
/// admin key of tenant <c>default</c> and an HTTP client holding it. Dispose kills the process.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string Key = "bench-key";

    private readonly Process _process;

    private BenchServer(Process process, string url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the server and returns once <c>/health</c> answers (at most 20 s).</summary>
    /// <param name="environment">More settings, e.g. <c>Outdial__Dialer=false</c>.</param>
    public static async Task<BenchServer> StartAsync(string dataDir, string url = "http://127.0.0.1:5391", IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "outdial.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{server}\" serve --urls {url}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Outdial__DataDir"] = dataDir, ["OUTDIAL_BOOTSTRAP_KEY"] = Key, ["Logging__LogLevel__Default"] = "Warning" },
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new BenchServer(process, url);
        try
        {
            for (var i = 0; ; i++)
            {
                try { if ((await started.Client.GetAsync("/health")).IsSuccessStatusCode) return started; }
                catch (HttpRequestException) when (i < 200) { }
                await Task.Delay(100);
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async Task<string> CreateCampaignAsync(string name) =>
        (await (await Client.PostAsJsonAsync("/api/v1/campaigns", new { name, defaultRegion = "GB" })).Content.ReadFromJsonAsync<JsonElement>())
        .GetProperty("id").GetString()!;

    /// <summary>Posts a CSV file as a background import into a campaign and waits for its end.</summary>
    public async Task<JsonElement> ImportAsync(string campaignId, string csv, Action onPoll)
    {
        await using var file = File.OpenRead(csv);
        var content = new StreamContent(file, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await Client.PostAsync($"/api/v1/campaigns/{campaignId}/imports?async=true&duplicates=reject", content);
        if ((int)response.StatusCode != 202) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.ToString();
        while (true)
        {
            onPoll();
            var status = await Client.GetFromJsonAsync<JsonElement>(location);
            if (status.GetProperty("state").GetString() is "succeeded" or "failed") return status;
            await Task.Delay(50); // the end is seen within 50 ms; polls stay a negligible share of the server CPU measured
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
        await _process.WaitForExitAsync();
        _process.Dispose();
        Client.Dispose();
    }
}
