using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>Genesys's answer shape: <c>{"statusCode": 0}</c> for an accepted request, a non-zero statusCode with a
/// statusMessage for a refused one (the HTTP status says which kind).</summary>
internal sealed record GenesysStatus(int StatusCode, string? StatusMessage = null);

internal static class GenesysResults
{
    /// <summary>Genesys's statusCode for a refusal: 1 bad request, 2 not found or not held, 3 not allowed, 4 conflict.</summary>
    public static int StatusCodeOf(int http) => http switch
    {
        StatusCodes.Status404NotFound => 2,
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => 3,
        StatusCodes.Status409Conflict => 4,
        _ => 1,
    };

    public static IResult Accepted() => Results.Json(new GenesysStatus(0), Json);

    public static IResult Error(int status, string message) => Results.Json(new GenesysStatus(StatusCodeOf(status), message), Json, statusCode: status);

    public static IResult AgentKeyRequired() => Error(StatusCodes.Status403Forbidden,
        "the Genesys API acts for the agent owning the key: use an agent key (`outdial keys create --role agent --agent ID`)");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Every error under <see cref="GenesysApi.BasePath"/> (the handlers' refusals and the framework's 401/404/405/415)
/// in Genesys's shape instead of problem details.</summary>
internal sealed class GenesysErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(GenesysApi.BasePath);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        context.HttpContext.Response.StatusCode = status;
        context.HttpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.HttpContext.Response.Body,
            new GenesysStatus(GenesysResults.StatusCodeOf(status), context.ProblemDetails.Detail ?? context.ProblemDetails.Title), GenesysResults.Json,
            context.HttpContext.RequestAborted);
    }
}
