using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Queues;

internal static class QueuesApi
{
    public sealed record QueueInput(string? Name);

    public static void MapQueuesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/queues").WithTags("Queues");

        group.MapGet("/", async (ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListQueuesAsync(user.TenantId(), ct)));

        group.MapGet("/{id}", async Task<Results<Ok<Queue>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var qid) && await store.GetQueueAsync(user.TenantId(), qid, ct) is { } queue
                ? TypedResults.Ok(queue)
                : Problem.NotFound($"queue '{id}'"));

        group.MapPost("/", async Task<Results<Created<Queue>, ProblemHttpResult>> (QueueInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var name = Validate.Name(input.Name, "name");
            var queue = new Queue(Id32.New(), name);
            await store.CreateQueueAsync(user.TenantId(), queue, ct);
            return TypedResults.Created($"/api/v1/queues/{queue.Id}", queue);
        }).RequireAuthorization(Policies.Write);

        group.MapPut("/{id}", async Task<Results<Ok<Queue>, ProblemHttpResult>> (string id, QueueInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var queue = new Queue(Id32.TryNormalize(id, out var qid) ? qid : "", Validate.Name(input.Name, "name"));
            return await store.UpdateQueueAsync(user.TenantId(), queue, ct) ? TypedResults.Ok(queue) : Problem.NotFound($"queue '{id}'");
        }).RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var qid) && await store.DeleteQueueAsync(user.TenantId(), qid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"queue '{id}'"))
            .RequireAuthorization(Policies.Write);
    }
}
