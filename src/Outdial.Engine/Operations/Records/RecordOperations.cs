using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Records;

/// <summary>Where new records of a request land: a calling list, and the region for numbers written nationally.</summary>
public sealed record RecordTarget(string ListId, string? DefaultRegion);

/// <summary>Records one at a time: add to a list or a campaign, read, change, delete, search, and their attempts.</summary>
public sealed class RecordOperations(IStore store)
{
    /// <summary>A list's records land in it; national numbers take the list's region.</summary>
    public async Task<RecordTarget> TargetOfListAsync(long tenant, string listId, CancellationToken ct) =>
        Id32.TryNormalize(listId, out var lid) && await store.GetCallingListAsync(tenant, lid, ct) is { } list
            ? new RecordTarget(list.Id, list.DefaultRegion)
            : throw OperationException.NotFound($"calling list '{listId}'");

    /// <summary>
    /// A campaign's records land in its default list; national numbers take that list's region, else the campaign's.
    /// </summary>
    public async Task<RecordTarget> TargetOfCampaignAsync(long tenant, string campaignId, CancellationToken ct)
    {
        if (!Id32.TryNormalize(campaignId, out var cid) || await store.GetCampaignAsync(tenant, cid, ct) is not { DefaultListId: { } listId } campaign)
            throw OperationException.NotFound($"campaign '{campaignId}'");
        var list = await store.GetCallingListAsync(tenant, listId, ct);
        return new RecordTarget(listId, list?.DefaultRegion ?? campaign.DefaultRegion);
    }

    public async Task<StoredRecord> CreateInListAsync(long tenant, string listId, RecordFields fields, CancellationToken ct) =>
        await CreateAsync(tenant, await TargetOfListAsync(tenant, listId, ct), fields, ct);

    public async Task<StoredRecord> CreateInCampaignAsync(long tenant, string campaignId, RecordFields fields, CancellationToken ct) =>
        await CreateAsync(tenant, await TargetOfCampaignAsync(tenant, campaignId, ct), fields, ct);

    /// <summary>Adds one record; a duplicate externalId is a conflict, an unknown agent an unknown reference.</summary>
    public async Task<StoredRecord> CreateAsync(long tenant, RecordTarget target, RecordFields fields, CancellationToken ct)
    {
        var draft = Build(fields, target.DefaultRegion);
        RowOutcome outcome;
        await using (var writer = await store.BeginRecordWriteAsync(tenant, target.ListId, DuplicatePolicy.reject, null, ct))
        {
            if (writer is null) throw OperationException.NotFound($"calling list '{target.ListId}'");
            outcome = writer.Write(draft);
            if (outcome.Status == RowStatus.Failed) throw OperationException.Conflict(outcome.Error!);
            if (outcome.Status == RowStatus.UnknownReference) throw new OperationException(ErrorKind.UnknownReference, outcome.Error!);
            await writer.CommitAsync(ct);
        }
        return await store.GetRecordAsync(tenant, outcome.Id!, ct) ?? throw OperationException.NotFound($"record '{outcome.Id}'");
    }

    /// <summary>
    /// Adds many records in one transaction (a bulk add), one result per row in order: 201 with the id, or 400 invalid,
    /// 409 a duplicate externalId, 422 an unknown agent. A row without fields failed in the adapter (its error is answered as
    /// a 400). <paramref name="atomic"/>: if any row fails none lands, and the rows that would have been created answer 200
    /// (validated only).
    /// </summary>
    public Task<IReadOnlyList<ImportRowResult>> CreateManyAsync(long tenant, RecordTarget target, IReadOnlyList<SourceRow> rows, bool atomic, CancellationToken ct) =>
        CreateManyAsync(tenant, target, rows.ToAsyncEnumerable(), atomic, ct);

    /// <inheritdoc cref="CreateManyAsync(long, RecordTarget, IReadOnlyList{SourceRow}, bool, CancellationToken)"/>
    /// <remarks>The rows are taken one at a time as they are written: a list read from a file needs no more memory than
    /// its results.</remarks>
    public async Task<IReadOnlyList<ImportRowResult>> CreateManyAsync(long tenant, RecordTarget target, IAsyncEnumerable<SourceRow> rows, bool atomic, CancellationToken ct)
    {
        var results = new List<ImportRowResult>();
        var anyFailed = false;
        await using var writer = await store.BeginRecordWriteAsync(tenant, target.ListId, DuplicatePolicy.reject, null, ct)
            ?? throw OperationException.NotFound($"calling list '{target.ListId}'");
        await foreach (var row in rows.WithCancellation(ct))
        {
            string? error = row.Error ?? "the row holds no record";
            var draft = row.Fields is { } fields ? RecordValidation.Build(fields, target.DefaultRegion, out error) : null;
            var outcome = error is null ? writer.Write(draft!) : new RowOutcome(RowStatus.Failed, null, 0, error);
            results.Add(outcome.Status switch
            {
                RowStatus.Created => new ImportRowResult(201, outcome.Id),
                RowStatus.UnknownReference => new ImportRowResult(422, null, outcome.Error),
                _ => new ImportRowResult(error is null ? 409 : 400, null, outcome.Error),
            });
            anyFailed |= results[^1].StatusCode >= 400;
        }
        if (atomic && anyFailed)
        {
            await writer.RollbackAsync(ct);
            for (var i = 0; i < results.Count; i++)
                if (results[i].StatusCode == 201) results[i] = new ImportRowResult(200);
            return results;
        }
        await writer.CommitAsync(ct);
        return results;
    }

    /// <summary>A record with its progress in the campaign; <see cref="ErrorKind.NotFound"/> when either does not exist or
    /// the record is not in the campaign.</summary>
    public async Task<StoredRecord> GetInCampaignAsync(long tenant, string campaignId, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(campaignId, out var cid) || await store.GetCampaignAsync(tenant, cid, ct) is null)
            throw OperationException.NotFound($"campaign '{campaignId}'");
        return Id32.TryNormalize(id, out var rid) && await store.GetRecordAsync(tenant, rid, ct) is { } record
            && record.Progress.FirstOrDefault(p => p.CampaignId == cid) is { } progress
            ? record with { Progress = [progress] }
            : throw OperationException.NotFound($"record '{id}' in campaign '{campaignId}'");
    }

    /// <summary>Deletes a record of the campaign (from its list, so from every campaign the list feeds).</summary>
    public async Task DeleteInCampaignAsync(long tenant, string campaignId, string id, CancellationToken ct)
    {
        var record = await GetInCampaignAsync(tenant, campaignId, id, ct);
        await DeleteAsync(tenant, record.Record.Id, ct);
    }

    /// <summary>The record whose handle (<see cref="CallRecord.Number"/>) is <paramref name="number"/>.</summary>
    public async Task<StoredRecord> GetByNumberAsync(long tenant, long number, CancellationToken ct) =>
        await store.FindRecordIdAsync(tenant, number, ct) is { } id && await store.GetRecordAsync(tenant, id, ct) is { } record
            ? record
            : throw OperationException.NotFound($"record {number}");

    public async Task<StoredRecord> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var rid) && await store.GetRecordAsync(tenant, rid, ct) is { } record
            ? record
            : throw OperationException.NotFound($"record '{id}'");

    /// <summary>Replaces the record's fields; national numbers take its list's region. A number the record already had
    /// (the same E.164, else the same text) keeps its try counters and what the dialer learnt of it.</summary>
    public async Task<StoredRecord> UpdateAsync(long tenant, string id, RecordFields fields, CancellationToken ct)
    {
        var existing = await GetAsync(tenant, id, ct);
        var rid = existing.Record.Id;
        var list = await store.GetCallingListAsync(tenant, existing.Record.ListId, ct);
        var draft = Build(fields, list?.DefaultRegion);
        await store.UpdateRecordAsync(tenant, rid, draft with { Phones = PhoneCounters.Carry(existing.Record.Phones, draft.Phones) }, ct);
        return await GetAsync(tenant, rid, ct);
    }

    public async Task DeleteAsync(long tenant, string id, CancellationToken ct)
    {
        if (!Id32.TryNormalize(id, out var rid) || !await store.DeleteRecordAsync(tenant, rid, ct))
            throw OperationException.NotFound($"record '{id}'");
    }

    /// <summary>
    /// Searches the tenant's records, or those of <see cref="RecordQuery.ListId"/> or <see cref="RecordQuery.CampaignId"/>
    /// as the caller wrote them; a list or campaign that does not exist is <see cref="ErrorKind.NotFound"/>.
    /// </summary>
    public async Task<RecordPage> SearchAsync(long tenant, RecordQuery query, CancellationToken ct)
    {
        string? region = null;
        if (query.ListId is { } listId)
        {
            var target = await TargetOfListAsync(tenant, listId, ct);
            (query, region) = (query with { ListId = target.ListId }, target.DefaultRegion);
        }
        if (query.CampaignId is { } campaignId)
        {
            var campaign = Id32.TryNormalize(campaignId, out var cid) && await store.GetCampaignAsync(tenant, cid, ct) is { } found
                ? found
                : throw OperationException.NotFound($"campaign '{campaignId}'");
            (query, region) = (query with { CampaignId = campaign.Id }, region ?? campaign.DefaultRegion);
        }
        return await store.SearchRecordsAsync(tenant, WithNumbersAsStored(query, region), ct);
    }

    /// <summary>A number searched for as people write it ("07400 123456") finds the record, whose valid numbers are stored
    /// in E.164: without wildcards, a number that normalizes in the list's region is searched in E.164.</summary>
    private static RecordQuery WithNumbersAsStored(RecordQuery query, string? region)
    {
        if (!query.Filters.Any(f => f.Field == RecordField.numbers && !SearchPattern.HasWildcards(f.Pattern))) return query;
        return query with
        {
            Filters = query.Filters.Select(f =>
                f.Field == RecordField.numbers && !SearchPattern.HasWildcards(f.Pattern) && Phones.PhoneNormalizer.Normalize(f.Pattern, region) is { E164: { } e164 }
                    ? f with { Pattern = e164 }
                    : f).ToList(),
        };
    }

    public async Task<IReadOnlyList<Attempt>> GetAttemptsAsync(long tenant, string id, CancellationToken ct)
    {
        var record = await GetAsync(tenant, id, ct);
        return await store.GetAttemptsAsync(tenant, record.Record.Id, ct);
    }

    /// <summary>The attempts in the campaign of a page's records, in one read (a page's history without a query per record).</summary>
    public Task<IReadOnlyList<Attempt>> GetCampaignAttemptsAsync(long tenant, string campaignId, IReadOnlyList<StoredRecord> records, CancellationToken ct) =>
        records.Count == 0 ? Task.FromResult<IReadOnlyList<Attempt>>([]) : store.GetCampaignAttemptsAsync(tenant, campaignId, records.Select(r => r.Record.Number).ToList(), ct);

    private static RecordDraft Build(RecordFields fields, string? defaultRegion)
    {
        var draft = RecordValidation.Build(fields, defaultRegion, out var error);
        return error is null ? draft : throw new ValidationException(error);
    }
}
