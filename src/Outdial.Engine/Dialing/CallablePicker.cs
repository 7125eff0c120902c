using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

public sealed record PickerOptions
{
    /// <summary>Records leased per store claim.</summary>
    public int BatchSize { get; init; } = 200;
    /// <summary>When the buffer falls to this many records a refill starts in the background, so a take rarely waits.</summary>
    public int LowWater { get; init; } = 50;
    /// <summary>Lease taken at claim time; a buffered record must be dialed (StartAttempt) before it runs out.</summary>
    public TimeSpan LeaseFor { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>A buffered record with less lease left than this is dropped rather than handed out (its lease simply expires).</summary>
    public TimeSpan MinRemainingLease { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// One dialer's in-memory buffer of leased, callable records of one campaign, refilled in batches through
/// <see cref="IStore.ClaimCallableAsync"/> as it drains (not on a timer: a refill happens exactly when records are needed).
/// </summary>
/// <remarks>Thread-safe. Records come out in the store's pick order within a batch. Dispose releases what is still buffered.</remarks>
public sealed class CallablePicker(IStore store, long tenant, string campaignId, string owner, TimeProvider time, PickerOptions? options = null)
    : IAsyncDisposable
{
    private readonly PickerOptions _options = options ?? new PickerOptions();
    private readonly Queue<ClaimedRecord> _buffer = new();
    private readonly Lock _lock = new();
    private Task<int>? _refill;

    public int Buffered
    {
        get { lock (_lock) return _buffer.Count; }
    }

    /// <summary>A background refill is under way.</summary>
    public bool IsRefilling
    {
        get { lock (_lock) return _refill is { IsCompleted: false }; }
    }

    /// <summary>The next leased record to dial, or null when the campaign has nothing callable now.</summary>
    public async ValueTask<ClaimedRecord?> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            Task<int> refill;
            lock (_lock)
            {
                var minUntil = time.GetUtcNow() + _options.MinRemainingLease;
                while (_buffer.TryDequeue(out var next))
                {
                    if (next.Lease.Until < minUntil) continue;
                    if (_buffer.Count <= _options.LowWater) StartRefill();
                    return next;
                }
                refill = StartRefill();
            }
            if (await refill.WaitAsync(ct) == 0 && Buffered == 0) return null;
        }
    }

    /// <summary>Gives every buffered record back to the pool.</summary>
    public async Task ReleaseAllAsync(CancellationToken ct)
    {
        ClaimedRecord[] buffered;
        lock (_lock)
        {
            buffered = [.. _buffer];
            _buffer.Clear();
        }
        foreach (var c in buffered) await store.ReleaseLeaseAsync(tenant, c.Lease, ct);
    }

    // Caller holds the lock. One refill at a time; a faulted refill surfaces to the taker that awaits it.
    private Task<int> StartRefill()
    {
        if (_refill is { IsCompleted: false } running) return running;
        return _refill = RefillAsync();
    }

    private async Task<int> RefillAsync()
    {
        await Task.Yield();
        var batch = await store.ClaimCallableAsync(tenant, campaignId, _options.BatchSize, owner, _options.LeaseFor, time.GetUtcNow(), CancellationToken.None);
        lock (_lock)
        {
            // Due callbacks go before what is still buffered: a callback's time beats the order of earlier batches.
            var callbacks = batch.Where(c => c.Progress.ApplicationState == Domain.ApplicationState.RECALL).ToList();
            if (callbacks.Count > 0 && _buffer.Count > 0)
            {
                var rest = _buffer.ToArray();
                _buffer.Clear();
                foreach (var c in callbacks) _buffer.Enqueue(c);
                foreach (var c in rest) _buffer.Enqueue(c);
                foreach (var c in batch) if (c.Progress.ApplicationState != Domain.ApplicationState.RECALL) _buffer.Enqueue(c);
            }
            else
            {
                foreach (var c in batch) _buffer.Enqueue(c);
            }
        }
        return batch.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (_refill is { } refill)
        {
            try { await refill; } catch (Exception e) when (e is not OutOfMemoryException) { } // already reported to a taker
        }
        await ReleaseAllAsync(CancellationToken.None);
    }
}
