using System.Security.Claims;
using Outdial.Server.Auth;
using Outdial.Server.Dialects.Genesys.CometD;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>
/// Genesys Workspace Web Services (the Outbound API) at <c>/api/v2</c>: the agent owning the key acts on the records it
/// holds, answered <c>{"statusCode": 0}</c> at once, with the outcome delivered over CometD at <c>/api/v2/notifications</c>.
/// </summary>
internal static class GenesysApi
{
    public const string BasePath = "/api/v2";

    public static IServiceCollection AddGenesysDialect(this IServiceCollection services) => services
        .AddSingleton<IProblemDetailsWriter, GenesysErrorWriter>()
        .AddSingleton(new CometDOptions())
        .AddSingleton<CometDSessions>();

    public static void MapGenesysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath).RequireAuthorization(Policies.Read).WithTags("Genesys").ExcludeFromDescription();
        api.MapPost("/notifications", CometDEndpoint.HandleAsync);
        api.MapPost("/notifications/{*messageType}", CometDEndpoint.HandleAsync);
        api.MapGenesysRecords();
        api.MapGenesysCampaigns();
    }

    /// <summary>The tenant and agent a key acts for; null for keys bound to no agent (admins, integrations).</summary>
    public static (long Tenant, string Agent)? AgentOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.AgentClaim) is { } agent ? (user.TenantId(), agent) : null;
}
