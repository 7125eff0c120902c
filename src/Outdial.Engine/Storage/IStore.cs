using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

/// <summary>
/// The store port. Every tenant-owned read or write takes the caller's tenant and never crosses it.
/// Implementations: SQLite (embedded default); PostgreSQL on the roadmap.
/// </summary>
/// <remarks>Split by feature into partial declarations; each implementation mirrors the split.</remarks>
public partial interface IStore : IAsyncDisposable
{
    /// <summary>Applies pending schema migrations; safe to call at every start.</summary>
    Task MigrateAsync(CancellationToken ct);

    Task<bool> PingAsync(CancellationToken ct);

    Task<long> EnsureTenantAsync(string name, CancellationToken ct);

    Task<bool> AnyApiKeyAsync(CancellationToken ct);

    Task AddApiKeyAsync(long tenantId, Role role, byte[] keyHash, string prefix, CancellationToken ct);

    /// <summary>Adds an agent-role key that acts for <paramref name="agentId"/> only.</summary>
    /// <returns>False when the tenant has no such agent.</returns>
    Task<bool> AddAgentKeyAsync(long tenantId, string agentId, byte[] keyHash, string prefix, CancellationToken ct);

    Task<ApiKeyGrant?> FindApiKeyAsync(byte[] keyHash, CancellationToken ct);

    /// <summary>A number that changes whenever any key is added, changed or removed, by any process on the store: what
    /// key caches compare to know their entries may be stale.</summary>
    Task<long> ApiKeyRevisionAsync(CancellationToken ct);

    /// <summary>The keys (never the keys themselves: their prefixes and hashes), of one tenant or of all when null.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string? tenant, CancellationToken ct);

    Task<bool> DeleteApiKeyAsync(long serial, CancellationToken ct);
}

public sealed record ApiKeyInfo(long Serial, string Prefix, byte[] Hash, string Tenant, Role Role, string? AgentId, DateTimeOffset Created);

/// <param name="AgentId">The agent (id32) an agent-role key is bound to; null for other keys.</param>
public sealed record ApiKeyGrant(long TenantId, string TenantName, Role Role, string? AgentId = null);

/// <summary>Thrown when a write would break a uniqueness rule (duplicate name, duplicate externalId).</summary>
public sealed class ConflictException(string message) : Operations.OperationException(Operations.ErrorKind.Conflict, message);

/// <summary>Thrown when a referenced object does not exist in the caller's tenant.</summary>
public sealed class ReferenceNotFoundException(string message) : Operations.OperationException(Operations.ErrorKind.UnknownReference, message);
