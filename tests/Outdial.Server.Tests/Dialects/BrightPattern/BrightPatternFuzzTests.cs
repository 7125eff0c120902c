using System.Globalization;
using Microsoft.Extensions.Logging;
using static Outdial.Server.Tests.Dialects.BrightPattern.BrightPatternTestKit;

namespace Outdial.Server.Tests.Dialects.BrightPattern;

/// <summary>
/// getCompleted under drawn input: tenant, list and campaign parts of the path (valid, unknown, oddly encoded), the method,
/// the content type and the body (the valid one with each field mutated, extra and repeated fields, broken JSON, other JSON
/// values). Every answer is 200 or a 4xx in the dialect's shape, and the server logs no error.
/// </summary>
/// <remarks>Deterministic: the cases come from a <see cref="Random"/> of a fixed seed (<c>OUTDIAL_FUZZ_SEED</c> overrides it).
/// A NUL in the path is left out: Kestrel refuses it before the application, the test host throws.</remarks>
public sealed class BrightPatternFuzzTests : IDisposable
{
    private const int Cases = 600;
    private readonly OutdialFactory _factory = new();
    private readonly CapturingLoggerProvider _errors = new() { MinimumLevel = LogLevel.Error };

    public BrightPatternFuzzTests() => _factory.LogSink = _errors;

    public void Dispose() => _factory.Dispose();

    private static readonly string[] Names =
        ["Main", "main", "Main.v2 list", "Nope", "", " ", ".", "..", "%", "%2F", "a/b", "a%2Fb", "名前", "\ud800", "Main\n", "'; DROP TABLE records;--",
         new string('x', 5000), "{list_name}", "+", "Main%20", "%E0%A4%A", "?q=1", "#frag"];

    private static readonly string[] Times =
        ["\"2013-03-01T13:15:06.456\"", "\"2026-01-01T00:00:00\"", "\"2026-01-01T00:00\"", "\"2026-01-01\"", "\"2026-13-01T00:00:00\"", "\"0001-01-01T00:00:00\"",
         "\"9999-12-31T23:59:59.9999999\"", "\"9999-12-31T23:59:59.9999999-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"2026-01-01T00:00:00.12345678\"",
         "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00+0400\"", "\"\"", "\" \"", "null", "true", "0", "-1", "1e400", "[]", "{}", "\"yesterday\"",
         "\"2026-01-01T24:00:00\"", "\"2026-02-29T00:00:00\"", "\"\\u0000\""];

    private static readonly string[] Sizes =
        ["100", "\"100\"", "1", "1000", "1001", "0", "-1", "\"-0\"", "\"+5\"", "\" 5\"", "2.5", "1e3", "\"1e3\"", "9223372036854775808", "-9223372036854775809",
         "\"99999999999999999999\"", "null", "true", "[]", "{}", "\"\"", "\"ten\"", "0x10", "\"٣\""];

    private static readonly string[] OtherMethods = ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "application/json; charset=latin1", ""];

    [Fact]
    public async Task Drawn_paths_methods_and_bodies_answer_200_or_a_4xx_in_the_dialects_shape()
    {
        var seed = Environment.GetEnvironmentVariable("OUTDIAL_FUZZ_SEED") is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : 21;
        var random = new Random(seed);
        var client = _factory.Admin();
        var (campaign, _) = await Fixtures.Campaign(client, "Main");
        var serial = (await Fixtures.Record(client, campaign, new { externalId = "R0", numbers = "+447400000100" })).GetProperty("serial").GetInt64();
        Close(_factory, serial, new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        await Fixtures.Campaign(client, "Main.v2 list");
        var failures = new List<string>();
        var answered = new Dictionary<int, int>();

        for (var i = 0; i < Cases; i++)
        {
            var tenant = random.Next(4) == 0 ? Pick(random, Names) : "default";
            var list = random.Next(3) == 0 ? Pick(random, Names) : "Main";
            var name = random.Next(3) == 0 ? Pick(random, Names) : "Main";
            var encode = random.Next(4) != 0;
            var path = encode ? Url(list, name, tenant) : $"/admin/ws/t/{tenant}/callinglist/getCompleted/{list}/{name}";
            var method = random.Next(5) == 0 ? Pick(random, OtherMethods) : "POST";
            var body = Body(random);
            string status;
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null && method is not ("GET" or "HEAD"))
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    if (Pick(random, ContentTypes) is { Length: > 0 } type)
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var code = (int)response.StatusCode;
                answered[code] = answered.GetValueOrDefault(code) + 1;
                status = code >= 500 ? $"{code} {text}"
                    : code == 200 || method == "HEAD" || !request.RequestUri!.OriginalString.StartsWith("/admin/ws/", StringComparison.Ordinal) ? ""
                    : ErrorShape(text, code);
            }
            catch (UriFormatException)
            {
                continue; // a path the client itself cannot send
            }
            if (status.Length > 0) failures.Add($"#{i} {method} {path} {body}: {status}");
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures\n" + string.Join("\n", failures.Take(30)));
        Assert.True(_errors.Messages.IsEmpty, string.Join("\n", _errors.Messages.Take(5)));
        // The draw reaches answers and refusals alike.
        Assert.True(answered.GetValueOrDefault(200) > 30 && answered.GetValueOrDefault(400) > 20 && answered.GetValueOrDefault(404) > 20
            && answered.GetValueOrDefault(403) > 5 && answered.GetValueOrDefault(405) > 20, string.Join(", ", answered));
    }

    private static string ErrorShape(string text, int code)
    {
        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            return json.GetProperty("status").GetInt32() == code && json.GetProperty("message").ValueKind == JsonValueKind.String ? "" : $"not the dialect's error: {text}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"not the dialect's error: {text}";
        }
    }

    private static string? Body(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => Pick(random, ["", "{", "[]", "null", "\"x\"", "{\"fromTime\":", "\u00ff\u00fe", "{\"fromTime\": \"2026-01-01T00:00:00\", \"maxSize\": 1,}"]),
        2 => $$"""{"fromTime": {{Pick(random, Times)}}}""",
        3 => $$"""{"maxSize": {{Pick(random, Sizes)}}}""",
        4 => $$"""{"fromTime": {{Pick(random, Times)}}, "maxSize": {{Pick(random, Sizes)}}, "{{Pick(random, ["x", "fromtime", "maxSize", "", "fromTime"])}}": 1}""",
        5 => $$"""{"fromTime": "2026-01-01T00:00:00", "maxSize": 5, "nested": {{new string('[', 100)}}{{new string(']', 100)}}}""",
        _ => $$"""{"fromTime": {{(random.Next(2) == 0 ? "\"2013-03-01T13:15:06.456\"" : Pick(random, Times))}}, "maxSize": {{(random.Next(2) == 0 ? "\"100\"" : Pick(random, Sizes))}}}""",
    };

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
