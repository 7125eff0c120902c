using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

/// <summary>Login, ready, pause, logout. The working states (preview, dialing, talking, wrap-up) are set by the dialer.</summary>
internal static class AgentSessionsApi
{
    public sealed record LoginInput(string? CampaignId, AgentState? State = null);

    public sealed record StateInput(AgentState? State);

    public static void MapAgentSessionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents/{agentId}/session").WithTags("Agent sessions").RequireAuthorization(Policies.Agent)
            .RequireSelfForAgentKeys();

        group.MapGet("/", async Task<Results<Ok<AgentSession>, ProblemHttpResult>> (string agentId, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
            Id32.TryNormalize(agentId, out var aid) && await store.GetAgentSessionAsync(user.TenantId(), aid, ct) is { } session
                ? TypedResults.Ok(session)
                : Problem.NotFound($"session of agent '{agentId}'"));

        group.MapPost("/", async (string agentId, LoginInput input, ClaimsPrincipal user, IStore store, EventBus events, TimeProvider time, CancellationToken ct) =>
        {
            var state = input.State ?? AgentState.Ready;
            if (state is not (AgentState.Ready or AgentState.Paused)) return (IResult)Problem.BadRequest("'state' at login must be Ready or Paused");
            var campaignId = Validate.Id(input.CampaignId, "campaignId");
            return await Move(agentId, state, campaignId, user, store, events, time, created: true, ct);
        });

        group.MapPut("/state", async (string agentId, StateInput input, ClaimsPrincipal user, IStore store, EventBus events, TimeProvider time, CancellationToken ct) =>
            input.State is AgentState.Ready or AgentState.Paused
                ? await Move(agentId, input.State.Value, null, user, store, events, time, created: false, ct)
                : Problem.BadRequest("'state' must be Ready or Paused; the dialer sets the working states"));

        group.MapDelete("/", async (string agentId, ClaimsPrincipal user, IStore store, EventBus events, TimeProvider time, CancellationToken ct) =>
            await Move(agentId, AgentState.LoggedOut, null, user, store, events, time, created: false, ct));

        api.MapGet("/campaigns/{campaignId}/agents", async Task<Results<Ok<IReadOnlyList<AgentSession>>, ProblemHttpResult>> (string campaignId, ClaimsPrincipal user, IStore store, CancellationToken ct) =>
        {
            var id = Validate.Id(campaignId, "campaignId");
            if (await store.GetCampaignAsync(user.TenantId(), id, ct) is null) return Problem.NotFound($"campaign '{campaignId}'");
            return TypedResults.Ok(await store.ListAgentSessionsAsync(user.TenantId(), id, ct));
        }).WithTags("Agent sessions");
    }

    private static async Task<IResult> Move(string agentId, AgentState to, string? campaignId, ClaimsPrincipal user, IStore store, EventBus events,
        TimeProvider time, bool created, CancellationToken ct)
    {
        if (!Id32.TryNormalize(agentId, out var aid)) return Problem.NotFound($"agent '{agentId}'");
        var tenant = user.TenantId();
        var move = await store.MoveAgentAsync(tenant, aid, to, campaignId, time.GetUtcNow(), ct, byAgent: true);
        if (move.NotFound) return Problem.NotFound(move.Error!);
        if (move.Error is not null) return Problem.Conflict(move.Error);
        events.Publish(tenant, new AgentStateChanged(aid, move.From, to, move.Session?.CampaignId, ByDialer: false));
        if (move.Session is null) return TypedResults.NoContent();
        return created ? TypedResults.Created($"/api/v1/agents/{aid}/session", move.Session) : TypedResults.Ok(move.Session);
    }
}
