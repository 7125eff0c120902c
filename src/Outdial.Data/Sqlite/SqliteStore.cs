using System.Reflection;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, migrated at start.</summary>
public sealed partial class SqliteStore : IStore
{
    private readonly string _connectionString, _unpooledConnectionString;
    private readonly TimeProvider _time;
    private readonly ReadConnections _reads;

    /// <summary>The database file's name in a data directory.</summary>
    public const string FileName = "outdial.db";

    public SqliteStore(string databasePath, TimeProvider time)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        builder.Pooling = false;
        _unpooledConnectionString = builder.ToString();
        _time = time;
        _reads = new ReadConnections(OpenAsync);
    }

    public string DatabasePath { get; }

    internal long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal Task<SqliteConnection> OpenAsync(CancellationToken ct) => OpenAsync(_connectionString, ct);

    /// <summary>A connection of its own, closed (not pooled) when disposed: the dialing connection (SqliteStore.DialingConnection.cs).</summary>
    internal Task<SqliteConnection> OpenUnpooledAsync(CancellationToken ct) => OpenAsync(_unpooledConnectionString, ct);

    private static readonly ConditionalWeakTable<object, object> Configured = new();

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Per-connection settings; journal_mode=WAL is persistent and set once by MigrateAsync. A pooled connection
            // keeps them: set once per underlying handle, not on every open from the pool (a cost on every request).
            var handle = connection.Handle!;
            if (Configured.TryGetValue(handle, out _)) return connection;
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(ct);
            Configured.AddOrUpdate(handle, handle);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: ct));
        var current = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", cancellationToken: ct));
        foreach (var (version, sql) in Migrations())
        {
            if (version <= current) continue;
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version};", transaction: tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
    }

    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = typeof(SqliteStore).Assembly;
        const string prefix = "Outdial.Data.Sqlite.Migrations.";
        var previous = 0;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[prefix.Length..];
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            // Two files with one number would leave the second unapplied on every store already at that version.
            if (version != previous + 1) throw new InvalidOperationException($"migration {file}: expected version {previous + 1}");
            previous = version;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM tenants", cancellationToken: ct)) >= 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public async Task<long> EnsureTenantAsync(string name, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tenants (name, created) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING",
            new { name, now = NowMs }, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT id FROM tenants WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<bool> AnyApiKeyAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM api_keys)", cancellationToken: ct)) == 1;
    }

    public async Task AddApiKeyAsync(long tenantId, Role role, byte[] keyHash, string prefix, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_keys (tenant_id, role, key_hash, prefix, created) VALUES (@tenantId, @role, @keyHash, @prefix, @now)",
            new { tenantId, role = role.ToString(), keyHash, prefix, now = NowMs }, cancellationToken: ct));
    }

    public async Task<bool> AddAgentKeyAsync(long tenantId, string agentId, byte[] keyHash, string prefix, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_keys (tenant_id, role, key_hash, prefix, created, agent_id)
            SELECT @tenantId, 'agent', @keyHash, @prefix, @now, id FROM agents WHERE tenant_id = @tenantId AND uid = @agentId
            """, new { tenantId, keyHash, prefix, now = NowMs, agentId }, cancellationToken: ct)) == 1;
    }

    public async Task<ApiKeyGrant?> FindApiKeyAsync(byte[] keyHash, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long TenantId, string TenantName, string Role, string? AgentId)?>(new CommandDefinition("""
            SELECT k.tenant_id, t.name, k.role, a.uid
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN agents a ON a.id = k.agent_id
            WHERE k.key_hash = @keyHash
            """, new { keyHash }, cancellationToken: ct));
        return row is { } r ? new ApiKeyGrant(r.TenantId, r.TenantName, Enum.Parse<Role>(r.Role), r.AgentId) : null;
    }

    public async Task<long> ApiKeyRevisionAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT revision FROM key_revision", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string? tenant, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Prefix, byte[] Hash, string Tenant, string Role, string? AgentId, long Created)>(new CommandDefinition("""
            SELECT k.id, k.prefix, k.key_hash, t.name, k.role, a.uid, k.created
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN agents a ON a.id = k.agent_id
            WHERE @tenant IS NULL OR t.name = @tenant
            ORDER BY t.name, k.created, k.id
            """, new { tenant }, cancellationToken: ct));
        return rows.Select(r => new ApiKeyInfo(r.Id, r.Prefix, r.Hash, r.Tenant, Enum.Parse<Role>(r.Role), r.AgentId, FromMs(r.Created)!.Value)).ToList();
    }

    public async Task<bool> DeleteApiKeyAsync(long serial, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM api_keys WHERE id = @serial", new { serial }, cancellationToken: ct)) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dialing is { } dialing) await dialing.DisposeAsync();
        await _reads.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    internal static bool IsUniqueViolation(SqliteException e) => e.SqliteErrorCode == 19 && e.SqliteExtendedErrorCode is 2067 or 1555;

    internal static long? ToMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    internal static DateTimeOffset? FromMs(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
