using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Outdial.Engine.Storage;

namespace Outdial.Server.Dialects.BrightPattern;

/// <summary>One completed record as Bright Pattern answers it: <c>{completedTime, entry: {field: value}, status: {…}}</c>.</summary>
internal sealed record BrightPatternCompleted(string CompletedTime, IReadOnlyDictionary<string, string> Entry, BrightPatternStatus Status)
{
    public static BrightPatternCompleted Of(CompletedRecord completed, IReadOnlyDictionary<string, string> agentLogins)
    {
        var record = completed.Record.Record;
        var progress = completed.Record.Progress[0];
        // The list's fields by name, then the attributes (a field wins over an attribute of the same name).
        var entry = new Dictionary<string, string> { ["externalId"] = record.ExternalId };
        for (var i = 0; i < record.Phones.Count; i++) entry[$"phone{i + 1}"] = record.Phones[i].E164 ?? record.Phones[i].Raw;
        if (record.TimeZone is { } zone) entry["timeZone"] = zone;
        foreach (var attribute in record.Attributes) entry.TryAdd(attribute.Name, attribute.Value);
        var attempted = completed.TotalAttempts > 0;
        return new(Time(completed.CompletedTime), entry, new BrightPatternStatus
        {
            LastDisposition = progress.Result?.ToString(),
            LastDate = attempted && progress.ClosedAt is { } closed ? closed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture) : null,
            LastPhone = attempted ? completed.LastPhone : null,
            LastCallDuration = completed.LastCallDuration is { } talk ? (long)Math.Round(talk, MidpointRounding.AwayFromZero) : null,
            LastAgent = completed.LastAgent is { } agent && agentLogins.TryGetValue(agent, out var login) ? login : null,
            TotalAttempts = completed.TotalAttempts,
        });
    }

    /// <summary>UTC without offset as the document writes it, to the millisecond; to the microsecond when completions of one
    /// millisecond were told apart (the time is then the client's exact cursor, to be passed back as it came).</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString(time.Ticks % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff" : "yyyy-MM-dd'T'HH:mm:ss.ffffff",
            CultureInfo.InvariantCulture);
}

/// <summary>The status block: <c>completed</c> always true; the others absent when the record was never attempted or never
/// reached an agent.</summary>
internal sealed record BrightPatternStatus
{
    public bool Completed { get; } = true;
    public string? LastDisposition { get; init; }
    public string? LastDate { get; init; }
    public string? LastPhone { get; init; }
    public long? LastCallDuration { get; init; }
    public string? LastAgent { get; init; }
    public long TotalAttempts { get; init; }
}

/// <summary>An error in a small JSON shape like that of Bright Pattern's (Java) services: <c>{"status", "error", "message"}</c>.</summary>
internal sealed record BrightPatternError(int Status, string Error, string? Message);

/// <summary>Writes every error under the dialect's path (the handler's refusals, 401/403/404/405 of the framework) in the
/// dialect's shape instead of problem details.</summary>
internal sealed class BrightPatternErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    // Quotes and non-ASCII as they are: the messages quote names, and the answer is JSON, never embedded in HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(BrightPatternApi.BasePath);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var error = new BrightPatternError(status, ReasonPhrases.GetReasonPhrase(status), context.ProblemDetails.Detail ?? context.ProblemDetails.Title);
        await JsonSerializer.SerializeAsync(response.Body, error, Json, context.HttpContext.RequestAborted);
    }
}
