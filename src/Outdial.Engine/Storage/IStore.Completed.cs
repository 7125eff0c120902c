namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Records of a campaign (optionally of one of its lists) completed at or after <paramref name="since"/>, in
    /// completion order, after the given sequence number.</summary>
    /// <remarks>
    /// A cursor over completions. Each completion of a record in a campaign gets a sequence number never given before in
    /// the campaign (nor after the record, its list or the record holding the largest is deleted); a record completed
    /// again gets a new one. A reader paging with the largest sequence it has read never skips nor repeats a completion,
    /// whatever the order in which concurrent completing transactions commit: no completion may become visible with a
    /// sequence below one a reader could already see, so sequence order must be commit order.
    /// How: the completing transaction takes the next number from a counter row of the campaign and keeps that row locked
    /// until it commits, so the next completion of the campaign numbers after it has committed. PostgreSQL (READ
    /// COMMITTED): <c>UPDATE … SET last = last + 1 … RETURNING last</c> on the counter row, late in the transaction; a
    /// sequence (<c>nextval</c>) would not do, its numbers are taken at call time and commit in any order. SQLite: one
    /// writer at a time gives the order. Chosen over a visibility horizon (transaction ids below
    /// <c>pg_snapshot_xmin</c>) because the cursor stays one integer (the native API's and the dialects' cursors) and
    /// the feed has no lag; its cost is that completions of one campaign commit one after another.
    /// </remarks>
    /// <returns>Null when the campaign (or list) does not exist in the tenant.</returns>
    Task<IReadOnlyList<CompletedRecord>?> GetCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        long afterSequence, int limit, CancellationToken ct);
}

/// <summary>A completed record with the facts of its last attempt (Bright Pattern's status block).</summary>
public sealed record CompletedRecord(long Sequence, StoredRecord Record, string? LastPhone, double? LastCallDuration, string? LastAgent, long TotalAttempts);
