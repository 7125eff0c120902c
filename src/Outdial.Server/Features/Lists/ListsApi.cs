using System.Security.Claims;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Catalog;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Lists;

internal static class ListsApi
{
    public sealed record ListInput(string? Name, string? DefaultRegion)
    {
        public ListChanges ToChanges() => new(Name, DefaultRegion);
    }

    public sealed record ListDto(string Id, string Name, string? DefaultRegion, DateTimeOffset Created);

    private static ListDto AsDto(this CallingList l) => new(l.Id, l.Name, l.DefaultRegion, l.Created);

    private const string ExampleInput = """{"name": "Spring leads", "defaultRegion": "DE"}""";
    private const string ExampleOutput = """{"id": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5C", "name": "Spring leads", "defaultRegion": "DE", "created": "2026-03-02T12:00:00+00:00"}""";

    public static void MapListsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lists").WithTags("Calling lists");

        group.MapGet("/", async (ClaimsPrincipal user, ListOperations lists, CancellationToken ct) =>
            TypedResults.Ok((await lists.ListAsync(user.TenantId(), ct)).Select(l => l.AsDto()).ToList()))
            .WithSummary("List calling lists");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, ListOperations lists, CancellationToken ct) =>
            TypedResults.Ok((await lists.GetAsync(user.TenantId(), id, ct)).AsDto()))
            .WithSummary("Get a calling list").WithId("id", "The list's id (id32 or id36).").ProducesNotFound();

        group.MapPost("/", async (ListInput input, ClaimsPrincipal user, ListOperations lists, CancellationToken ct) =>
        {
            var list = (await lists.CreateAsync(user.TenantId(), input.ToChanges(), ct)).AsDto();
            return TypedResults.Created($"/api/v1/lists/{list.Id}", list);
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Create a calling list")
            .WithDescription("A list holds records; feed it to one or more campaigns. defaultRegion (ISO 3166) reads numbers written nationally.")
            .WithExample(ExampleInput, ExampleOutput).ProducesInvalid();

        group.MapPut("/{id}", async (string id, ListInput input, ClaimsPrincipal user, ListOperations lists, CancellationToken ct) =>
            TypedResults.Ok((await lists.UpdateAsync(user.TenantId(), id, input.ToChanges(), ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Rename a calling list or change its region")
            .WithId("id", "The list's id.").WithExample(ExampleInput, ExampleOutput).ProducesInvalid().ProducesNotFound();

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, ListOperations lists, CancellationToken ct) =>
        {
            await lists.DeleteAsync(user.TenantId(), id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Delete a calling list and its records").WithId("id", "The list's id.").ProducesNotFound();
    }
}
