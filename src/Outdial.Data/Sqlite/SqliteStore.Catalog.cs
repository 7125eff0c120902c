using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private async Task<int> WriteAsync(string sql, object args, string conflictMessage, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // constraint: unique or foreign key
        {
            throw new ConflictException(conflictMessage);
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
    }

    public Task<IReadOnlyList<Queue>> ListQueuesAsync(long tenant, CancellationToken ct) =>
        QueryAsync<Queue>("SELECT uid AS Id, name AS Name FROM queues WHERE tenant_id = @tenant ORDER BY name", new { tenant }, ct);

    public async Task<Queue?> GetQueueAsync(long tenant, string id, CancellationToken ct) =>
        (await QueryAsync<Queue>("SELECT uid AS Id, name AS Name FROM queues WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, ct)).SingleOrDefault();

    public Task CreateQueueAsync(long tenant, Queue queue, CancellationToken ct) =>
        WriteAsync("INSERT INTO queues (uid, tenant_id, name) VALUES (@Id, @tenant, @Name)",
            new { queue.Id, tenant, queue.Name }, $"a queue named '{queue.Name}' already exists", ct);

    public async Task<bool> UpdateQueueAsync(long tenant, Queue queue, CancellationToken ct) =>
        await WriteAsync("UPDATE queues SET name = @Name WHERE tenant_id = @tenant AND uid = @Id",
            new { queue.Id, tenant, queue.Name }, $"a queue named '{queue.Name}' already exists", ct) == 1;

    public async Task<bool> DeleteQueueAsync(long tenant, string id, CancellationToken ct) =>
        await WriteAsync("DELETE FROM queues WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, "the queue is used by a campaign", ct) == 1;

    public Task<IReadOnlyList<Agent>> ListAgentsAsync(long tenant, CancellationToken ct) =>
        QueryAsync<Agent>("SELECT uid AS Id, login AS Login, name AS Name FROM agents WHERE tenant_id = @tenant ORDER BY login", new { tenant }, ct);

    public async Task<Agent?> GetAgentAsync(long tenant, string id, CancellationToken ct) =>
        (await QueryAsync<Agent>("SELECT uid AS Id, login AS Login, name AS Name FROM agents WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, ct)).SingleOrDefault();

    public Task CreateAgentAsync(long tenant, Agent agent, CancellationToken ct) =>
        WriteAsync("INSERT INTO agents (uid, tenant_id, login, name) VALUES (@Id, @tenant, @Login, @Name)",
            new { agent.Id, tenant, agent.Login, agent.Name }, $"an agent with login '{agent.Login}' already exists", ct);

    public async Task<bool> UpdateAgentAsync(long tenant, Agent agent, CancellationToken ct) =>
        await WriteAsync("UPDATE agents SET login = @Login, name = @Name WHERE tenant_id = @tenant AND uid = @Id",
            new { agent.Id, tenant, agent.Login, agent.Name }, $"an agent with login '{agent.Login}' already exists", ct) == 1;

    /// <remarks>Its state history stays (the statistics keep its time); an interval still open ends now, or it would
    /// run on for ever.</remarks>
    public async Task<bool> DeleteAgentAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agent_intervals SET ended = @now WHERE agent_uid = @id AND tenant_id = @tenant AND ended IS NULL",
            new { tenant, id, now = NowMs }, tx, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM agents WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return deleted == 1;
    }

    private const string ListColumns = "uid AS Id, name AS Name, default_region AS DefaultRegion, created AS CreatedMs";

    private sealed record ListRow(string Id, string Name, string? DefaultRegion, long CreatedMs)
    {
        public CallingList ToList() => new(Id, Name, DefaultRegion, DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs));
    }

    public async Task<IReadOnlyList<CallingList>> ListCallingListsAsync(long tenant, CancellationToken ct) =>
        (await QueryAsync<ListRow>($"SELECT {ListColumns} FROM calling_lists WHERE tenant_id = @tenant ORDER BY name", new { tenant }, ct)).Select(r => r.ToList()).ToList();

    public async Task<CallingList?> GetCallingListAsync(long tenant, string id, CancellationToken ct) =>
        (await QueryAsync<ListRow>($"SELECT {ListColumns} FROM calling_lists WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, ct)).SingleOrDefault()?.ToList();

    public Task CreateCallingListAsync(long tenant, CallingList list, CancellationToken ct) =>
        WriteAsync("INSERT INTO calling_lists (uid, tenant_id, name, default_region, created) VALUES (@Id, @tenant, @Name, @DefaultRegion, @created)",
            new { list.Id, tenant, list.Name, list.DefaultRegion, created = list.Created.ToUnixTimeMilliseconds() }, $"a calling list named '{list.Name}' already exists", ct);

    public async Task<bool> UpdateCallingListAsync(long tenant, CallingList list, CancellationToken ct) =>
        await WriteAsync("UPDATE calling_lists SET name = @Name, default_region = @DefaultRegion WHERE tenant_id = @tenant AND uid = @Id",
            new { list.Id, tenant, list.Name, list.DefaultRegion }, $"a calling list named '{list.Name}' already exists", ct) == 1;

    public async Task<bool> DeleteCallingListAsync(long tenant, string id, CancellationToken ct) =>
        await WriteAsync("DELETE FROM calling_lists WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, "the calling list is in use", ct) == 1;
}
