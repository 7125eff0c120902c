using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    Task<IReadOnlyList<Queue>> ListQueuesAsync(long tenant, CancellationToken ct);
    Task<Queue?> GetQueueAsync(long tenant, string id, CancellationToken ct);
    Task CreateQueueAsync(long tenant, Queue queue, CancellationToken ct);
    Task<bool> UpdateQueueAsync(long tenant, Queue queue, CancellationToken ct);
    Task<bool> DeleteQueueAsync(long tenant, string id, CancellationToken ct);

    Task<IReadOnlyList<Agent>> ListAgentsAsync(long tenant, CancellationToken ct);
    Task<Agent?> GetAgentAsync(long tenant, string id, CancellationToken ct);
    Task CreateAgentAsync(long tenant, Agent agent, CancellationToken ct);
    Task<bool> UpdateAgentAsync(long tenant, Agent agent, CancellationToken ct);
    Task<bool> DeleteAgentAsync(long tenant, string id, CancellationToken ct);

    Task<IReadOnlyList<CallingList>> ListCallingListsAsync(long tenant, CancellationToken ct);
    Task<CallingList?> GetCallingListAsync(long tenant, string id, CancellationToken ct);
    Task CreateCallingListAsync(long tenant, CallingList list, CancellationToken ct);
    Task<bool> UpdateCallingListAsync(long tenant, CallingList list, CancellationToken ct);
    Task<bool> DeleteCallingListAsync(long tenant, string id, CancellationToken ct);
}
