using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>An answer in the representation the client accepts: JSON, or XML rooted at <paramref name="root"/> (array items
/// as <paramref name="item"/> elements).</summary>
internal sealed class SinchResult<T>(T value, string root, string? item = null, int status = StatusCodes.Status200OK) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        if (SinchWire.Negotiate(context.Request, lenient: true) == SinchWire.Format.Xml)
        {
            await SinchResults.WriteAsync(context, status, JsonSerializer.SerializeToElement(value, SinchWire.Json), root, item);
            return;
        }
        // JSON straight from the value: a page of customers is not built twice (as a document, then as text).
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, SinchWire.Json, context.RequestAborted);
    }
}

internal static class SinchResults
{
    public static SinchResult<T> Ok<T>(T value, string root, string? item = null) => new(value, root, item);

    public static SinchResult<SinchError> Error(int status, string message) => new(new SinchError(status, message), "error", null, status);

    /// <summary>The answer to a POST that creates: 201, the new id as the body (text/html, as the document shows) and in Location.</summary>
    public static IResult Created(HttpRequest request, string id) =>
        new CreatedId(id, $"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{id}");

    private sealed class CreatedId(string id, string location) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = location;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(id, context.RequestAborted);
        }
    }

    public static async Task WriteAsync(HttpContext context, int status, JsonElement body, string root, string? item)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (SinchWire.Negotiate(context.Request, lenient: true) == SinchWire.Format.Xml)
        {
            response.ContentType = "application/xml; charset=utf-8";
            await response.Body.WriteAsync(SinchXml.Write(body, root, item), context.RequestAborted);
            return;
        }
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, body, SinchWire.Json, context.RequestAborted);
    }
}

/// <summary>One error in the dialect's shape, the shape of a failed item of a bulk add: <c>{"statusCode": 400, "error": "..."}</c>.</summary>
internal sealed record SinchError(int StatusCode, string? Error);

/// <summary>
/// Writes every error under the dialect's path (the handlers' refusals, binding failures, 401/403/404/405/406/415 of the
/// framework) in the dialect's shape instead of problem details, in JSON or XML.
/// </summary>
internal sealed class SinchErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(SinchApi.BasePath);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var error = new SinchError(status, context.ProblemDetails.Detail ?? context.ProblemDetails.Title);
        await SinchResults.WriteAsync(context.HttpContext, status, JsonSerializer.SerializeToElement(error, SinchWire.Json), "error", null);
    }
}
