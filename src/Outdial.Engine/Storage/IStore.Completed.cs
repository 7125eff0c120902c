namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Records of a campaign (optionally of one of its lists) closed at or after <paramref name="since"/>, in
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
    /// Each completion also gets a <see cref="CompletedRecord.CompletedTime"/> that grows strictly with the sequence in the
    /// campaign (the closing time, moved on by a microsecond where the previous completion's is not below it), so that a time
    /// alone is a cursor too: Bright Pattern's clients page with nothing else.
    /// </remarks>
    /// <returns>Null when the campaign (or list) does not exist in the tenant.</returns>
    Task<IReadOnlyList<CompletedRecord>?> GetCompletedAsync(long tenant, string campaignId, string? listId, DateTimeOffset? since,
        long afterSequence, int limit, CancellationToken ct);

    /// <summary>The first <paramref name="limit"/> completions of a campaign (optionally of one of its lists) whose
    /// <see cref="CompletedRecord.CompletedTime"/> is at or after <paramref name="from"/>, in completion order.</summary>
    /// <returns>Null when the campaign (or list) does not exist in the tenant.</returns>
    Task<IReadOnlyList<CompletedRecord>?> GetCompletedFromAsync(long tenant, string campaignId, string? listId, DateTimeOffset from,
        int limit, CancellationToken ct);
}

/// <summary>A completed record with the facts of its last attempt (Bright Pattern's status block).</summary>
/// <param name="CompletedTime">The completion's time in the feed, microsecond precision: its closing time, or a few
/// microseconds later where completions crowd; unique and growing in completion order within the campaign.</param>
public sealed record CompletedRecord(long Sequence, DateTimeOffset CompletedTime, StoredRecord Record, string? LastPhone, double? LastCallDuration,
    string? LastAgent, long TotalAttempts);
