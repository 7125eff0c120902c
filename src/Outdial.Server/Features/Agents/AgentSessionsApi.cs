using System.ComponentModel;
using System.Security.Claims;
using Outdial.Engine.Agents;
using Outdial.Engine.Operations.AgentWork;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

/// <summary>The native API of <see cref="AgentSessionOperations"/>: login, ready, pause, logout.</summary>
internal static class AgentSessionsApi
{
    public sealed record LoginInput(string? CampaignId, AgentState? State = null);

    public sealed record StateInput(AgentState? State);

    public sealed record AgentSessionDto(string AgentId, string CampaignId, AgentState State, DateTimeOffset StateSince, DateTimeOffset LoggedIn, long Serial);

    public static void MapAgentSessionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents/{agentId}/session").WithTags("Agent sessions").RequireAuthorization(Policies.Agent)
            .RequireSelfForAgentKeys();

        group.MapGet("/", async ([Description("The agent's id32")] string agentId, ClaimsPrincipal user, AgentSessionOperations sessions, CancellationToken ct) =>
            TypedResults.Ok(AsDto(await sessions.GetAsync(user.TenantId(), agentId, ct))))
            .WithSummary("Get the agent's session").WithDescription("404 when the agent is not logged in.");

        group.MapPost("/", async ([Description("The agent's id32")] string agentId, LoginInput input, ClaimsPrincipal user, AgentSessionOperations sessions, CancellationToken ct) =>
            Render(await sessions.LoginAsync(user.TenantId(), agentId, input.CampaignId, input.State, ct), created: true))
            .WithSummary("Log the agent in to a campaign")
            .WithDescription("State Ready (default) or Paused. Example: {\"campaignId\":\"0123456789ABCDEFGHJKMNPQRS\",\"state\":\"Ready\"}")
            .Produces<AgentSessionDto>(201);

        group.MapPut("/state", async ([Description("The agent's id32")] string agentId, StateInput input, ClaimsPrincipal user, AgentSessionOperations sessions, CancellationToken ct) =>
            Render(await sessions.SetStateAsync(user.TenantId(), agentId, input.State, ct), created: false))
            .WithSummary("Set the agent Ready or Paused").WithDescription("The dialer sets the working states (preview, dialing, talking, wrap-up).")
            .Produces<AgentSessionDto>();

        group.MapDelete("/", async ([Description("The agent's id32")] string agentId, ClaimsPrincipal user, AgentSessionOperations sessions, CancellationToken ct) =>
        {
            await sessions.LogoutAsync(user.TenantId(), agentId, ct);
            return TypedResults.NoContent();
        }).WithSummary("Log the agent out");

        api.MapGet("/campaigns/{campaignId}/agents", async ([Description("The campaign's id32")] string campaignId, ClaimsPrincipal user, AgentSessionOperations sessions, CancellationToken ct) =>
            TypedResults.Ok((await sessions.ListAsync(user.TenantId(), campaignId, ct)).Select(AsDto).ToList()))
            .WithTags("Agent sessions").WithSummary("List the sessions of a campaign's agents");
    }

    private static IResult Render(AgentSession? session, bool created) => session switch
    {
        null => TypedResults.NoContent(),
        _ when created => TypedResults.Created($"/api/v1/agents/{session.AgentId}/session", AsDto(session)),
        _ => TypedResults.Ok(AsDto(session)),
    };

    private static AgentSessionDto AsDto(AgentSession s) => new(s.AgentId, s.CampaignId, s.State, s.StateSince, s.LoggedIn, s.Serial);
}
