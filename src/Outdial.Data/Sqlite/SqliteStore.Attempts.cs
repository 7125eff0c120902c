using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>Starting and finishing attempts on leased records, each in one transaction (on the dialing connection: SqliteStore.DialCycle.cs).</summary>
public sealed partial class SqliteStore
{
    /// <summary>What migration 0007's trigger writes on an attempt whose dialer lost the lease (the same text is in the SQL).</summary>
    internal const string LeaseExpiredDisposition = "lease expired: the dialer stopped before the call ended";

    public Task<AttemptStart> StartAttemptAsync(long tenant, RecordLease lease, TimeSpan leaseFor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Dialing.StartAsync(tenant, lease, leaseFor, now, ct);
    }

    private sealed class AttemptKeyRow
    {
        public long Id { get; set; }
        public string CampaignUid { get; set; } = "";
        public long CampaignId { get; set; }
        public long RecordId { get; set; }
        public long PhoneIndex { get; set; }
        public string Result { get; set; } = "";
        public string? Disposition { get; set; }
        public long? CurrentAttempt { get; set; }
    }

    public Task<AttemptFinish> FinishAttemptAsync(
        long tenant, string attemptId, AttemptOutcome outcome, AttemptDetails? details, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Result is CallResult.DIALING or CallResult.MAXCALLS)
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, "not an attempt outcome");
        return Dialing.FinishAsync(tenant, attemptId, outcome, details, now, ct);
    }
}
