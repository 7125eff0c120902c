using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Storage;

namespace Outdial.Server.Features.Health;

internal static class HealthApi
{
    public sealed record HealthStatus(string Status, bool Store);

    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> (IStore store, CancellationToken ct) =>
            await store.PingAsync(ct)
                ? TypedResults.Ok(new HealthStatus("healthy", true))
                : TypedResults.Json(new HealthStatus("unhealthy", false), statusCode: 503))
            .AllowAnonymous()
            .WithTags("Operations")
            .WithSummary("Is the server up and its store reachable?")
            .WithDescription("Anonymous. 200 when the store answers, 503 when it does not (load balancers and probes).");
}
