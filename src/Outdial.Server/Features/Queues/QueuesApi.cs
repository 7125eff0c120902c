using System.Security.Claims;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Catalog;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Queues;

internal static class QueuesApi
{
    public sealed record QueueInput(string? Name);

    public sealed record QueueDto(string Id, string Name);

    private static QueueDto AsDto(this Queue q) => new(q.Id, q.Name);

    private const string ExampleInput = """{"name": "Sales"}""";
    private const string ExampleOutput = """{"id": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5D", "name": "Sales"}""";

    public static void MapQueuesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/queues").WithTags("Queues");

        group.MapGet("/", async (ClaimsPrincipal user, QueueOperations queues, CancellationToken ct) =>
            TypedResults.Ok((await queues.ListAsync(user.TenantId(), ct)).Select(q => q.AsDto()).ToList()))
            .WithSummary("List queues");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, QueueOperations queues, CancellationToken ct) =>
            TypedResults.Ok((await queues.GetAsync(user.TenantId(), id, ct)).AsDto()))
            .WithSummary("Get a queue").WithId("id", "The queue's id (id32 or id36).").ProducesNotFound();

        group.MapPost("/", async (QueueInput input, ClaimsPrincipal user, QueueOperations queues, CancellationToken ct) =>
        {
            var queue = (await queues.CreateAsync(user.TenantId(), input.Name, ct)).AsDto();
            return TypedResults.Created($"/api/v1/queues/{queue.Id}", queue);
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Create a queue").WithDescription("The queue a campaign's answered calls are routed to (campaign.queueId).")
            .WithExample(ExampleInput, ExampleOutput).ProducesInvalid();

        group.MapPut("/{id}", async (string id, QueueInput input, ClaimsPrincipal user, QueueOperations queues, CancellationToken ct) =>
            TypedResults.Ok((await queues.UpdateAsync(user.TenantId(), id, input.Name, ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Rename a queue").WithId("id", "The queue's id.").WithExample(ExampleInput, ExampleOutput).ProducesInvalid().ProducesNotFound();

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, QueueOperations queues, CancellationToken ct) =>
        {
            await queues.DeleteAsync(user.TenantId(), id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Delete a queue").WithId("id", "The queue's id.").ProducesNotFound();
    }
}
