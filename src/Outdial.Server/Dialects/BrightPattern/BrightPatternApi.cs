using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Catalog;
using Outdial.Engine.Operations.Records;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.BrightPattern;

/// <summary>
/// Bright Pattern's configuration web service "get completed records" at
/// <c>/admin/ws/t/{tenant_url}/callinglist/getCompleted/{list_name}/{campaign_name}</c>: the same keys and tenants as the native
/// API and the engine's completed feed, addressed by names, with Bright Pattern's body, answer and a small JSON error shape.
/// </summary>
internal static class BrightPatternApi
{
    public const string BasePath = "/admin/ws";

    /// <summary>Errors under <see cref="BasePath"/> in the dialect's shape; before AddProblemDetails so it is asked first.</summary>
    public static IServiceCollection AddBrightPatternDialect(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, BrightPatternErrorWriter>();

    public static void MapBrightPatternApi(this IEndpointRouteBuilder app) =>
        // An administrative service: agent keys read no calling lists (403).
        app.MapGroup(BasePath).RequireAuthorization(Policies.Write).WithTags("Bright Pattern").ExcludeFromDescription()
            .MapPost("/t/{tenantUrl}/callinglist/getCompleted/{listName}/{campaignName}", GetCompletedAsync);

    private static async Task<IResult> GetCompletedAsync(string tenantUrl, string listName, string campaignName, HttpRequest request,
        ClaimsPrincipal user, CompletedOperations completed, AgentOperations agents, CancellationToken ct)
    {
        (tenantUrl, listName, campaignName) = RawNames(request) ?? (Slashed(tenantUrl), Slashed(listName), Slashed(campaignName));
        if (!string.Equals(tenantUrl, user.FindFirstValue(ApiKeyAuthenticationHandler.TenantNameClaim), StringComparison.OrdinalIgnoreCase))
            throw OperationException.Forbidden($"this key belongs to another tenant than '{tenantUrl}'");
        var body = await BrightPatternRequest.ReadAsync(request, ct);
        var tenant = user.TenantId();
        var records = await completed.GetFromByNamesAsync(tenant, listName, campaignName, body.FromTime, body.MaxSize, ct);
        var logins = records.Any(r => r.LastAgent is not null)
            ? (await agents.ListAsync(tenant, ct)).ToDictionary(a => a.Id, a => a.Login)
            : [];
        return TypedResults.Ok(records.Select(r => BrightPatternCompleted.Of(r, logins)).ToList());
    }

    /// <summary>The tenant, list and campaign names as the client encoded them: routing keeps "%2F" encoded in route values (after
    /// decoding "%25"), so a name holding "/" is read from the raw request target (Kestrel gives it; a host that does not, such
    /// as the test host, gets <see cref="Slashed"/>).</summary>
    private static (string Tenant, string List, string Campaign)? RawNames(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(BasePath + "/", StringComparison.Ordinal)) return null;
        var end = raw.IndexOfAny(['?', '#']);
        var segments = (end < 0 ? raw : raw[..end]).Split('/');
        // "", admin, ws, t, {tenant}, callinglist, getCompleted, {list}, {campaign}
        return segments.Length == 9 ? (Uri.UnescapeDataString(segments[4]), Uri.UnescapeDataString(segments[7]), Uri.UnescapeDataString(segments[8])) : null;
    }

    private static string Slashed(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
