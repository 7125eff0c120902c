using System.CommandLine;
using Outdial.Server.Hosting;

namespace Outdial.Server.Cli;

/// <summary>The <c>outdial</c> command line: serve (default), keys, import.</summary>
internal static class OutdialCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Outdial: outbound contact-center campaign server");
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on", DefaultValueFactory = _ => "http://localhost:8080" };
        var demo = new Option<bool>("--demo") { Description = "Fill the store with a live simulated campaign" };
        var serve = new Command("serve", "Start the server (the default command)") { urls, demo };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (parse, ct) => await ServeAsync(parse.GetValue(urls)!,
            [.. parse.UnmatchedTokens, .. parse.GetValue(demo) ? new[] { "--Outdial:Demo=true" } : []], ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());

        // No sub-command means serve, so that `outdial` and the test host's arguments both start the server.
        var known = root.Subcommands.Select(c => c.Name).Concat(["-h", "--help", "-?", "--version"]).ToHashSet(StringComparer.Ordinal);
        if (args.Length == 0 || !known.Contains(args[0])) args = ["serve", .. args];
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ServeAsync(string urls, string[] hostArgs, CancellationToken ct)
    {
        var app = OutdialApp.Build(["--urls", urls, .. hostArgs]);
        await app.RunAsync(ct);
        return 0;
    }

    internal static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Directory holding the store",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Outdial__DataDir") ?? "./data",
    };
}
