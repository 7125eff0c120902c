using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Lists;

internal static class ListsApi
{
    public sealed record ListInput(string? Name, string? DefaultRegion);

    public static void MapListsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lists").WithTags("Calling lists");

        group.MapGet("/", async (ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListCallingListsAsync(user.TenantId(), ct)));

        group.MapGet("/{id}", async Task<Results<Ok<CallingList>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var lid) && await store.GetCallingListAsync(user.TenantId(), lid, ct) is { } list
                ? TypedResults.Ok(list)
                : Problem.NotFound($"calling list '{id}'"));

        group.MapPost("/", async Task<Results<Created<CallingList>, ProblemHttpResult>> (ListInput input, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
        {
            var list = new CallingList(Id32.New(), Validate.Name(input.Name, "name"), Validate.Region(input.DefaultRegion, "defaultRegion"), time.GetUtcNow());
            await store.CreateCallingListAsync(user.TenantId(), list, ct);
            return TypedResults.Created($"/api/v1/lists/{list.Id}", list);
        }).RequireAuthorization(Policies.Write);

        group.MapPut("/{id}", async Task<Results<Ok<CallingList>, ProblemHttpResult>> (string id, ListInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            if (!Id32.TryNormalize(id, out var lid) || await store.GetCallingListAsync(tenant, lid, ct) is not { } existing)
                return Problem.NotFound($"calling list '{id}'");
            var list = existing with { Name = Validate.Name(input.Name, "name"), DefaultRegion = Validate.Region(input.DefaultRegion, "defaultRegion") };
            return await store.UpdateCallingListAsync(tenant, list, ct) ? TypedResults.Ok(list) : Problem.NotFound($"calling list '{id}'");
        }).RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var lid) && await store.DeleteCallingListAsync(user.TenantId(), lid, ct)
                ? TypedResults.NoContent()
                : Problem.NotFound($"calling list '{id}'"))
            .RequireAuthorization(Policies.Write);
    }
}
