using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outdial.Engine.Domain;
using Outdial.Engine.Phones;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Features.Imports;
using Outdial.Server.Hosting;
using Validate = Outdial.Engine.Operations.Validate;
using ValidationException = Outdial.Engine.Operations.ValidationException;

namespace Outdial.Server.Features.Dnc;

public sealed record DncInput(string? Number = null, string? CampaignId = null, string? Reason = null, string? Source = null,
    DateTimeOffset? Expires = null, string? Country = null);

public sealed record DncDto(string Id, string Number, string? CampaignId, string? Reason, string? Source, DateTimeOffset Added, DateTimeOffset? Expires);

internal static class DncApi
{
    private const int BatchSize = 2000;

    public static void MapDncApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dnc").WithTags("Do not call");

        group.MapGet("/", async Task<Results<Ok<List<DncDto>>, ProblemHttpResult>> (string? campaignId, string? number, int? offset, int? limit, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            string? cid = campaignId is null ? null : Validate.Id(campaignId, "campaignId");
            string? e164 = null;
            if (number is not null)
            {
                var phone = PhoneNormalizer.Normalize(number, null);
                if (!phone.IsValid) return Problem.BadRequest($"'number': {phone.Error}");
                e164 = phone.E164;
            }
            if (limit is < 1 or > 1000 || offset is < 0) return Problem.BadRequest("'limit' must be 1 to 1000 and 'offset' at least 0");
            var entries = await store.ListDncAsync(user.TenantId(), cid, e164, offset ?? 0, limit ?? 100, ct);
            return TypedResults.Ok(entries.Select(AsDto).ToList());
        });

        group.MapGet("/{id}", async Task<Results<Ok<DncDto>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var did) && await store.GetDncAsync(user.TenantId(), did, ct) is { } entry
                ? TypedResults.Ok(AsDto(entry))
                : Problem.NotFound($"do-not-call entry '{id}'"));

        group.MapPost("/", async Task<Results<Created<DncDto>, ProblemHttpResult>> (DncInput input, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, TimeProvider time, CancellationToken ct) =>
        {
            var entry = ToEntry(input, time.GetUtcNow(), out var error);
            if (error is not null) return Problem.BadRequest(error);
            var outcome = (await store.AddDncAsync(user.TenantId(), [entry!], ct))[0];
            reevaluation.Wake(); // an entry re-posted with an earlier end recorded a re-evaluation
            if (outcome.Status == RowStatus.Failed) return TypedResults.Problem(title: "Unknown reference", detail: outcome.Error, statusCode: 422);
            var saved = await store.GetDncAsync(user.TenantId(), outcome.Id!, ct);
            return TypedResults.Created($"/api/v1/dnc/{outcome.Id}", AsDto(saved!));
        }).RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, ReevaluationWorker reevaluation, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(id, out var did) || !await store.DeleteDncAsync(user.TenantId(), did, ct))
                return Problem.NotFound($"do-not-call entry '{id}'");
            // The delete recorded a re-evaluation of the records that have the number; done in the background.
            reevaluation.Wake();
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write);

        // Bulk: a JSON array of entries or a CSV with a number column (and optionally campaignId, reason, source, expires, country).
        group.MapPost("/imports", async Task<Results<Ok<List<ImportRowResult>>, ProblemHttpResult>> (HttpRequest request, ClaimsPrincipal user, IStore store, ImportService imports, ReevaluationWorker reevaluation, TimeProvider time, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (type is not ("text/csv" or "application/json"))
                throw new BadHttpRequestException($"unsupported Content-Type '{request.ContentType}': send text/csv or application/json", 415);
            var spool = await imports.SpoolAsync(request.Body, "dnc", type == "text/csv", ct);
            try
            {
                var now = time.GetUtcNow();
                var results = new List<ImportRowResult>();
                var batch = new List<(int Index, DncEntry Entry)>();
                async Task Flush()
                {
                    var outcomes = await store.AddDncAsync(user.TenantId(), batch.Select(b => b.Entry).ToList(), ct);
                    for (var i = 0; i < outcomes.Count; i++)
                        results[batch[i].Index] = outcomes[i].Status == RowStatus.Failed
                            ? new ImportRowResult(422, null, outcomes[i].Error)
                            : new ImportRowResult(outcomes[i].Status == RowStatus.Created ? 201 : 200, outcomes[i].Id);
                    batch.Clear();
                }
                foreach (var input in type == "text/csv" ? ReadCsv(spool.Path) : ReadJson(spool.Path, json.Value.SerializerOptions))
                {
                    var error = input.Error;
                    DncEntry? entry = null;
                    if (error is null) entry = ToEntry(input.Input!, now, out error);
                    results.Add(new ImportRowResult(400, null, error)); // replaced by the store's outcome when the entry is valid
                    if (entry is not null) batch.Add((results.Count - 1, entry));
                    if (batch.Count == BatchSize) await Flush();
                }
                if (batch.Count > 0) await Flush();
                return TypedResults.Ok(results);
            }
            finally
            {
                File.Delete(spool.Path);
                reevaluation.Wake(); // also when a later batch failed: earlier batches may have recorded re-evaluations
            }
        }).WithMetadata(new ImportEndpointMarker()).RequireAuthorization(Policies.Write);
    }

    private static DncDto AsDto(DncEntry e) => new(e.Id, e.E164, e.CampaignId, e.Reason, e.Source, e.Added, e.Expires);

    private static DncEntry? ToEntry(DncInput input, DateTimeOffset now, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(input.Number)) { error = "'number' is required"; return null; }
        string? region = null;
        if (!string.IsNullOrWhiteSpace(input.Country))
        {
            region = input.Country.Trim().ToUpperInvariant();
            if (!PhoneNormalizer.IsKnownRegion(region)) { error = $"'country': '{input.Country}' is not a known ISO 3166 region code"; return null; }
        }
        var phone = PhoneNormalizer.Normalize(input.Number, region);
        if (!phone.IsValid) { error = $"Invalid number '{input.Number}': {phone.Error}"; return null; }
        string? campaign = null;
        if (input.CampaignId is not null && !Id32.TryNormalize(input.CampaignId, out campaign)) { error = $"'campaignId': '{input.CampaignId}' is not an id32"; return null; }
        if (input.Reason is { Length: > 500 } || input.Source is { Length: > 200 }) { error = "'reason' or 'source' is too long"; return null; }
        if (input.Expires is { } x && (x.Year > 9999 || x <= now)) { error = "'expires' must be a future time"; return null; }
        return new DncEntry(Id32.New(), phone.E164!, campaign, input.Reason, input.Source, now, input.Expires);
    }

    private readonly record struct Parsed(DncInput? Input, string? Error);

    /// <summary>Entries read as the API reads a single one (<paramref name="options"/>: unknown or repeated fields are errors),
    /// each on its own: a bad entry fails alone, as in a record import.</summary>
    private static IEnumerable<Parsed> ReadJson(string path, JsonSerializerOptions options)
    {
        using var stream = File.OpenRead(path);
        var split = new JsonSerializerOptions(options) { AllowDuplicateProperties = true };
        foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, split).ToBlockingEnumerable())
        {
            Parsed parsed;
            try
            {
                parsed = element.ValueKind == JsonValueKind.Object
                    ? new Parsed(element.Deserialize<DncInput>(options), null)
                    : new Parsed(null, "each entry must be a JSON object");
            }
            catch (JsonException e)
            {
                parsed = new Parsed(null, ProblemExceptionHandler.Describe(e));
            }
            yield return parsed;
        }
    }

    private static IEnumerable<Parsed> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = RowSources.DetectDelimiter(path),
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            HeaderValidated = null,
            MissingFieldFound = null,
        });
        csv.Read();
        csv.ReadHeader();
        if (!csv.HeaderRecord!.Any(h => h.Trim().Equals("number", StringComparison.OrdinalIgnoreCase)))
            throw new ValidationException("the CSV needs a 'number' column");
        while (csv.Read())
        {
            DateTimeOffset? expires = null;
            var expiresText = csv.GetField("expires");
            string? error = null;
            if (!string.IsNullOrWhiteSpace(expiresText))
            {
                if (DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) expires = e;
                else error = $"'expires': '{expiresText}' is not an ISO 8601 time";
            }
            yield return error is not null
                ? new Parsed(null, error)
                : new Parsed(new DncInput(csv.GetField("number"), Blank(csv.GetField("campaignid")), Blank(csv.GetField("reason")),
                    Blank(csv.GetField("source")), expires, Blank(csv.GetField("country"))), null);
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
