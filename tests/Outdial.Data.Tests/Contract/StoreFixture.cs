using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>One empty database per test, and the stores opened over it. A store implementation joins the contract suite
/// by deriving from this (see README.md in this folder).</summary>
public abstract class StoreFixture : IAsyncDisposable
{
    private readonly List<IStore> _opened = [];

    /// <summary>A store over this fixture's database, not yet migrated. Called again, a second store over the same
    /// database: another server sharing it.</summary>
    protected abstract IStore Create(TimeProvider time);

    /// <summary>Removes the database once every store opened over it is disposed.</summary>
    protected abstract ValueTask DropAsync();

    /// <summary>A migrated store over this fixture's database (the first call creates it, empty).</summary>
    public async Task<IStore> OpenAsync(TimeProvider time, CancellationToken ct)
    {
        var store = Create(time);
        _opened.Add(store);
        await store.MigrateAsync(ct);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await DropAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Completes one callable record of an Active campaign the way the dialer does (claim, dial, a SUCCESS answer);
    /// returns its serial, or null when none is callable. The one place the contract tests drive the dial cycle: adapt it
    /// here when the dial cycle's port changes.</summary>
    public static async Task<long?> CompleteOneAsync(IStore store, long tenant, string campaignId, string owner, DateTimeOffset now, CancellationToken ct)
    {
        var claimed = await store.ClaimCallableAsync(tenant, campaignId, 1, owner, TimeSpan.FromMinutes(5), now, ct);
        if (claimed.Count == 0) return null;
        var start = await store.StartAttemptAsync(tenant, claimed[0].Lease, TimeSpan.FromMinutes(5), now, ct);
        if (start.Status != AttemptStartStatus.Started) throw new InvalidOperationException($"attempt not started: {start.Status} {start.Reason}");
        var finish = await store.FinishAttemptAsync(tenant, start.AttemptId!, new AttemptOutcome(CallResult.SUCCESS, start.PhoneIndex),
            new AttemptDetails { Answered = now, TalkSeconds = 12 }, now, ct);
        if (finish.Status != AttemptFinishStatus.Applied) throw new InvalidOperationException($"attempt not finished: {finish.Status}");
        return claimed[0].Lease.RecordSerial;
    }
}
