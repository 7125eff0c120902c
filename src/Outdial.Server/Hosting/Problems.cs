using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Operations;

namespace Outdial.Server.Hosting;

/// <summary>Shapes every user-caused failure as RFC 9457 ProblemDetails with a 4xx status.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON", Describe(json)),
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode switch { 413 => "Body too large", 415 => "Unsupported media type", _ => "Bad request" }, Describe(bad)),
            JsonException json => (400, "Malformed JSON", Describe(json)),
            OperationException failed => (Problem.StatusOf(failed.Kind), Problem.TitleOf(failed.Kind), failed.Message),
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

    /// <summary>The framework's binding failures in the API's terms: its messages name C# types and give server-side advice.</summary>
    private static string Describe(BadHttpRequestException bad)
    {
        if (MissingBody().IsMatch(bad.Message)) return "a JSON body is required: the body was empty or null";
        if (BadValue().Match(bad.Message) is { Success: true } m)
        {
            var kind = m.Groups["type"].Value switch
            {
                var t when t.Contains("int", StringComparison.OrdinalIgnoreCase) || t.Contains("long", StringComparison.OrdinalIgnoreCase) => "an integer",
                var t when t.Contains("double", StringComparison.OrdinalIgnoreCase) || t.Contains("decimal", StringComparison.OrdinalIgnoreCase) => "a number",
                var t when t.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
                _ => "a valid value",
            };
            return $"'{m.Groups["name"].Value}' must be {kind}, got '{m.Groups["value"].Value}'";
        }
        return bad.Message;
    }

    [GeneratedRegex("^(Implicit body inferred for parameter \".+\" but no body was provided|Required parameter \".+\" was not provided from body)")]
    private static partial Regex MissingBody();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BadValue();

    /// <summary>A JSON binding failure in the API's words (also for the rows of bulk imports).</summary>
    internal static string Describe(JsonException json) => json switch
    {
        { Path: { Length: > 0 } path } when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => $"unknown field '{path}'",
        { Path: { Length: > 0 } path } when json.Message.Contains("could not be converted", StringComparison.Ordinal) => $"wrong type or invalid value at '{path}'",
        { Path: { Length: > 0 } path } when json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal) => $"field '{path}' is given twice",
        { Path: { Length: > 0 } path } => $"{json.Message.Split(" Path:")[0]} (at '{path}')",
        _ => json.Message,
    };
}

internal static class Problem
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.UnknownReference => 422,
        ErrorKind.Forbidden => 403,
        _ => 400,
    };

    public static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.UnknownReference => "Unknown reference",
        ErrorKind.Forbidden => "Forbidden",
        _ => "Invalid request",
    };

    /// <summary>An operation's refusal as the native API's problem details (for handlers that return rather than throw).</summary>
    public static ProblemHttpResult Of(OperationException failed) =>
        TypedResults.Problem(title: TitleOf(failed.Kind), detail: failed.Message, statusCode: StatusOf(failed.Kind));

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
