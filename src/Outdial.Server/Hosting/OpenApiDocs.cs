using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Outdial.Server.Hosting;

/// <summary>
/// What the OpenAPI document says about an operation beyond its types: path parameters, example bodies and the problem
/// responses an operation's refusals become (the handlers throw them, so the framework cannot see them).
/// </summary>
internal static class OpenApiDocs
{
    /// <summary>Describes a path or query parameter the framework already lists.</summary>
    public static RouteHandlerBuilder WithId(this RouteHandlerBuilder route, string name, string description) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
                if (parameter.Name == name && parameter is OpenApiParameter p) p.Description = description;
            return Task.CompletedTask;
        });

    /// <summary>An example request body and an example of the success response (either may be null).</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder route, string? request, string? response) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (request is not null && operation.RequestBody?.Content is { } body)
                foreach (var media in body.Values) media.Example = JsonNode.Parse(request);
            if (response is not null && operation.Responses is { } responses)
                foreach (var (status, answer) in responses)
                    if (status.StartsWith('2') && answer.Content is { } content)
                        foreach (var media in content.Values) media.Example = JsonNode.Parse(response);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder ProducesInvalid(this RouteHandlerBuilder route) => route.ProducesProblem(StatusCodes.Status400BadRequest);

    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder route) => route.ProducesProblem(StatusCodes.Status404NotFound);

    public static RouteHandlerBuilder ProducesConflict(this RouteHandlerBuilder route) => route.ProducesProblem(StatusCodes.Status409Conflict);
}
