using Outdial.Server.Cli;

namespace Outdial.Server.Tests.Crash;

/// <summary><c>outdial import FILE</c> against a real server process.</summary>
public sealed class ImportCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outdial-cli", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Import_command_uploads_and_a_rerun_adds_nothing()
    {
        Directory.CreateDirectory(_dir);
        var csv = Path.Combine(_dir, "leads.csv");
        await File.WriteAllTextAsync(csv, "Name;Mobile\nA;07400 111111\nB;07400 222222\nC;not a number\n");
        using var server = await ServerProcess.StartAsync(Path.Combine(_dir, "data"), "cli-key");
        var campaign = await (await server.Client.PostAsJsonAsync("/api/v1/campaigns", new { name = "cli" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = campaign.GetProperty("id").GetString()!;
        string[] args = ["import", csv, "--server", server.Client.BaseAddress!.ToString(), "--key", "cli-key", "--campaign", id, "--region", "GB"];

        Assert.Equal(0, await OutdialCli.RunAsync(args));
        Assert.Equal(0, await OutdialCli.RunAsync(args));

        var records = await server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/records");
        Assert.Equal(["+447400111111", "+447400222222"], records.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("numbers").GetString()));
        Assert.Equal(2, await OutdialCli.RunAsync(["import", csv, "--server", server.Client.BaseAddress!.ToString()]));
    }
}
