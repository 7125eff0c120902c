using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Catalog;

/// <summary>An agent's editable fields.</summary>
public sealed record AgentChanges(string? Login, string? Name);

/// <summary>Agents as people the tenant employs (their work and sessions are other operations).</summary>
public sealed class AgentOperations(IStore store)
{
    public Task<IReadOnlyList<Agent>> ListAsync(long tenant, CancellationToken ct) => store.ListAgentsAsync(tenant, ct);

    public async Task<Agent> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var aid) && await store.GetAgentAsync(tenant, aid, ct) is { } agent
            ? agent
            : throw OperationException.NotFound($"agent '{id}'");

    public async Task<Agent> CreateAsync(long tenant, AgentChanges changes, CancellationToken ct)
    {
        var agent = Build(Id32.New(), changes);
        await store.CreateAgentAsync(tenant, agent, ct);
        return agent;
    }

    public async Task<Agent> UpdateAsync(long tenant, string id, AgentChanges changes, CancellationToken ct)
    {
        var agent = Build(Id32.TryNormalize(id, out var aid) ? aid : "", changes);
        return await store.UpdateAgentAsync(tenant, agent, ct) ? agent : throw OperationException.NotFound($"agent '{id}'");
    }

    /// <summary>Deletes the agent and its keys; returns its normalized id (for caches of those keys).</summary>
    public async Task<string> DeleteAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var aid) && await store.DeleteAgentAsync(tenant, aid, ct)
            ? aid
            : throw OperationException.NotFound($"agent '{id}'");

    /// <summary>Stores a desk key (its hash and display prefix) acting for this agent only; returns the agent's id.</summary>
    public async Task<string> AddKeyAsync(long tenant, string id, byte[] keyHash, string keyPrefix, CancellationToken ct) =>
        Id32.TryNormalize(id, out var aid) && await store.AddAgentKeyAsync(tenant, aid, keyHash, keyPrefix, ct)
            ? aid
            : throw OperationException.NotFound($"agent '{id}'");

    private static Agent Build(string id, AgentChanges changes) =>
        new(id, Validate.Name(changes.Login, "login", 100), Validate.Name(changes.Name, "name"));
}
