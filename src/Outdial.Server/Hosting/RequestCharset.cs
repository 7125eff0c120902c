using System.Text;
using Microsoft.Net.Http.Headers;

namespace Outdial.Server.Hosting;

/// <summary>
/// Refuses a JSON body whose Content-Type names a charset there is no encoding for (415). The framework's JSON binding
/// would throw an InvalidOperationException for it, answered as a 500.
/// </summary>
internal static class RequestCharset
{
    public static IApplicationBuilder UseOutdialRequestCharset(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && IsJson(type)
                && type.Charset is { HasValue: true } charset && !IsKnown(charset.Value!.Trim('"')))
            {
                throw new BadHttpRequestException(
                    $"unsupported charset '{charset}' in Content-Type '{context.Request.ContentType}': send the body as UTF-8 (application/json; charset=utf-8)", 415);
            }
            return next(context);
        });

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    private static bool IsKnown(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
