using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Records;

internal static class RecordsApi
{
    public static void MapRecordsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/lists/{listId}/records", async Task<Results<Created<RecordDto>, ProblemHttpResult>> (string listId, RecordInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(listId, out var lid) || await store.GetCallingListAsync(user.TenantId(), lid, ct) is not { } list)
                return Problem.NotFound($"calling list '{listId}'");
            return await Create(user.TenantId(), list.Id, list.DefaultRegion, input, store, ct);
        }).WithTags("Records").RequireAuthorization(Policies.Write);

        api.MapPost("/campaigns/{campaignId}/records", async Task<Results<Created<RecordDto>, ProblemHttpResult>> (string campaignId, RecordInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            if (await CampaignsApi.Find(campaignId, user, store, ct) is not { DefaultListId: { } listId } campaign)
                return Problem.NotFound($"campaign '{campaignId}'");
            var list = await store.GetCallingListAsync(user.TenantId(), listId, ct);
            return await Create(user.TenantId(), listId, list?.DefaultRegion ?? campaign.DefaultRegion, input, store, ct);
        }).WithTags("Records").RequireAuthorization(Policies.Write);

        api.MapGet("/lists/{listId}/records", async Task<Results<Ok<RecordPageDto>, ProblemHttpResult>> (string listId, HttpRequest request, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(listId, out var lid) || await store.GetCallingListAsync(user.TenantId(), lid, ct) is null)
                return Problem.NotFound($"calling list '{listId}'");
            return TypedResults.Ok(await Search(user, store, RecordSearchParser.Parse(request.Query, lid, null), ct));
        }).WithTags("Records").WithRecordSearchParameters();

        api.MapGet("/campaigns/{campaignId}/records", async Task<Results<Ok<RecordPageDto>, ProblemHttpResult>> (string campaignId, HttpRequest request, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            if (await CampaignsApi.Find(campaignId, user, store, ct) is not { } campaign) return Problem.NotFound($"campaign '{campaignId}'");
            return TypedResults.Ok(await Search(user, store, RecordSearchParser.Parse(request.Query, null, campaign.Id), ct));
        }).WithTags("Records").WithRecordSearchParameters();

        var records = api.MapGroup("/records").WithTags("Records");

        records.MapGet("/", async (HttpRequest request, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            TypedResults.Ok(await Search(user, store, RecordSearchParser.Parse(request.Query, null, null), ct))).WithRecordSearchParameters();

        records.MapGet("/{id}", async Task<Results<Ok<RecordDto>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var rid) && await store.GetRecordAsync(user.TenantId(), rid, ct) is { } record
                ? TypedResults.Ok(record.AsDto())
                : Problem.NotFound($"record '{id}'"));

        records.MapPut("/{id}", async Task<Results<Ok<RecordDto>, ProblemHttpResult>> (string id, RecordInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            if (!Id32.TryNormalize(id, out var rid) || await store.GetRecordAsync(tenant, rid, ct) is not { } existing)
                return Problem.NotFound($"record '{id}'");
            var list = await store.GetCallingListAsync(tenant, existing.Record.ListId, ct);
            var draft = RecordValidation.Build(input.ToFields(), list?.DefaultRegion, out var error);
            if (error is not null) return Problem.BadRequest(error);
            await store.UpdateRecordAsync(tenant, rid, draft, ct);
            return TypedResults.Ok((await store.GetRecordAsync(tenant, rid, ct))!.AsDto());
        }).RequireAuthorization(Policies.Write);

        records.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var rid) && await store.DeleteRecordAsync(user.TenantId(), rid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"record '{id}'"))
            .RequireAuthorization(Policies.Write);

        records.MapGet("/{id}/attempts", async Task<Results<Ok<IReadOnlyList<Attempt>>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var rid) && await store.GetRecordAsync(user.TenantId(), rid, ct) is not null
                ? TypedResults.Ok(await store.GetAttemptsAsync(user.TenantId(), rid, ct))
                : Problem.NotFound($"record '{id}'"));
    }

    private static async Task<Results<Created<RecordDto>, ProblemHttpResult>> Create(
        long tenant, string listId, string? defaultRegion, RecordInput input, IStore store, CancellationToken ct)
    {
        var draft = RecordValidation.Build(input.ToFields(), defaultRegion, out var error);
        if (error is not null) return Problem.BadRequest(error);
        RowOutcome outcome;
        await using (var writer = await store.BeginRecordWriteAsync(tenant, listId, DuplicatePolicy.reject, null, ct))
        {
            if (writer is null) return Problem.NotFound($"calling list '{listId}'");
            outcome = writer.Write(draft);
            if (outcome.Status == RowStatus.Failed) return Problem.Conflict(outcome.Error!);
            if (outcome.Status == RowStatus.UnknownReference)
                return TypedResults.Problem(title: "Unknown reference", detail: outcome.Error, statusCode: StatusCodes.Status422UnprocessableEntity);
            await writer.CommitAsync(ct);
        }
        var stored = await store.GetRecordAsync(tenant, outcome.Id!, ct);
        return TypedResults.Created($"/api/v1/records/{outcome.Id}", stored!.AsDto());
    }

    private static async Task<RecordPageDto> Search(ClaimsPrincipal user, IStore store, RecordQuery query, CancellationToken ct)
    {
        var page = await store.SearchRecordsAsync(user.TenantId(), query, ct);
        return new RecordPageDto(page.Items.Select(r => r.AsDto()).ToList(), page.NextAfter is { } after ? RecordSearchParser.EncodeCursor(after) : null);
    }
}
