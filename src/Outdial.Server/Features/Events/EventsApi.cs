using System.ComponentModel;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Events;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Events;

internal static class EventsApi
{
    public sealed record EventDto(long Sequence, string Type, DateTimeOffset At, object Data);

    public static void MapEventsApi(this RouteGroupBuilder api) =>
        api.MapGet("/events", Results<ServerSentEventsResult<EventDto>, ProblemHttpResult> (
            [Description("Comma-separated event types to receive (record.processed, call.progress, agent.state, campaign.state, pacing.decision, agent.work, record.offered); all when absent")] string? types,
            ClaimsPrincipal user, EventBus bus, TimeProvider time, CancellationToken ct) =>
        {
            HashSet<string>? filter = null;
            if (!string.IsNullOrWhiteSpace(types))
            {
                filter = types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                var unknown = filter.Where(t => !EventTypes.All.Contains(t)).ToList();
                if (unknown.Count > 0)
                    return Problem.BadRequest($"unknown event type(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", EventTypes.All)}");
            }
            // Subscribe before answering, so nothing published after the response starts is missed.
            var subscription = bus.Subscribe(user.TenantId(), filter);
            return TypedResults.ServerSentEvents(Stream(subscription, time, ct));
        })
        .WithTags("Events")
        .WithSummary("Stream the tenant's events")
        .WithDescription("Server-Sent Events of the caller's tenant: record.processed, call.progress, agent.state, campaign.state, pacing.decision, agent.work, record.offered. Filter with ?types=a,b.");

    private static async IAsyncEnumerable<SseItem<EventDto>> Stream(EventBus.Subscription subscription, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        using (subscription)
        {
            // An immediate first event starts the response, so clients (and proxies) see the stream open before anything happens.
            yield return new SseItem<EventDto>(new EventDto(0, "ready", time.GetUtcNow(), new { }), "ready");
            await foreach (var e in subscription.Reader.ReadAllAsync(ct))
                yield return new SseItem<EventDto>(new EventDto(e.Sequence, e.Type, e.At, EventWire.ToWire(e.Data)), e.Type)
                {
                    EventId = e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
        }
    }
}
