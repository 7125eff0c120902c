using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>
/// Sinch Contact Center's Outbound Campaign Interface (OBI v1) at <c>/RI/obi</c>: the same keys, tenants and engine
/// operations as the native API, with OBI's paths, names, ids, media types (JSON and XML) and error shape.
/// </summary>
internal static class SinchApi
{
    public const string BasePath = "/RI/obi";

    /// <summary>Errors under <see cref="BasePath"/> in the dialect's shape; before AddProblemDetails so it is asked first.</summary>
    public static IServiceCollection AddSinchDialect(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, SinchErrorWriter>();

    public static void MapSinchApi(this IEndpointRouteBuilder app)
    {
        var obi = app.MapGroup(BasePath).RequireAuthorization(Policies.Read).WithTags("Sinch OBI").ExcludeFromDescription();
        // A GET whose Accept names neither JSON nor XML is a 406 before any work; a POST may ask for text/html (the document says so).
        obi.AddEndpointFilter(async (context, next) =>
            SinchWire.Negotiate(context.HttpContext.Request, lenient: !HttpMethods.IsGet(context.HttpContext.Request.Method)) is null
                ? SinchResults.Error(StatusCodes.Status406NotAcceptable, $"cannot answer in '{context.HttpContext.Request.Headers.Accept}': accept application/json or application/xml")
                : await next(context));
        obi.MapSinchCampaigns();
        obi.MapSinchCustomers();
        obi.MapSinchStatistics();
    }
}
