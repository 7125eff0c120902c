using System.CommandLine;
using System.Globalization;
using Outdial.Data;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;

namespace Outdial.Server.Cli;

/// <summary><c>outdial keys create | list | revoke</c>: API keys, on the store's file directly.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant name (created when missing)", Required = true };
        var role = new Option<Role>("--role") { Description = "admin, supervisor, agent or integration", Required = true };
        var agent = new Option<string?>("--agent") { Description = "For --role agent: the agent (id32) the key acts for; required for agent keys" };
        var dataDir = OutdialCli.DataDirOption();
        var create = new Command("create", "Create an API key and print it") { tenant, role, agent, dataDir };
        create.SetAction(async (parse, ct) =>
        {
            await using var store = await OpenAsync(parse.GetValue(dataDir)!, ct);
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
        return new Command("keys", "Manage API keys") { create, List(), Revoke() };
    }


    private static Command List()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys" };
        var dataDir = OutdialCli.DataDirOption();
        var list = new Command("list", "List API keys by prefix (the keys themselves are not stored)") { tenant, dataDir };
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await OpenAsync(parse.GetValue(dataDir)!, ct);
            foreach (var k in await store.ListApiKeysAsync(parse.GetValue(tenant), ct))
                Console.WriteLine(string.Join('\t', k.Prefix, k.Tenant, k.Role, k.AgentId ?? "-", k.Created.ToString("u", CultureInfo.InvariantCulture)));
            return 0;
        });
        return list;
    }

    private static Command Revoke()
    {
        var key = new Argument<string>("key") { Description = "The key, or its prefix as `keys list` shows it" };
        var dataDir = OutdialCli.DataDirOption();
        var revoke = new Command("revoke", "Revoke an API key") { key, dataDir };
        revoke.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(key)!.Trim();
            if (given.Length < 6)
            {
                await Console.Error.WriteLineAsync("give the key, or its prefix as `outdial keys list` shows it");
                return 2;
            }
            await using var store = await OpenAsync(parse.GetValue(dataDir)!, ct);
            var keys = await store.ListApiKeysAsync(null, ct);
            // A whole key is matched by its hash; a prefix must name one key only.
            var hash = ApiKeys.Hash(given);
            var matches = keys.Where(k => k.Hash.AsSpan().SequenceEqual(hash)).ToList() is { Count: > 0 } exact
                ? exact
                : keys.Where(k => k.Prefix.StartsWith(given, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
            {
                await Console.Error.WriteLineAsync(matches.Count == 0
                    ? $"no key matches '{given}' (see `outdial keys list`)"
                    : $"{matches.Count} keys start with '{given}': give the whole key");
                return 2;
            }
            var k = matches[0];
            await store.DeleteApiKeyAsync(k.Serial, ct);
            Console.WriteLine($"revoked {k.Prefix}... ({k.Tenant}, {k.Role}); a running server stops accepting it within 30 s (its key cache)");
            return 0;
        });
        return revoke;
    }

    /// <summary>The store the server would open (Outdial__Store, as the data directory's Outdial__DataDir), migrated.</summary>
    private static async Task<IStore> OpenAsync(string dataDir, CancellationToken ct)
    {
        var store = StoreFactory.Open(Environment.GetEnvironmentVariable("Outdial__Store"), dataDir, TimeProvider.System);
        await store.MigrateAsync(ct);
        return store;
    }
}
