using Outdial.Engine.Dialing;

namespace Outdial.Data.Sqlite;

/// <summary>Attempts as the finish reads them (SqliteStore.DialingTransaction.cs).</summary>
public sealed partial class SqliteStore
{
    /// <summary>What migration 0007's trigger writes on an attempt whose dialer lost the lease (the same text is in the SQL).</summary>
    internal const string LeaseExpiredDisposition = DialCycle.LeaseExpiredDisposition;

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
}
