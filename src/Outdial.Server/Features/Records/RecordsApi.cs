using System.Security.Claims;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Records;

internal static class RecordsApi
{
    public static void MapRecordsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/lists/{listId}/records", async (string listId, RecordInput input, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            Created(await records.CreateInListAsync(user.TenantId(), listId, input.ToFields(), ct)))
            .WithTags("Records").RequireAuthorization(Policies.Write)
            .WithSummary("Add a record to a calling list")
            .WithDescription("Numbers written nationally are read in the record's country, else the list's defaultRegion. A duplicate externalId in the list is refused with 409; an unknown agentId with 422.")
            .WithId("listId", "The calling list's id.").WithExample(RecordExamples.Input, RecordExamples.Output)
            .ProducesInvalid().ProducesNotFound().ProducesConflict().ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/campaigns/{campaignId}/records", async (string campaignId, RecordInput input, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            Created(await records.CreateInCampaignAsync(user.TenantId(), campaignId, input.ToFields(), ct)))
            .WithTags("Records").RequireAuthorization(Policies.Write)
            .WithSummary("Add a record to a campaign")
            .WithDescription("The record lands in the campaign's default list; numbers written nationally are read in the record's country, else that list's defaultRegion, else the campaign's.")
            .WithId("campaignId", "The campaign's id.").WithExample(RecordExamples.Input, RecordExamples.Output)
            .ProducesInvalid().ProducesNotFound().ProducesConflict().ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/lists/{listId}/records", async (string listId, HttpRequest request, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            Page(await records.SearchAsync(user.TenantId(), RecordSearchParser.Parse(request.Query, listId, null), ct)))
            .WithTags("Records").WithRecordSearchParameters()
            .WithSummary("Search the records of a calling list").WithId("listId", "The calling list's id.").ProducesInvalid().ProducesNotFound();

        api.MapGet("/campaigns/{campaignId}/records", async (string campaignId, HttpRequest request, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            Page(await records.SearchAsync(user.TenantId(), RecordSearchParser.Parse(request.Query, null, campaignId), ct)))
            .WithTags("Records").WithRecordSearchParameters()
            .WithSummary("Search the records of a campaign, with their progress in it")
            .WithId("campaignId", "The campaign's id.").ProducesInvalid().ProducesNotFound();

        var group = api.MapGroup("/records").WithTags("Records");

        group.MapGet("/", async (HttpRequest request, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            Page(await records.SearchAsync(user.TenantId(), RecordSearchParser.Parse(request.Query, null, null), ct)))
            .WithRecordSearchParameters().WithSummary("Search all records of the tenant").ProducesInvalid();

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            TypedResults.Ok((await records.GetAsync(user.TenantId(), id, ct)).AsDto()))
            .WithSummary("Get a record with its progress in each campaign").WithId("id", "The record's id.").ProducesNotFound();

        group.MapPut("/{id}", async (string id, RecordInput input, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            TypedResults.Ok((await records.UpdateAsync(user.TenantId(), id, input.ToFields(), ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Replace a record's fields")
            .WithId("id", "The record's id.").WithExample(RecordExamples.Input, RecordExamples.Output).ProducesInvalid().ProducesNotFound();

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
        {
            await records.DeleteAsync(user.TenantId(), id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Delete a record").WithId("id", "The record's id.").ProducesNotFound();

        group.MapGet("/{id}/attempts", async (string id, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
            TypedResults.Ok((await records.GetAttemptsAsync(user.TenantId(), id, ct)).Select(a => a.AsDto()).ToList()))
            .WithSummary("List the calls placed for a record").WithId("id", "The record's id.").ProducesNotFound();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Created<RecordDto> Created(StoredRecord record) =>
        TypedResults.Created($"/api/v1/records/{record.Record.Id}", record.AsDto());

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<RecordPageDto> Page(RecordPage page) =>
        TypedResults.Ok(new RecordPageDto(page.Items.Select(r => r.AsDto()).ToList(),
            page.NextAfter is { } after ? RecordSearchParser.EncodeCursor(after) : null));
}

/// <summary>Example bodies for the OpenAPI document.</summary>
internal static class RecordExamples
{
    public const string Input = """
        {"externalId": "CUST-1001", "phones": ["+4915112345678", "030 1234567"], "country": "DE", "timeZone": "Europe/Berlin",
         "priority": 5, "attributes": [{"name": "firstName", "value": "Anna"}]}
        """;

    public const string Output = """
        {"id": "0195A1B2C3D47E5F8A9B0C1D2E3F4A60", "serial": 1, "listId": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5C", "externalId": "CUST-1001",
         "numbers": "+4915112345678;+49301234567",
         "phones": [{"raw": "+4915112345678", "e164": "+4915112345678", "region": "DE", "numberType": "MOBILE", "timeZones": ["Europe/Berlin"], "invalid": false, "tries": 0}],
         "attributes": [{"name": "firstName", "value": "Anna"}], "timeZone": "Europe/Berlin", "priority": 5, "locked": false,
         "created": "2026-03-02T12:00:00+00:00", "modificationDate": "2026-03-02T12:00:00+00:00",
         "campaigns": [{"campaignId": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5B", "callCount": 0, "lastBNumber": 0, "state": "OPEN", "applicationState": "NEW", "modificationDate": "2026-03-02T12:00:00+00:00"}]}
        """;
}
