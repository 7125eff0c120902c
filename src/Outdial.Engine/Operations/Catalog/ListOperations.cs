using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Catalog;

/// <summary>A calling list's editable fields.</summary>
public sealed record ListChanges(string? Name, string? DefaultRegion);

/// <summary>Calling lists: records live in a list; a list may feed several campaigns.</summary>
public sealed class ListOperations(IStore store, TimeProvider time)
{
    public Task<IReadOnlyList<CallingList>> ListAsync(long tenant, CancellationToken ct) => store.ListCallingListsAsync(tenant, ct);

    public async Task<CallingList> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var lid) && await store.GetCallingListAsync(tenant, lid, ct) is { } list
            ? list
            : throw OperationException.NotFound($"calling list '{id}'");

    public async Task<CallingList> CreateAsync(long tenant, ListChanges changes, CancellationToken ct)
    {
        var list = new CallingList(Id32.New(), Validate.Name(changes.Name, "name"), Validate.Region(changes.DefaultRegion, "defaultRegion"), time.GetUtcNow());
        await store.CreateCallingListAsync(tenant, list, ct);
        return list;
    }

    public async Task<CallingList> UpdateAsync(long tenant, string id, ListChanges changes, CancellationToken ct)
    {
        var existing = await GetAsync(tenant, id, ct);
        var list = existing with { Name = Validate.Name(changes.Name, "name"), DefaultRegion = Validate.Region(changes.DefaultRegion, "defaultRegion") };
        return await store.UpdateCallingListAsync(tenant, list, ct) ? list : throw OperationException.NotFound($"calling list '{id}'");
    }

    public async Task DeleteAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var lid) || !await store.DeleteCallingListAsync(tenant, lid, ct))
            throw OperationException.NotFound($"calling list '{id}'");
    }
}
