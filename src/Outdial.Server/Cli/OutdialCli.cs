using System.CommandLine;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Server.Auth;
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
        root.Subcommands.Add(KeysCommand());
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

    private static Command KeysCommand()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant name (created when missing)", Required = true };
        var role = new Option<Role>("--role") { Description = "admin, supervisor, agent or integration", Required = true };
        var agent = new Option<string?>("--agent") { Description = "For --role agent: the agent (id32) the key acts for; required for agent keys" };
        var dataDir = DataDirOption();
        var create = new Command("create", "Create an API key and print it") { tenant, role, agent, dataDir };
        create.SetAction(async (parse, ct) =>
        {
            await using var store = new SqliteStore(new OutdialOptions { DataDir = parse.GetValue(dataDir)! }.DatabasePath, TimeProvider.System);
            await store.MigrateAsync(ct);
            var tenantId = await store.EnsureTenantAsync(parse.GetValue(tenant)!, ct);
            var key = ApiKeys.Generate();
            var agentId = parse.GetValue(agent);
            if (parse.GetValue(role) == Role.agent)
            {
                if (!Id32.TryNormalize(agentId, out var aid))
                {
                    await Console.Error.WriteLineAsync("an agent key acts for one agent: give --agent with the agent's id (GET /api/v1/agents)");
                    return 2;
                }
                if (!await store.AddAgentKeyAsync(tenantId, aid, ApiKeys.Hash(key), ApiKeys.Prefix(key), ct))
                {
                    await Console.Error.WriteLineAsync($"tenant '{parse.GetValue(tenant)}' has no agent '{agentId}'");
                    return 2;
                }
            }
            else
            {
                if (agentId is not null)
                {
                    await Console.Error.WriteLineAsync("--agent only applies to --role agent");
                    return 2;
                }
                await store.AddApiKeyAsync(tenantId, parse.GetValue(role), ApiKeys.Hash(key), ApiKeys.Prefix(key), ct);
            }
            Console.WriteLine(key);
            return 0;
        });
        return new Command("keys", "Manage API keys") { create };
    }

    internal static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Directory holding the store",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Outdial__DataDir") ?? "./data",
    };
}
