using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Helpers over the dial cycle's primitives (IStore.DialCycle.cs), driven directly as the engine would, without
/// its decisions: every due record read is taken to be callable.</summary>
public abstract class DialingContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    protected static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(5);

    /// <summary>Every due record of the campaign in pick order, read in a claim that is then rolled back.</summary>
    protected async Task<List<PickCandidate>> DueAsync(Campaign campaign, long? tenant = null, bool callbacksOnly = false)
    {
        await using var tx = await Store.BeginClaimAsync(tenant ?? TenantA, Ct);
        var due = new List<PickCandidate>();
        foreach (var group in await tx.ReadPickGroupsAsync(campaign.Id, callbacksOnly, Ct))
            due.AddRange(await tx.ReadDueAsync(campaign.Id, group, 1000, Now, Ct));
        return due;
    }

    /// <summary>Leases up to <paramref name="max"/> due records in pick order, in one committed claim.</summary>
    protected async Task<List<RecordLease>> LeaseAsync(Campaign campaign, string owner, int max = 1000, IStore? store = null)
    {
        await using var tx = await (store ?? Store).BeginClaimAsync(TenantA, Ct);
        Assert.NotNull(await tx.ReadCampaignAsync(campaign.Id, Ct));
        var until = Now + LeaseFor;
        var leases = new List<RecordLease>();
        foreach (var group in await tx.ReadPickGroupsAsync(campaign.Id, false, Ct))
        {
            if (leases.Count == max) break;
            foreach (var c in await tx.ReadDueAsync(campaign.Id, group, max - leases.Count, Now, Ct))
                if (await tx.LeaseAsync(campaign.Id, c, owner, until, Ct)) leases.Add(new RecordLease(campaign.Id, c.Record.Number, owner, until));
        }
        await tx.CommitAsync(Ct);
        return leases;
    }

    /// <summary>Starts an attempt at the record's first number, extending the lease by <paramref name="leaseFor"/>.</summary>
    protected async Task<string?> StartAsync(RecordLease lease, TimeSpan? leaseFor = null, long? tenant = null)
    {
        await using var tx = await Store.BeginStartAsync(tenant ?? TenantA, Ct);
        var id = await tx.StartAttemptAsync(lease, 0, Number(0), Now + (leaseFor ?? LeaseFor), Now, Ct);
        await tx.CommitAsync(Ct);
        return id;
    }

    /// <summary>Ends an attempt with <paramref name="result"/>: one more call, the record due at <paramref name="next"/>,
    /// or closed when <paramref name="close"/>; returns whether the progress was written.</summary>
    protected async Task<bool> FinishAsync(string attemptId, CallResult result, DateTimeOffset? next, bool close = false,
        ApplicationState state = ApplicationState.NEW)
    {
        await using var tx = await Store.BeginFinishAsync(TenantA, Ct);
        var attempt = (await tx.ReadAttemptAsync(attemptId, Ct))!;
        await tx.WriteAttemptEndAsync(attempt, new AttemptOutcome(result, attempt.PhoneIndex), new AttemptDetails { TalkSeconds = 3 }, Now, Ct);
        var current = await tx.ReadRecordAsync(attempt, Ct);
        var progress = current.Progress with
        {
            Result = result,
            CallCount = current.Progress.CallCount + 1,
            ApplicationState = state,
            State = close ? RecordState.CLOSED : RecordState.OPEN,
            ClosedAt = close ? Now : null,
            Modified = Now,
        };
        var written = await tx.WriteProgressAsync(attempt, current.Record, progress, next, Now, Ct);
        await tx.CommitAsync(Ct);
        return written;
    }

    protected async Task<RecordProgress> ProgressAsync(string recordId) =>
        Assert.Single((await Store.GetRecordAsync(TenantA, recordId, Ct))!.Progress);
}
