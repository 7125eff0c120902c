using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Outdial.Server.Hosting;

/// <summary>The OpenAPI document's description and its security schemes, so `/docs` can call the API with a key.</summary>
internal static class OpenApiDocument
{
    private const string Description = """
        Outdial's native API: campaigns, calling lists and their records, imports, do-not-call, agents and their work,
        statistics, completed records and the event stream of one tenant.

        Every `/api/v1` call needs an API key: `Authorization: Bearer KEY` (or HTTP Basic with the key as the password).
        Keys belong to one tenant and a role (admin, supervisor, agent, integration); nothing outside the key's tenant is
        visible (404). Errors are RFC 9457 problem details naming the field or rule at fault.
        """;

    public static void AddOutdialOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Outdial API", Version = "v1", Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The API key as a bearer token: `Authorization: Bearer KEY`.",
            };
            document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic with the API key as the password (any user name).",
            };
            // Either scheme will do: two requirements, each with one scheme.
            var requirements = new List<OpenApiSecurityRequirement>
            {
                new() { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                new() { [new OpenApiSecuritySchemeReference("basic", document)] = [] },
            };
            foreach (var (path, item) in document.Paths)
            {
                if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null) continue;
                foreach (var operation in item.Operations.Values) operation.Security = requirements;
            }
            return Task.CompletedTask;
        }));
}
