using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Catalog;

/// <summary>Queues: the ACD queue a campaign's calls are routed to.</summary>
public sealed class QueueOperations(IStore store)
{
    public Task<IReadOnlyList<Queue>> ListAsync(long tenant, CancellationToken ct) => store.ListQueuesAsync(tenant, ct);

    public async Task<Queue> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var qid) && await store.GetQueueAsync(tenant, qid, ct) is { } queue
            ? queue
            : throw OperationException.NotFound($"queue '{id}'");

    public async Task<Queue> CreateAsync(long tenant, string? name, CancellationToken ct)
    {
        var queue = new Queue(Id32.New(), Validate.Name(name, "name"));
        await store.CreateQueueAsync(tenant, queue, ct);
        return queue;
    }

    public async Task<Queue> UpdateAsync(long tenant, string id, string? name, CancellationToken ct)
    {
        var queue = new Queue(Id32.TryNormalize(id, out var qid) ? qid : "", Validate.Name(name, "name"));
        return await store.UpdateQueueAsync(tenant, queue, ct) ? queue : throw OperationException.NotFound($"queue '{id}'");
    }

    public async Task DeleteAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var qid) || !await store.DeleteQueueAsync(tenant, qid, ct))
            throw OperationException.NotFound($"queue '{id}'");
    }
}
