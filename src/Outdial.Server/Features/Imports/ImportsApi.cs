using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Imports;

public sealed record ImportStatusDto(
    string Id, ImportJobState State, string ListId, string? CampaignId, long RowsTotal, long RowsDone, long RowsFailed,
    long RowsCreated, long RowsUpdated, long RowsSkipped, double? RowsPerSecond, double? EtaSeconds, string? Error,
    DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished, string FailuresUrl);

/// <summary>Per-row answer, in the OBI bulk-add shape: 201 created, 200 updated/skipped/validated only, 4xx failed.</summary>
public sealed record ImportRowResultDto(int StatusCode, string? Id = null, string? Error = null);

public sealed record InlineImportResponse(ImportStatusDto Job, IReadOnlyList<ImportRowResultDto> Results);

/// <summary>The native API of <see cref="ImportOperations"/>.</summary>
internal static class ImportsApi
{
    public static void MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/lists/{listId}/imports", async ([Description("The calling list's id32")] string listId, HttpRequest request, ClaimsPrincipal user, ImportOperations imports, ImportUploads uploads, CancellationToken ct) =>
            await Import(await imports.ListTargetAsync(user.TenantId(), listId, ct), request, user, imports, uploads, ct))
            .WithSummary("Import records into a calling list").WithImport();

        api.MapPost("/campaigns/{campaignId}/imports", async ([Description("The campaign's id32")] string campaignId, HttpRequest request, ClaimsPrincipal user, ImportOperations imports, ImportUploads uploads, CancellationToken ct) =>
            await Import(await imports.CampaignTargetAsync(user.TenantId(), campaignId, ct), request, user, imports, uploads, ct))
            .WithSummary("Import records into a campaign's default list").WithImport();

        api.MapGet("/imports/{id}", async ([Description("The import job's id32")] string id, ClaimsPrincipal user, ImportOperations imports, CancellationToken ct) =>
            TypedResults.Ok(AsDto(await imports.StatusAsync(user.TenantId(), id, ct))))
            .WithTags("Imports").WithSummary("Get an import job's status")
            .WithDescription("Rows done, failed, created, updated and skipped; while running, the rate and the seconds left.");

        api.MapGet("/imports/{id}/failures", async ([Description("The import job's id32")] string id, ClaimsPrincipal user, ImportOperations imports, CancellationToken ct) =>
        {
            var csv = new StringBuilder("row,externalId,error\n");
            foreach (var f in await imports.FailuresAsync(user.TenantId(), id, ct))
                csv.Append(f.RowNumber.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(f.ExternalId)).Append(',').Append(Quote(f.Error)).Append('\n');
            return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
        }).WithTags("Imports").WithSummary("Download an import's failed rows").Produces<string>(StatusCodes.Status200OK, "text/csv")
          .WithDescription("CSV with the columns row, externalId and error, in file order.");
    }

    private const string ImportDescription =
        "Body: a CSV file (UTF-8 with or without BOM, ',' ';' or tab delimited, header row) or a JSON array of records. " +
        "Query: duplicates=reject|skip|overwrite, atomic=true (no row lands if any fails), region=GB (for national numbers), " +
        "mapping={\"CSV header\":\"externalId|numbers|phone1..phone10|timeZone|priority|date|agentId|country|attribute:NAME|ignore\"}, " +
        "async=true (background job). Header Idempotency-Key makes a retry create nothing twice. Small uploads answer 200 with " +
        "per-row {statusCode, id, error}; large ones (or async=true) answer 202 with the job, whose status is at the Location. " +
        "Example CSV: externalId,phone1,attribute:name\\nC-1,+441632960001,Ada";

    private static RouteHandlerBuilder WithImport(this RouteHandlerBuilder route) =>
        route.WithTags("Imports").WithMetadata(new ImportEndpointMarker()).WithDescription(ImportDescription).WithImportParameters()
            .Produces<InlineImportResponse>().Produces<ImportStatusDto>(202).RequireAuthorization(Policies.Write);

    private static async Task<IResult> Import(ImportTarget target, HttpRequest request, ClaimsPrincipal user, ImportOperations imports, ImportUploads uploads, CancellationToken ct)
    {
        var format = ImportUploads.Format(request, csvAliases: true);
        var q = request.Query;
        var settings = ImportSettings.Parse(q["duplicates"].ToString(), q["atomic"].ToString(), q["region"].ToString(), q["mapping"].ToString());
        var prepared = ImportOperations.Prepare(target, format, settings, q["async"].ToString(),
            request.Headers["Idempotency-Key"].ToString());
        var upload = await uploads.SpoolAsync(request.Body, prepared.Salt, format == "csv", ct);
        var start = await imports.StartAsync(user.TenantId(), prepared, upload, ct);
        return start.Outcome switch
        {
            ImportOutcome.Finished => TypedResults.Ok(AsDto(start.Inline!)),
            ImportOutcome.Accepted => TypedResults.Accepted($"/api/v1/imports/{start.Job!.Id}", AsDto(start.Job)),
            ImportOutcome.Paused => TypedResults.Problem(title: "Server shutting down", statusCode: 503,
                detail: $"the server stopped during this import; it resumes at the next start: GET /api/v1/imports/{start.Job!.Id}"),
            _ => Problem.Unprocessable("this Idempotency-Key was used for a different request; use a new key"),
        };
    }

    private static string Quote(string? value) =>
        value is null ? "" : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static ImportStatusDto AsDto(ImportStatus s) => new(s.Id, s.State, s.ListId, s.CampaignId, s.RowsTotal, s.RowsDone, s.RowsFailed,
        s.RowsCreated, s.RowsUpdated, s.RowsSkipped, s.RowsPerSecond, s.EtaSeconds, s.Error, s.Created, s.Started, s.Finished, s.FailuresUrl);

    private static InlineImportResponse AsDto(InlineImportResult r) => new(AsDto(r.Job), AsDto(r.Results));

    internal static List<ImportRowResultDto> AsDto(IReadOnlyList<ImportRowResult> rows)
    {
        var dtos = new List<ImportRowResultDto>(rows.Count);
        foreach (var r in rows) dtos.Add(new ImportRowResultDto(r.StatusCode, r.Id, r.Error));
        return dtos;
    }
}
