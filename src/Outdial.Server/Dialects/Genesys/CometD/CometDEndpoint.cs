using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Outdial.Server.Dialects.Genesys.CometD;

/// <summary>
/// Bayeux 1.0 over HTTP long-polling: a POST carries an array of messages (or one message) and is answered with an array
/// of replies, the messages delivered to a <c>/meta/connect</c> placed before its reply. Clients may append the message
/// type to the URL (<c>…/notifications/connect</c>, as the CometD JavaScript client does): the path after the base is ignored.
/// </summary>
internal static class CometDEndpoint
{
    public const string Version = "1.0";
    public const string LongPolling = "long-polling";

    public static async Task<IResult> HandleAsync(HttpContext http, ClaimsPrincipal user, CometDSessions sessions, CancellationToken ct)
    {
        if (GenesysApi.AgentOf(user) is not var (tenant, agent)) return GenesysResults.AgentKeyRequired();
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return GenesysResults.Error(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}");
        }
        IEnumerable<JsonNode?> messages = body switch
        {
            JsonArray array => array,
            JsonObject one => [one],
            _ => [],
        };
        if (body is not (JsonArray or JsonObject) || !messages.Any())
            return GenesysResults.Error(StatusCodes.Status400BadRequest, "the body must be a Bayeux message or a non-empty array of them");

        var replies = new JsonArray();
        foreach (var node in messages.ToList())
        {
            if (node is not JsonObject message)
            {
                replies.Add(Failed(null, null, "400::each message must be a JSON object"));
                continue;
            }
            foreach (var reply in await AnswerAsync(message, tenant, agent, sessions, ct)) replies.Add(reply);
        }
        return Results.Json(replies, statusCode: StatusCodes.Status200OK);
    }

    private static async Task<IReadOnlyList<JsonObject>> AnswerAsync(JsonObject message, long tenant, string agent, CometDSessions sessions,
        CancellationToken ct)
    {
        var channel = Text(message, "channel");
        var id = message["id"]?.DeepClone();
        if (channel is null || !channel.StartsWith('/')) return [Failed(id, channel, "400::channel missing or not a channel name")];
        if (channel == "/meta/handshake") return [Handshake(message, id, tenant, agent, sessions)];
        if (sessions.Find(Text(message, "clientId"), tenant, agent) is not { } session)
            return [Failed(id, channel, "402::Unknown client", new JsonObject { ["reconnect"] = "handshake", ["interval"] = 0 })];
        switch (channel)
        {
            case "/meta/connect":
                var wait = sessions.Options.Timeout;
                if (message["advice"] is JsonObject advice && advice["timeout"] is JsonValue asked && asked.TryGetValue<long>(out var ms) && ms >= 0 && ms < wait.TotalMilliseconds)
                    wait = TimeSpan.FromMilliseconds(ms);
                var delivered = await session.ConnectAsync(wait, ct);
                if (delivered is null) // disconnected or expired while held
                    return [Reply(id, channel, true, advice: new JsonObject { ["reconnect"] = "none", ["interval"] = 0 })];
                return [.. delivered, Reply(id, channel, true, advice: Advice(sessions.Options))];
            case "/meta/subscribe" or "/meta/unsubscribe":
                return [Subscribe(message, id, channel, session, on: channel == "/meta/subscribe")];
            case "/meta/disconnect":
                sessions.Close(session, evenIfHeld: true);
                return [Reply(id, channel, true, session.ClientId)];
            default:
                return [Failed(id, channel, channel.StartsWith("/meta/", StringComparison.Ordinal)
                    ? $"400::unknown meta channel {channel}" : "403::Publish denied: the channels carry the server's notifications only")];
        }
    }

    private static JsonObject Handshake(JsonObject message, JsonNode? id, long tenant, string agent, CometDSessions sessions)
    {
        if (message["supportedConnectionTypes"] is JsonArray types && !types.Any(t => t is JsonValue v && v.TryGetValue<string>(out var s) && s == LongPolling))
            return Failed(id, "/meta/handshake", $"400::no supported connection type: this server offers {LongPolling}",
                new JsonObject { ["reconnect"] = "none" }, supportedTypes: true);
        if (sessions.Open(tenant, agent) is not { } session)
            return Failed(id, "/meta/handshake", $"403::the agent holds {sessions.Options.SessionsPerAgent} sessions already: disconnect one first",
                new JsonObject { ["reconnect"] = "none" });
        var reply = Reply(id, "/meta/handshake", true, session.ClientId, Advice(sessions.Options));
        reply["version"] = Version;
        reply["supportedConnectionTypes"] = new JsonArray(LongPolling);
        return reply;
    }

    private static JsonObject Subscribe(JsonObject message, JsonNode? id, string channel, CometDSession session, bool on)
    {
        var subscription = message["subscription"];
        List<string?> names = subscription switch
        {
            JsonArray many => [.. many.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)],
            JsonValue one when one.TryGetValue<string>(out var s) => [s],
            _ => [],
        };
        if (names.Count == 0 || names.Any(n => !IsSubscribable(n)))
            return Failed(id, channel, "400::subscription must name channels such as /v2/me/outbound (not /meta/…)", clientId: session.ClientId);
        foreach (var name in names) session.Subscribe(name!, on);
        var reply = Reply(id, channel, true, session.ClientId);
        reply["subscription"] = subscription!.DeepClone();
        return reply;
    }

    /// <summary>A channel name (segments after '/', a trailing <c>*</c> or <c>**</c> allowed), not a meta channel.</summary>
    private static bool IsSubscribable(string? name)
    {
        if (name is not { Length: > 1 and <= 200 } || name[0] != '/' || name == "/meta" || name.StartsWith("/meta/", StringComparison.Ordinal)) return false;
        var segments = name[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i].Length == 0 || (segments[i].Contains('*', StringComparison.Ordinal) && !(i == segments.Length - 1 && segments[i] is "*" or "**")))
                return false;
        return true;
    }

    private static JsonObject Advice(CometDOptions options) => new()
    {
        ["interval"] = 0,
        ["timeout"] = (long)options.Timeout.TotalMilliseconds,
        ["reconnect"] = "retry",
    };

    /// <summary>A reply in the key order of the document's example: successful, advice, id, channel (clientId when due).</summary>
    private static JsonObject Reply(JsonNode? id, string channel, bool successful, string? clientId = null, JsonObject? advice = null)
    {
        var reply = new JsonObject { ["successful"] = successful };
        if (advice is not null) reply["advice"] = advice;
        if (id is not null) reply["id"] = id.DeepClone();
        reply["channel"] = channel;
        if (clientId is not null) reply["clientId"] = clientId;
        return reply;
    }

    private static JsonObject Failed(JsonNode? id, string? channel, string error, JsonObject? advice = null, bool supportedTypes = false,
        string? clientId = null)
    {
        var reply = Reply(id, channel ?? "", false, clientId, advice);
        if (channel is null) reply.Remove("channel");
        reply["error"] = error;
        if (supportedTypes)
        {
            reply["version"] = Version;
            reply["supportedConnectionTypes"] = new JsonArray(LongPolling);
        }
        return reply;
    }

    private static string? Text(JsonObject message, string name) =>
        message[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
