using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

/// <summary>
/// Due callbacks jump the queue: every heartbeat the runner leases callbacks that have come due, and both the pacer's calls
/// and agents' previews take them before anything in the picker's buffer, so a callback is dialed within a second of its time
/// when an agent or line is free.
/// </summary>
public sealed partial class CampaignRunner
{
    private const int CallbackQueue = 10;
    private static readonly TimeSpan CallbackLease = TimeSpan.FromMinutes(2);
    private readonly Queue<ClaimedRecord> _callbacks = new();
    private readonly string _callbackOwner = $"callbacks:{Guid.NewGuid():N}";

    private async Task RefreshCallbacksAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (_callbacks.Count >= CallbackQueue || Campaign.Status != Domain.CampaignStatus.Active) return;
        foreach (var due in await _store.ClaimCallableAsync(_tenant, Campaign.Id, CallbackQueue - _callbacks.Count, _callbackOwner, CallbackLease, now, ct, callbacksOnly: true))
            _callbacks.Enqueue(due);
    }

    /// <summary>The next record to dial: a due callback first (for <paramref name="agentId"/>, only its own or campaign callbacks), else the picker's.</summary>
    private async ValueTask<ClaimedRecord?> NextRecordAsync(string? agentId, CancellationToken ct)
    {
        var minUntil = _time.GetUtcNow() + TimeSpan.FromSeconds(20);
        for (var n = _callbacks.Count; n > 0; n--)
        {
            var callback = _callbacks.Dequeue();
            if (callback.Lease.Until < minUntil) continue; // about to expire: it is leased again at the next heartbeat
            if (agentId is not null && callback.Progress.AgentId is { } owner && !string.Equals(owner, agentId, StringComparison.Ordinal))
            {
                _callbacks.Enqueue(callback); // a personal callback of another agent
                continue;
            }
            return callback;
        }
        return await _picker.TakeAsync(ct);
    }

    private async Task ReleaseCallbacksAsync()
    {
        while (_callbacks.TryDequeue(out var callback)) await _store.ReleaseLeaseAsync(_tenant, callback.Lease, CancellationToken.None);
    }
}
