using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

internal static class AgentsApi
{
    public sealed record AgentInput(string? Login, string? Name);

    /// <summary>A new key, shown once: only its hash is stored.</summary>
    public sealed record AgentKey(string AgentId, string Key, string Prefix);

    public static void MapAgentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents").WithTags("Agents");

        group.MapGet("/", async (ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListAgentsAsync(user.TenantId(), ct)));

        group.MapGet("/{id}", async Task<Results<Ok<Agent>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(id, out var aid) && await store.GetAgentAsync(user.TenantId(), aid, ct) is { } agent
                ? TypedResults.Ok(agent)
                : Problem.NotFound($"agent '{id}'"));

        group.MapPost("/", async Task<Results<Created<Agent>, ProblemHttpResult>> (AgentInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var agent = new Agent(Id32.New(), Validate.Name(input.Login, "login", 100), Validate.Name(input.Name, "name"));
            await store.CreateAgentAsync(user.TenantId(), agent, ct);
            return TypedResults.Created($"/api/v1/agents/{agent.Id}", agent);
        }).RequireAuthorization(Policies.Write);

        group.MapPut("/{id}", async Task<Results<Ok<Agent>, ProblemHttpResult>> (string id, AgentInput input, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var agent = new Agent(Id32.TryNormalize(id, out var aid) ? aid : "", Validate.Name(input.Login, "login", 100), Validate.Name(input.Name, "name"));
            return await store.UpdateAgentAsync(user.TenantId(), agent, ct) ? TypedResults.Ok(agent) : Problem.NotFound($"agent '{id}'");
        }).RequireAuthorization(Policies.Write);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, ApiKeyCache keys, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(id, out var aid) || !await store.DeleteAgentAsync(user.TenantId(), aid, ct)) return Problem.NotFound($"agent '{id}'");
            keys.ForgetAgent(user.TenantId(), aid); // its keys went with it
            return TypedResults.NoContent();
        })
            .RequireAuthorization(Policies.Write);

        // Keys for agent desks: each acts for this agent only (see RequireSelfForAgentKeys).
        group.MapPost("/{id}/keys", async Task<Results<Created<AgentKey>, ProblemHttpResult>> (string id, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            if (!Id32.TryNormalize(id, out var aid)) return Problem.NotFound($"agent '{id}'");
            var key = ApiKeys.Generate();
            return await store.AddAgentKeyAsync(user.TenantId(), aid, ApiKeys.Hash(key), ApiKeys.Prefix(key), ct)
                ? TypedResults.Created($"/api/v1/agents/{aid}", new AgentKey(aid, key, ApiKeys.Prefix(key)))
                : Problem.NotFound($"agent '{id}'");
        }).RequireAuthorization(Policies.Supervise);
    }
}
