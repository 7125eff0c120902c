using System.Security.Claims;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Catalog;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

internal static class AgentsApi
{
    public sealed record AgentInput(string? Login, string? Name)
    {
        public AgentChanges ToChanges() => new(Login, Name);
    }

    public sealed record AgentDto(string Id, string Login, string Name);

    /// <summary>A new key, shown once: only its hash is stored.</summary>
    public sealed record AgentKey(string AgentId, string Key, string Prefix);

    private static AgentDto AsDto(this Agent a) => new(a.Id, a.Login, a.Name);

    private const string ExampleInput = """{"login": "anna.k", "name": "Anna Korhonen"}""";
    private const string ExampleOutput = """{"id": "0195A1B2C3D47E5F8A9B0C1D2E3F4A5E", "login": "anna.k", "name": "Anna Korhonen"}""";

    public static void MapAgentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents").WithTags("Agents");

        group.MapGet("/", async (ClaimsPrincipal user, AgentOperations agents, CancellationToken ct) =>
            TypedResults.Ok((await agents.ListAsync(user.TenantId(), ct)).Select(a => a.AsDto()).ToList()))
            .WithSummary("List agents");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, AgentOperations agents, CancellationToken ct) =>
            TypedResults.Ok((await agents.GetAsync(user.TenantId(), id, ct)).AsDto()))
            .WithSummary("Get an agent").WithId("id", "The agent's id (id32 or id36).").ProducesNotFound();

        group.MapPost("/", async (AgentInput input, ClaimsPrincipal user, AgentOperations agents, CancellationToken ct) =>
        {
            var agent = (await agents.CreateAsync(user.TenantId(), input.ToChanges(), ct)).AsDto();
            return TypedResults.Created($"/api/v1/agents/{agent.Id}", agent);
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Create an agent").WithExample(ExampleInput, ExampleOutput).ProducesInvalid();

        group.MapPut("/{id}", async (string id, AgentInput input, ClaimsPrincipal user, AgentOperations agents, CancellationToken ct) =>
            TypedResults.Ok((await agents.UpdateAsync(user.TenantId(), id, input.ToChanges(), ct)).AsDto()))
            .RequireAuthorization(Policies.Write)
            .WithSummary("Change an agent's login or name").WithId("id", "The agent's id.").WithExample(ExampleInput, ExampleOutput)
            .ProducesInvalid().ProducesNotFound();

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, AgentOperations agents, ApiKeyCache keys, CancellationToken ct) =>
        {
            keys.ForgetAgent(user.TenantId(), await agents.DeleteAsync(user.TenantId(), id, ct)); // its keys went with it
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Write)
            .WithSummary("Delete an agent and its desk keys").WithId("id", "The agent's id.").ProducesNotFound();

        // Keys for agent desks: each acts for this agent only (see RequireSelfForAgentKeys).
        group.MapPost("/{id}/keys", async (string id, ClaimsPrincipal user, AgentOperations agents, CancellationToken ct) =>
        {
            var key = ApiKeys.Generate();
            var agentId = await agents.AddKeyAsync(user.TenantId(), id, ApiKeys.Hash(key), ApiKeys.Prefix(key), ct);
            return TypedResults.Created($"/api/v1/agents/{agentId}", new AgentKey(agentId, key, ApiKeys.Prefix(key)));
        }).RequireAuthorization(Policies.Supervise)
            .WithSummary("Issue a desk key for an agent")
            .WithDescription("The key acts for this agent only (its work and session) and is shown once: only its hash is stored.")
            .WithId("id", "The agent's id.").ProducesNotFound();
    }
}
