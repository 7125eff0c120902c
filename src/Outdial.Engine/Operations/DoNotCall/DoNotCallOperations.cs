using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Phones;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.DoNotCall;

/// <summary>A do-not-call entry as a caller asks for it: a number (national with a country, or E.164), optionally for one
/// campaign only and until a time.</summary>
public sealed record DncRequest(string? Number = null, string? CampaignId = null, string? Reason = null, string? Source = null,
    DateTimeOffset? Expires = null, string? Country = null);

/// <summary>One entry of a bulk upload: the request, or why its row could not be read.</summary>
public readonly record struct DncRow(DncRequest? Request, string? Error);

/// <summary>
/// The do-not-call list: add, remove, list, bulk upload. A change that affects waiting records (a removal, an entry re-posted
/// with an earlier end) records a re-evaluation in the store with the change; the operation then wakes the worker that runs it.
/// </summary>
public sealed class DoNotCallOperations(IStore store, ReevaluationSignal reevaluation, TimeProvider time)
{
    /// <summary>Entries per store call in a bulk upload.</summary>
    private const int BatchSize = 2000;

    public async Task<IReadOnlyList<DncEntry>> ListAsync(long tenant, string? campaignId, string? number, int? offset, int? limit, CancellationToken ct)
    {
        var cid = campaignId is null ? null : Validate.Id(campaignId, "campaignId");
        string? e164 = null;
        if (number is not null)
        {
            var phone = PhoneNormalizer.Normalize(number, null);
            if (!phone.IsValid) throw new ValidationException($"'number': {phone.Error}", "number");
            e164 = phone.E164;
        }
        if (limit is < 1 or > 1000 || offset is < 0) throw new ValidationException("'limit' must be 1 to 1000 and 'offset' at least 0", limit is < 1 or > 1000 ? "limit" : "offset");
        return await store.ListDncAsync(tenant, cid, e164, offset ?? 0, limit ?? 100, ct);
    }

    public async Task<DncEntry> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var did) && await store.GetDncAsync(tenant, did, ct) is { } entry
            ? entry
            : throw OperationException.NotFound($"do-not-call entry '{id}'");

    /// <summary>Adds an entry (or updates the entry of the same number and campaign) and answers it as stored.</summary>
    public async Task<DncEntry> AddAsync(long tenant, DncRequest request, CancellationToken ct)
    {
        var entry = ToEntry(request, time.GetUtcNow());
        RowOutcome outcome;
        try
        {
            outcome = (await store.AddDncAsync(tenant, [entry], ct))[0];
        }
        finally
        {
            reevaluation.Raise(); // an entry re-posted with an earlier end recorded a re-evaluation
        }
        if (outcome.Status == RowStatus.Failed) throw new OperationException(ErrorKind.UnknownReference, outcome.Error!, "campaignId");
        return (await store.GetDncAsync(tenant, outcome.Id!, ct))!;
    }

    /// <summary>Removes an entry: the records with its number are evaluated again in the background.</summary>
    public async Task RemoveAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var did) || !await store.DeleteDncAsync(tenant, did, ct))
            throw OperationException.NotFound($"do-not-call entry '{id}'");
        reevaluation.Raise(); // the delete recorded a re-evaluation of the records that have the number
    }

    /// <summary>Adds many entries; each row fails alone. Answers one result per row, in order.</summary>
    public async Task<List<ImportRowResult>> ImportAsync(long tenant, IEnumerable<DncRow> rows, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var results = new List<ImportRowResult>();
        var batch = new List<(int Index, DncEntry Entry)>();
        try
        {
            foreach (var row in rows)
            {
                var (entry, error) = row.Request is null ? (null, row.Error) : TryEntry(row.Request, now);
                results.Add(new ImportRowResult(400, null, error)); // replaced by the store's outcome when the entry is valid
                if (entry is not null) batch.Add((results.Count - 1, entry));
                if (batch.Count == BatchSize) await FlushAsync(tenant, batch, results, ct);
            }
            if (batch.Count > 0) await FlushAsync(tenant, batch, results, ct);
            return results;
        }
        finally
        {
            reevaluation.Raise(); // also when a later batch failed: earlier batches may have recorded re-evaluations
        }
    }

    private async Task FlushAsync(long tenant, List<(int Index, DncEntry Entry)> batch, List<ImportRowResult> results, CancellationToken ct)
    {
        var outcomes = await store.AddDncAsync(tenant, batch.Select(b => b.Entry).ToList(), ct);
        for (var i = 0; i < outcomes.Count; i++)
            results[batch[i].Index] = outcomes[i].Status == RowStatus.Failed
                ? new ImportRowResult(422, null, outcomes[i].Error)
                : new ImportRowResult(outcomes[i].Status == RowStatus.Created ? 201 : 200, outcomes[i].Id);
        batch.Clear();
    }

    private static (DncEntry? Entry, string? Error) TryEntry(DncRequest request, DateTimeOffset now)
    {
        try
        {
            return (ToEntry(request, now), null);
        }
        catch (ValidationException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The request checked field by field, as a new entry.</summary>
    internal static DncEntry ToEntry(DncRequest request, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.Number)) throw new ValidationException("'number' is required", "number");
        var region = Validate.Region(request.Country, "country");
        var phone = PhoneNormalizer.Normalize(request.Number, region);
        if (!phone.IsValid) throw new ValidationException($"Invalid number '{request.Number}': {phone.Error}", "number");
        string? campaign = null;
        if (request.CampaignId is not null && !Id32.TryNormalize(request.CampaignId, out campaign))
            throw new ValidationException($"'campaignId': '{request.CampaignId}' is not an id32", "campaignId");
        if (request.Reason is { Length: > 500 } || request.Source is { Length: > 200 })
            throw new ValidationException("'reason' or 'source' is too long", request.Reason is { Length: > 500 } ? "reason" : "source");
        if (request.Expires is { } x && (x.Year > 9999 || x <= now)) throw new ValidationException("'expires' must be a future time", "expires");
        return new DncEntry(Id32.New(), phone.E164!, campaign, request.Reason, request.Source, now, request.Expires);
    }
}
