using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Imports;

internal static class ImportsApi
{
    public static void MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/lists/{listId}/imports", async (string listId, HttpRequest request, ClaimsPrincipal user, IStore store, ImportService imports, OutdialOptions options, TimeProvider time, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(listId, out var lid) || await store.GetCallingListAsync(user.TenantId(), lid, ct) is not { } list)
                return (IResult)Problem.NotFound($"calling list '{listId}'");
            return await Import(request, user.TenantId(), "list", list.Id, null, list.DefaultRegion, store, imports, options, time, json.Value.SerializerOptions, ct);
        }).WithTags("Imports").WithMetadata(new ImportEndpointMarker())
          .WithDescription(ImportDescription).WithImportParameters().RequireAuthorization(Policies.Write);

        api.MapPost("/campaigns/{campaignId}/imports", async (string campaignId, HttpRequest request, ClaimsPrincipal user, IStore store, ImportService imports, OutdialOptions options, TimeProvider time, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            if (await CampaignsApi.Find(campaignId, user, store, ct) is not { DefaultListId: { } listId } campaign)
                return (IResult)Problem.NotFound($"campaign '{campaignId}'");
            var list = await store.GetCallingListAsync(user.TenantId(), listId, ct);
            return await Import(request, user.TenantId(), "campaign", listId, campaign.Id, list?.DefaultRegion ?? campaign.DefaultRegion, store, imports, options, time, json.Value.SerializerOptions, ct);
        }).WithTags("Imports").WithMetadata(new ImportEndpointMarker())
          .WithDescription(ImportDescription).WithImportParameters().RequireAuthorization(Policies.Write);

        api.MapGet("/imports/{id}", async Task<Results<Ok<ImportStatus>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, ImportService imports, CancellationToken ct) =>
            Id32.TryNormalize(id, out var jid) && await store.GetImportJobAsync(user.TenantId(), jid, ct) is { } job
                ? TypedResults.Ok(imports.Status(job))
                : Problem.NotFound($"import '{id}'"))
            .WithTags("Imports");

        api.MapGet("/imports/{id}/failures", async (string id, ClaimsPrincipal user, IStore store, HttpResponse response, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(id, out var jid) || await store.GetImportJobAsync(user.TenantId(), jid, ct) is null)
                return (IResult)Problem.NotFound($"import '{id}'");
            var failures = await store.GetImportFailuresAsync(user.TenantId(), jid, ct);
            var csv = new StringBuilder("row,externalId,error\n");
            foreach (var f in failures)
                csv.Append(f.RowNumber.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(f.ExternalId)).Append(',').Append(Quote(f.Error)).Append('\n');
            return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
        }).WithTags("Imports");
    }

    private const string ImportDescription =
        "Body: a CSV file (UTF-8 with or without BOM, ',' ';' or tab delimited, header row) or a JSON array of records. " +
        "Query: duplicates=reject|skip|overwrite, atomic=true (no row lands if any fails), region=GB (for national numbers), " +
        "mapping={\"CSV header\":\"externalId|numbers|phone1..phone10|timeZone|priority|date|agentId|country|attribute:NAME|ignore\"}, " +
        "async=true (background job). Header Idempotency-Key makes a retry create nothing twice. Small uploads answer 200 with " +
        "per-row {statusCode, id, error}; large ones (or async=true) answer 202 with the job, whose status is at the Location.";

    private static string Quote(string? value) =>
        value is null ? "" : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<IResult> Import(
        HttpRequest request, long tenant, string kind, string listId, string? campaignId, string? defaultRegion,
        IStore store, ImportService imports, OutdialOptions options, TimeProvider time, JsonSerializerOptions json, CancellationToken ct)
    {
        var format = Format(request);
        var settings = ParseSettings(request.Query);
        // A JSON import names its fields; a mapping it would ignore is a mistake the caller should hear about.
        if (format == "json" && settings.Mapping is not null)
            throw new ValidationException("'mapping' applies to CSV imports only: a JSON import names its fields (externalId, phones, attributes, ...)");
        var key = request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        if (key is { Length: > 200 }) throw new ValidationException("'Idempotency-Key' is longer than 200 characters");
        var forceAsync = Flag(request.Query, "async");

        var salt = $"{kind}|{listId}|{format}|{JsonSerializer.Serialize(settings, json)}|";
        var spool = await imports.SpoolAsync(request.Body, salt, format == "csv", ct);
        var keep = false;
        try
        {
            if (key is not null && await FindByKey(tenant, key, spool.Hash, store, imports) is { } replay) return replay;
            // The header against the mapping (explicit or by column names) before a job exists: a file with no phone column
            // is a 400 that leaves nothing behind, not a job that fails (in the background, when async).
            if (format == "csv") _ = RowSources.Read(spool.Path, format, settings.Mapping, json).FirstOrDefault();

            var inline = !forceAsync && spool.Bytes <= options.InlineImportMaxBytes;
            var stored = new StoredImportOptions(settings, spool.Rows, settings.Region ?? defaultRegion, inline);
            var job = new ImportJob
            {
                Id = Id32.New(),
                IdempotencyKey = key,
                RequestHash = spool.Hash,
                Kind = kind,
                ListId = listId,
                CampaignId = campaignId,
                Format = format,
                Options = JsonSerializer.Serialize(stored, json),
                SpoolPath = spool.Path,
                State = inline ? ImportJobState.running : ImportJobState.queued,
                Created = time.GetUtcNow(),
            };
            var (saved, created) = await store.CreateImportJobAsync(tenant, job, ct);
            if (!created) return Replay(saved, spool.Hash, imports); // a concurrent request with the same key won
            keep = true;
            if (inline)
            {
                try
                {
                    return TypedResults.Ok(await imports.RunInlineAsync(saved));
                }
                catch (OperationCanceledException)
                {
                    return TypedResults.Problem(title: "Server shutting down", statusCode: 503,
                        detail: $"the server stopped during this import; it resumes at the next start: GET /api/v1/imports/{saved.Id}");
                }
            }
            await imports.EnqueueAsync(saved, ct);
            return TypedResults.Accepted($"/api/v1/imports/{saved.Id}", imports.Status(saved));
        }
        finally
        {
            if (!keep) File.Delete(spool.Path);
        }
    }

    private static async Task<IResult?> FindByKey(long tenant, string key, string hash, IStore store, ImportService imports) =>
        await store.GetImportJobByKeyAsync(tenant, key, CancellationToken.None) is { } existing ? Replay(existing, hash, imports) : null;

    /// <summary>The answer to a retried request: the stored inline response, or the job's status; never a second import.</summary>
    private static IResult Replay(ImportJob existing, string hash, ImportService imports)
    {
        if (!string.Equals(existing.RequestHash, hash, StringComparison.Ordinal))
            return Problem.Unprocessable("this Idempotency-Key was used for a different request; use a new key");
        if (existing.Response is { } response) return TypedResults.Text(response, "application/json", statusCode: 200);
        if (imports.IsInline(existing) && existing.State == ImportJobState.running)
            return Problem.Conflict("a request with this Idempotency-Key is still being processed; retry later");
        if (imports.IsInline(existing) && existing.State == ImportJobState.failed)
            return Problem.Conflict($"the import with this Idempotency-Key failed: {existing.Error}");
        // A background job, or an inline one a shutdown paused and the next start finished in the background.
        return TypedResults.Accepted($"/api/v1/imports/{existing.Id}", imports.Status(existing));
    }

    private static string Format(HttpRequest request)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "text/csv" or "application/csv" or "text/plain" => "csv",
            "application/json" => "json",
            _ => throw new BadHttpRequestException($"unsupported Content-Type '{request.ContentType}': send text/csv or application/json", 415),
        };
    }

    private static ImportSettings ParseSettings(IQueryCollection query)
    {
        var duplicates = DuplicatePolicy.reject;
        // By name only: Enum.TryParse also takes any number ("5", "-1"), a policy no code path handles.
        if (query["duplicates"].ToString() is { Length: > 0 } d)
            duplicates = Enum.GetNames<DuplicatePolicy>().FirstOrDefault(n => n.Equals(d, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<DuplicatePolicy>(name)
                : throw new ValidationException($"'duplicates' must be reject, skip or overwrite, got '{d}'");
        var atomic = Flag(query, "atomic");
        var region = Validate.Region(query["region"].ToString(), "region");
        Dictionary<string, string>? mapping = null;
        if (query["mapping"].ToString() is { Length: > 0 } m)
        {
            try
            {
                mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(m);
            }
            catch (JsonException)
            {
                throw new ValidationException("'mapping' must be a JSON object of column header to target, e.g. {\"Mobile\":\"phone1\",\"Customer no\":\"externalId\"}");
            }
        }
        return new ImportSettings(duplicates, atomic, region, mapping);
    }

    /// <summary>A true/false query flag: absent is false, anything else a 400 (a misspelt 'yes' is not silently 'no').</summary>
    private static bool Flag(IQueryCollection query, string name) => query[name].ToString() switch
    {
        "" or "false" or "0" => false,
        "true" or "1" => true,
        var other => throw new ValidationException($"'{name}' must be true or false, got '{other}'"),
    };
}
