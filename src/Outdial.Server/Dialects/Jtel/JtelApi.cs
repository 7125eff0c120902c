using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Jtel;

/// <summary>
/// jtel's Dialler REST API, contact functions, at <c>/dialler/…</c> and under jtel's own base
/// <c>/rest/v1.0/{ClientsID}/dialler/…</c>: the same keys, tenants and engine operations as the native API, with jtel's
/// paths, PascalCase fields, integer ids and <c>{"records", "count", "status"}</c> envelopes.
/// </summary>
internal static class JtelApi
{
    public const string ShortBase = "/dialler";
    public const string ClientBase = "/rest/v1.0";

    /// <summary>Errors under the dialect's paths in its shape; before AddProblemDetails so it is asked first.</summary>
    public static IServiceCollection AddJtelDialect(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, JtelErrorWriter>();

    public static void MapJtelApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(ShortBase).RequireAuthorization(Policies.Read).WithTags("jtel").ExcludeFromDescription().MapJtelContacts();
        var client = app.MapGroup(ClientBase + "/{clientsId}" + ShortBase).RequireAuthorization(Policies.Read).WithTags("jtel").ExcludeFromDescription();
        // ClientsID names the tenant (by name or number): another tenant's is a 403, whatever the key may do in its own.
        client.AddEndpointFilter(async (context, next) =>
        {
            var asked = context.HttpContext.GetRouteValue("clientsId") as string;
            var user = context.HttpContext.User;
            return asked == user.FindFirstValue(ApiKeyAuthenticationHandler.TenantNameClaim) || asked == user.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim)
                ? await next(context)
                : JtelResults.Error(StatusCodes.Status403Forbidden, $"ClientsID '{asked}' is not the tenant of this key");
        });
        client.MapJtelContacts();
    }

    public static bool IsJtelPath(PathString path) =>
        path.StartsWithSegments(ShortBase) || (path.StartsWithSegments(ClientBase, out var rest) && rest.Value is { } r
            && r.IndexOf('/', 1) is var slash and > 0 && new PathString(r[slash..]).StartsWithSegments(ShortBase));
}

internal static class JtelResults
{
    /// <summary>Nulls are written (jtel sends every field, null when empty) and names are as given.</summary>
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>One or more contacts (or history rows): <c>{"records", "count", "status"}</c>.</summary>
    public static IResult Records(IEnumerable<JsonNode> records)
    {
        var array = new JsonArray([.. records]);
        return Write(new JsonObject { ["records"] = array, ["count"] = array.Count, ["status"] = 200 }, 200);
    }

    /// <summary>A list answer: the envelope with jtel's paging and order fields.</summary>
    public static IResult List(IReadOnlyList<JsonNode> records, int limitStart, int limitPageSize, string orderBy, bool ascending)
    {
        var array = new JsonArray([.. records]);
        return Write(new JsonObject
        {
            ["filter"] = "",
            ["limitStart"] = limitStart,
            ["limitPageSize"] = limitPageSize,
            ["records"] = array,
            ["count"] = array.Count,
            ["orderBy"] = orderBy,
            ["ascending"] = ascending,
            ["status"] = 200,
        }, 200);
    }

    public static IResult Error(int status, string message) => Write(ErrorBody(status, message), status);

    public static JsonObject ErrorBody(int status, string? message) => new() { ["status"] = status, ["message"] = message };

    private static IResult Write(JsonObject body, int status) =>
        Results.Text(body.ToJsonString(Json), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);
}

/// <summary>
/// Writes every error under the dialect's paths (refusals of the handlers and operations, 401/403/404/405 of the framework)
/// as <c>{"status": n, "message": "..."}</c> instead of problem details.
/// </summary>
internal sealed class JtelErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => JtelApi.IsJtelPath(context.HttpContext.Request.Path);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(JtelResults.ErrorBody(status, context.ProblemDetails.Detail ?? context.ProblemDetails.Title).ToJsonString(JtelResults.Json), context.HttpContext.RequestAborted);
    }
}
