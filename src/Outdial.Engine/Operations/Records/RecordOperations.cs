using Outdial.Engine.Domain;
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

    public async Task<StoredRecord> GetAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var rid) && await store.GetRecordAsync(tenant, rid, ct) is { } record
            ? record
            : throw OperationException.NotFound($"record '{id}'");

    /// <summary>Replaces the record's fields; national numbers take its list's region.</summary>
    public async Task<StoredRecord> UpdateAsync(long tenant, string id, RecordFields fields, CancellationToken ct)
    {
        var existing = await GetAsync(tenant, id, ct);
        var rid = existing.Record.Id;
        var list = await store.GetCallingListAsync(tenant, existing.Record.ListId, ct);
        await store.UpdateRecordAsync(tenant, rid, Build(fields, list?.DefaultRegion), ct);
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
        if (query.ListId is { } listId)
            query = query with { ListId = (await TargetOfListAsync(tenant, listId, ct)).ListId };
        if (query.CampaignId is { } campaignId)
            query = query with
            {
                CampaignId = Id32.TryNormalize(campaignId, out var cid) && await store.GetCampaignAsync(tenant, cid, ct) is { } campaign
                    ? campaign.Id
                    : throw OperationException.NotFound($"campaign '{campaignId}'"),
            };
        return await store.SearchRecordsAsync(tenant, query, ct);
    }

    public async Task<IReadOnlyList<Attempt>> GetAttemptsAsync(long tenant, string id, CancellationToken ct)
    {
        var record = await GetAsync(tenant, id, ct);
        return await store.GetAttemptsAsync(tenant, record.Record.Id, ct);
    }

    private static RecordDraft Build(RecordFields fields, string? defaultRegion)
    {
        var draft = RecordValidation.Build(fields, defaultRegion, out var error);
        return error is null ? draft : throw new ValidationException(error);
    }
}
