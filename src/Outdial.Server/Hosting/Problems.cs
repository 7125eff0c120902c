using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Storage;

namespace Outdial.Server.Hosting;

/// <summary>Shapes every user-caused failure as RFC 9457 ProblemDetails with a 4xx status.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON", Describe(json)),
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode switch { 413 => "Body too large", 415 => "Unsupported media type", _ => "Bad request" }, bad.Message),
            JsonException json => (400, "Malformed JSON", Describe(json)),
            ConflictException conflict => (409, "Conflict", conflict.Message),
            ReferenceNotFoundException missing => (422, "Unknown reference", missing.Message),
            ValidationException invalid => (400, "Invalid request", invalid.Message),
            _ => (0, "", ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }

    private static string Describe(JsonException json) => json switch
    {
        { Path: { Length: > 0 } path } when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => $"unknown field '{path}'",
        { Path: { Length: > 0 } path } when json.Message.Contains("could not be converted", StringComparison.Ordinal) => $"wrong type or invalid value at '{path}'",
        { Path: { Length: > 0 } path } when json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal) => $"field '{path}' is given twice",
        { Path: { Length: > 0 } path } => $"{json.Message.Split(" Path:")[0]} (at '{path}')",
        _ => json.Message,
    };
}

/// <summary>A request that is well-formed but invalid; the message names the field.</summary>
internal sealed class ValidationException(string message) : Exception(message);

internal static class Problem
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: 400);

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"{what} not found", statusCode: 404);

    public static ProblemHttpResult Unprocessable(string detail) =>
        TypedResults.Problem(title: "Unprocessable request", detail: detail, statusCode: 422);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: 409);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: 403);
}
