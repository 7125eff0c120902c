using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Conpeek;

/// <summary>
/// Conpeek's voice campaign requests at <c>/voice_campaign/{voice_campaign_id}/request</c>: a campaign's records as
/// VoiceCampaignRequests (read with a JSON filter, paged, some parts excluded) and new ones created, with the key as the
/// raw Authorization value.
/// </summary>
internal static class ConpeekApi
{
    public const string BasePath = "/voice_campaign";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Errors under <see cref="BasePath"/> in the dialect's shape; before AddProblemDetails so it is asked first.</summary>
    public static IServiceCollection AddConpeekDialect(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, ConpeekErrorWriter>();

    public static void MapConpeekApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).RequireAuthorization(Policies.Read).WithTags("Conpeek").ExcludeFromDescription();
        group.MapConpeekRequests();
    }

    public static IResult Ok<T>(T data) => TypedResults.Json(new ConpeekData<T>(data), Json);
}

internal sealed record ConpeekData<T>(T Data);

/// <summary>A Conpeek error: <c>{"code": 404, "message": "..."}</c>.</summary>
internal sealed record ConpeekError(int Code, string? Message);

/// <summary>Every error under the dialect's path (the handlers' refusals and the framework's 401/403/404/405) in its shape.</summary>
internal sealed class ConpeekErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(ConpeekApi.BasePath);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        var status = context.ProblemDetails.Status ?? response.StatusCode;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, new ConpeekError(status, context.ProblemDetails.Detail ?? context.ProblemDetails.Title),
            ConpeekApi.Json, context.HttpContext.RequestAborted);
    }
}
