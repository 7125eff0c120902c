using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Routing;
using Outdial.Server.Auth;

namespace Outdial.Server.Hosting;

/// <summary>
/// One structured line per request with the route <em>template</em>, never the URL: query strings and path values may hold
/// phone numbers and other personal data, which must not reach the logs in clear.
/// </summary>
internal static partial class RequestLog
{
    public static IApplicationBuilder UseOutdialRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Outdial.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                var tenant = context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantNameClaim) ?? "-";
                Completed(logger, context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, tenant);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} {Status} in {ElapsedMs:F1} ms (tenant {Tenant})")]
    private static partial void Completed(ILogger logger, string method, string route, int status, double elapsedMs, string tenant);
}
