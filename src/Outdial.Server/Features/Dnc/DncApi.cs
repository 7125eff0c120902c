using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.DoNotCall;
using Outdial.Server.Auth;
using Outdial.Server.Features.Imports;
using Outdial.Server.Hosting;
using ValidationException = Outdial.Engine.Operations.ValidationException;

namespace Outdial.Server.Features.Dnc;

public sealed record DncInput(string? Number = null, string? CampaignId = null, string? Reason = null, string? Source = null,
    DateTimeOffset? Expires = null, string? Country = null);

public sealed record DncDto(string Id, string Number, string? CampaignId, string? Reason, string? Source, DateTimeOffset Added, DateTimeOffset? Expires);

/// <summary>The native API of <see cref="DoNotCallOperations"/>.</summary>
internal static class DncApi
{
    public static void MapDncApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dnc").WithTags("Do not call");

        group.MapGet("/", async ([Description("Only the entries of this campaign (id32)")] string? campaignId, [Description("Only the entries of this number (E.164 or international)")] string? number,
            [Description("Entries to skip (default 0)")] int? offset, [Description("Entries per page, 1-1000 (default 100)")] int? limit, ClaimsPrincipal user, DoNotCallOperations dnc, CancellationToken ct) =>
            TypedResults.Ok((await dnc.ListAsync(user.TenantId(), campaignId, number, offset, limit, ct)).Select(AsDto).ToList()))
            .WithSummary("List do-not-call entries")
            .WithDescription("Filtered by campaign (campaign-only entries) or by number (any format, e.g. +441632960001); paged by offset and limit (1-1000, default 100).");

        group.MapGet("/{id}", async ([Description("The entry's id32")] string id, ClaimsPrincipal user, DoNotCallOperations dnc, CancellationToken ct) =>
            TypedResults.Ok(AsDto(await dnc.GetAsync(user.TenantId(), id, ct))))
            .WithSummary("Get a do-not-call entry");

        group.MapPost("/", async (DncInput input, ClaimsPrincipal user, DoNotCallOperations dnc, CancellationToken ct) =>
        {
            var saved = await dnc.AddAsync(user.TenantId(), AsRequest(input), ct);
            return TypedResults.Created($"/api/v1/dnc/{saved.Id}", AsDto(saved));
        }).WithSummary("Add a number to the do-not-call list")
          .WithDescription("A national number needs 'country' (ISO 3166). With campaignId the entry bars that campaign only; with expires it ends then. " +
              "Example: {\"number\":\"+441632960001\",\"reason\":\"customer asked\",\"expires\":\"2027-06-30T00:00:00Z\"}")
          .RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async ([Description("The entry's id32")] string id, ClaimsPrincipal user, DoNotCallOperations dnc, CancellationToken ct) =>
        {
            await dnc.RemoveAsync(user.TenantId(), id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a do-not-call entry").WithDescription("The records with the number become callable again (re-evaluated in the background).")
          .RequireAuthorization(Policies.Write);

        group.MapPost("/imports", async (HttpRequest request, ClaimsPrincipal user, DoNotCallOperations dnc, ImportUploads uploads, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            var csv = ImportUploads.Format(request, csvAliases: false) == "csv";
            var spool = await uploads.SpoolAsync(request.Body, "dnc", csv, ct);
            try
            {
                return TypedResults.Ok(ImportsApi.AsDto(await dnc.ImportAsync(user.TenantId(), csv ? ReadCsv(spool.Path) : ReadJson(spool.Path, json.Value.SerializerOptions), ct)));
            }
            finally
            {
                File.Delete(spool.Path);
            }
        }).WithSummary("Add many numbers to the do-not-call list")
          .WithDescription("Body: a JSON array of entries as for POST /dnc, or a CSV with a 'number' column (optional campaignId, reason, source, expires, country). " +
              "Answers one {statusCode, id, error} per row; a bad row fails alone.")
          .WithMetadata(new ImportEndpointMarker()).RequireAuthorization(Policies.Write);
    }

    private static DncDto AsDto(DncEntry e) => new(e.Id, e.E164, e.CampaignId, e.Reason, e.Source, e.Added, e.Expires);

    private static DncRequest AsRequest(DncInput i) => new(i.Number, i.CampaignId, i.Reason, i.Source, i.Expires, i.Country);

    /// <summary>Entries read as the API reads a single one (<paramref name="options"/>: unknown or repeated fields are errors),
    /// each on its own: a bad entry fails alone, as in a record import.</summary>
    private static IEnumerable<DncRow> ReadJson(string path, JsonSerializerOptions options)
    {
        using var stream = File.OpenRead(path);
        var split = new JsonSerializerOptions(options) { AllowDuplicateProperties = true };
        foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, split).ToBlockingEnumerable())
        {
            DncRow parsed;
            try
            {
                parsed = element.ValueKind == JsonValueKind.Object
                    ? new DncRow(AsRequest(element.Deserialize<DncInput>(options)!), null)
                    : new DncRow(null, "each entry must be a JSON object");
            }
            catch (JsonException e)
            {
                parsed = new DncRow(null, ProblemExceptionHandler.Describe(e));
            }
            yield return parsed;
        }
    }

    private static IEnumerable<DncRow> ReadCsv(string path)
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
                ? new DncRow(null, error)
                : new DncRow(new DncRequest(csv.GetField("number"), Blank(csv.GetField("campaignid")), Blank(csv.GetField("reason")),
                    Blank(csv.GetField("source")), expires, Blank(csv.GetField("country"))), null);
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
