using System.Diagnostics;
using System.Globalization;
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

    /// <summary>User + system CPU time of a process (all threads), from /proc: shows whether the cores are the limit.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of proc(5) (utime, stime), counted here from field 3 after the command name.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>CPU seconds of the runtime's tiered compilation thread (it recompiles hot methods in the background).</summary>
    public static double TieredCompilerCpu(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                    return long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture) / 1e9;
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return 0;
    }

    /// <summary>Waits until the tiered compiler used under 10 ms of CPU in the last 500 ms (at most 30 s).</summary>
    public static async Task<TimeSpan> WaitForJitIdleAsync(int pid)
    {
        var sw = Stopwatch.StartNew();
        var last = TieredCompilerCpu(pid);
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
            var now = TieredCompilerCpu(pid);
            if (now - last < 0.010) break;
            last = now;
        }
        return sw.Elapsed;
    }

    /// <summary>Waits until the server used under 5 % of a core over 500 ms (at most <paramref name="limit"/>): requests a
    /// load generator left in flight are served before the next measurement starts.</summary>
    /// <returns>Whether it became idle.</returns>
    public async Task<bool> WaitIdleAsync(TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        var last = CpuSeconds(ProcessId);
        while (sw.Elapsed < limit)
        {
            await Task.Delay(500);
            var now = CpuSeconds(ProcessId);
            if (now - last < 0.025) return true;
            last = now;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
        await _process.WaitForExitAsync();
        _process.Dispose();
        Client.Dispose();
    }
}
