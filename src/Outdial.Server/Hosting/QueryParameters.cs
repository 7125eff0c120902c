using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Outdial.Engine.Records;

namespace Outdial.Server.Hosting;

/// <summary>
/// Describes in the OpenAPI document the query parameters of handlers that read <see cref="HttpRequest.Query"/> themselves
/// (the record search's open set of filters, the import settings): the framework sees no parameter on them, and
/// integrators generate clients from the document.
/// </summary>
internal static class QueryParameters
{
    public static RouteHandlerBuilder WithRecordSearchParameters(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var field in Enum.GetNames<RecordField>())
                Add(operation, field, JsonSchemaType.String, $"Filter on {field}: equality, or a pattern with * and ? (progress fields only where a campaign is given).");
            foreach (var date in Enum.GetNames<RecordDateField>())
            {
                Add(operation, date, JsonSchemaType.String, $"{date} from this time on (ISO 8601).", "date-time");
                Add(operation, date + "End", JsonSchemaType.String, $"{date} before this time (ISO 8601).", "date-time");
            }
            Add(operation, "attributeName", JsonSchemaType.String, "Records with this attribute (with attributeValue: of this value; * and ? allowed).");
            Add(operation, "attributeValue", JsonSchemaType.String, "The attribute's value (needs attributeName).");
            Add(operation, "sort", JsonSchemaType.String, $"Sort field, '-' first for descending: {string.Join(", ", Enum.GetNames<RecordSortField>())}.");
            Add(operation, "offset", JsonSchemaType.Integer, "Rows to skip (default 0).");
            Add(operation, "limit", JsonSchemaType.Integer, "Rows per page, 1-1000 (default 100).");
            Add(operation, "cursor", JsonSchemaType.String, "The nextCursor of the previous page: stable paging through large exports.");
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder WithImportParameters(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Add(operation, "duplicates", JsonSchemaType.String, "A row whose externalId exists: reject (default), skip or overwrite.");
            Add(operation, "atomic", JsonSchemaType.Boolean, "true: no row lands if any row fails.");
            Add(operation, "region", JsonSchemaType.String, "ISO 3166 region for numbers written nationally (else the list's or campaign's).");
            Add(operation, "mapping", JsonSchemaType.String, "CSV only: a JSON object of column header to target, e.g. {\"Mobile\":\"phone1\",\"Customer no\":\"externalId\"}.");
            Add(operation, "async", JsonSchemaType.Boolean, "true: always answer 202 with a background job.");
            operation.Parameters!.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Description = "A retry with the same key and body returns the first request's job and creates nothing twice (up to 200 characters).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    private static void Add(OpenApiOperation operation, string name, JsonSchemaType type, string description, string? format = null)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Query,
            Description = description,
            Schema = new OpenApiSchema { Type = type, Format = format },
        });
    }
}
