using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
        // ---- the operations -------------------------------------------------------------------------------------------

        private IReadOnlyList<Operation> ReadOperations(JsonObject document, EndpointDataSource endpoints)
        {
            var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: $"{m} {Normalize(e.RoutePattern.RawText!)}", Endpoint: e)))
                .ToDictionary(x => x.Key, x => x.Endpoint, StringComparer.Ordinal);
            var result = new List<Operation>();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, node) in item!.AsObject())
                {
                    var op = node!.AsObject();
                    var key = $"{method.ToUpperInvariant()} {path}";
                    if (!routes.TryGetValue(key, out var endpoint))
                    {
                        Failures.Add($"[{key}] is in the OpenAPI document but no endpoint serves it");
                        continue;
                    }
                    var parameters = op["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                    var pathParams = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
                    var query = parameters.Where(p => (string?)p["in"] == "query")
                        .Select(p => new QueryParam((string)p["name"]!, KindOf((string)p["name"]!, Resolve(p["schema"])))).ToList();
                    var bodyRef = op["requestBody"]?["content"]?["application/json"]?["schema"];
                    var upload = endpoint.Metadata.GetMetadata<ImportEndpointMarker>() is not null;
                    var strict = method == "get" && path.EndsWith("/records", StringComparison.Ordinal);
                    // The hand-written kinds know more than the schema (a search's agentId is a pattern, not an id).
                    var known = Undeclared(path, upload, strict).ToList();
                    query.RemoveAll(q => known.Exists(k => k.Name == q.Name));
                    query.AddRange(known);
                    var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "").ToList();
                    result.Add(new Operation(
                        method.ToUpperInvariant(), path, pathParams, query,
                        bodyRef is null ? null : Resolve(bodyRef), ((string?)bodyRef?["$ref"])?.Split('/')[^1],
                        upload ? BodyKind.Upload : bodyRef is null ? BodyKind.None : BodyKind.Json,
                        Authenticated: policies.Count > 0,
                        AgentKeyForbidden: policies.Any(p => !AllowedForAgents.Contains(p)),
                        StrictQuery: strict));
                }
            }
            return result;
        }

        private static string Normalize(string route) => RouteConstraint().Replace(route, "{$1}").TrimEnd('/') is { Length: > 0 } r ? r : "/";

        [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
        private static partial Regex RouteConstraint();

        /// <summary>
        /// Parameters of the handlers that read <c>HttpRequest.Query</c> themselves (the record search's field filters, the
        /// import settings), with what they mean: the document lists them (QueryParameters.cs) as plain strings and numbers.
        /// </summary>
        private static IEnumerable<QueryParam> Undeclared(string path, bool upload, bool search)
        {
            if (search)
            {
                foreach (var field in Enum.GetNames<RecordField>())
                    yield return new QueryParam(field, field is "priority" or "previewTime" or "callCount" or "lastBNumber" or "locked" ? QueryKind.IntField : QueryKind.Text);
                foreach (var date in Enum.GetNames<RecordDateField>())
                {
                    yield return new QueryParam(date, QueryKind.Date);
                    yield return new QueryParam(date + "End", QueryKind.Date);
                }
                yield return new QueryParam("offset", QueryKind.Int);
                yield return new QueryParam("limit", QueryKind.Int);
                yield return new QueryParam("sort", QueryKind.Sort);
                yield return new QueryParam("cursor", QueryKind.Cursor);
                yield return new QueryParam("attributeName", QueryKind.Text);
                yield return new QueryParam("attributeValue", QueryKind.Text);
            }
            if (upload && !path.StartsWith("/api/v1/dnc", StringComparison.Ordinal))
            {
                yield return new QueryParam("duplicates", QueryKind.Duplicates);
                yield return new QueryParam("atomic", QueryKind.Bool);
                yield return new QueryParam("async", QueryKind.Bool);
                yield return new QueryParam("region", QueryKind.Region);
                yield return new QueryParam("mapping", QueryKind.Mapping);
            }
        }

        private static QueryKind KindOf(string name, JsonObject schema) => name switch
        {
            _ when Types(schema).Contains("integer") => QueryKind.Int,
            "campaignId" => QueryKind.CampaignId,
            "agentId" => QueryKind.AgentId,
            "listId" => QueryKind.ListId,
            "since" or "date" or "startDate" or "endDate" => QueryKind.Date,
            "cursor" => QueryKind.Cursor,
            "types" => QueryKind.EventTypes,
            "number" => QueryKind.Number,
            _ => QueryKind.Text,
        };

        private JsonObject Resolve(JsonNode? schema)
        {
            var s = schema?.AsObject() ?? [];
            if ((string?)s["$ref"] is { } reference) return Resolve(_schemas[reference.Split('/')[^1]]);
            if (s["oneOf"] is JsonArray oneOf)
                return oneOf.Select(o => o!.AsObject()).Where(o => (string?)o["type"] != "null").Select(Resolve).FirstOrDefault() ?? [];
            return s;
        }

        private static HashSet<string> Types(JsonObject schema)
        {
            var types = schema["type"] switch
            {
                JsonArray a => a.Select(t => (string)t!).ToHashSet(StringComparer.Ordinal),
                JsonValue v => [(string)v!],
                _ => new HashSet<string>(StringComparer.Ordinal),
            };
            types.Remove("null");
            if (schema["enum"] is not null) types.Add("enum");
            return types;
        }
    }
}
