using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.AgentWork;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Features.Records;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

/// <summary>The native API of <see cref="AgentWorkOperations"/>: preview, dial, skip, reject and complete.</summary>
internal static class AgentWorkApi
{
    public sealed record PreviewDto(long Handle, int PhoneIndex, string? Number, RecordDto Record);

    public sealed record CompleteInput(CallResult? Result, string? Classifier = null, decimal? Amount = null,
        [property: JsonConverter(typeof(OffsetRequired))] DateTimeOffset? CallbackAt = null, string? CallbackType = null, Script? Script = null);

    public static void MapAgentWorkApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents/{agentId}/session").WithTags("Agent sessions").RequireAuthorization(Policies.Agent)
            .RequireSelfForAgentKeys();

        group.MapPost("/preview", async ([Description("The agent's id32")] string agentId, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct) =>
            await work.PreviewAsync(user.TenantId(), agentId, ct) is { } held ? (IResult)TypedResults.Ok(AsDto(held)) : TypedResults.NoContent())
            .WithSummary("Take the next record to preview")
            .WithDescription("Holds the next callable record of the agent's preview campaign for this agent: 200 with its handle, " +
                "the number to dial and the record; 204 when none is callable now.")
            .Produces<PreviewDto>().Produces(204);

        group.MapPost("/records/{handle:long}/dial", async ([Description("The agent's id32")] string agentId, [Description("The held record's handle, from the preview")] long handle, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct) =>
        {
            await work.DialAsync(user.TenantId(), agentId, handle, ct);
            return TypedResults.Accepted((string?)null);
        }).WithSummary("Dial a held preview record").WithDescription("The call is placed in the background; its progress comes as events.");

        group.MapPost("/records/{handle:long}/skip", async ([Description("The agent's id32")] string agentId, [Description("The held record's handle, from the preview")] long handle, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct) =>
        {
            await work.SkipAsync(user.TenantId(), agentId, handle, ct);
            return TypedResults.NoContent();
        }).WithSummary("Skip a held preview record").WithDescription("The record goes back to the campaign, callable again later.");

        group.MapPost("/records/{handle:long}/reject", async ([Description("The agent's id32")] string agentId, [Description("The held record's handle, from the preview")] long handle, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct) =>
        {
            await work.RejectAsync(user.TenantId(), agentId, handle, ct);
            return TypedResults.NoContent();
        }).WithSummary("Reject a held preview record").WithDescription("Ends the record with AGENT_REJECTED as the campaign's result rules say.");

        group.MapPost("/complete", async ([Description("The agent's id32")] string agentId, CompleteInput input, ClaimsPrincipal user, AgentWorkOperations work, CancellationToken ct) =>
        {
            await work.CompleteAsync(user.TenantId(), agentId,
                new Completion(input.Result, input.Classifier, input.Amount, input.CallbackAt, input.CallbackType, input.Script), ct);
            return TypedResults.NoContent();
        }).WithSummary("Complete the agent's call with a result")
          .WithDescription("The result (not DIALING or MAXCALLS) decides the record's next step by the campaign's rules. callbackAt " +
              "(future, with an offset) asks for a callback: Personal (default, this agent) or Campaign (any agent). " +
              "Example: {\"result\":\"SUCCESS\",\"amount\":49.90,\"classifier\":\"sale\"}");
    }

    private static PreviewDto AsDto(ClaimedRecord held) =>
        new(held.Lease.RecordSerial, held.PhoneIndex, held.Record.Phones.ElementAtOrDefault(held.PhoneIndex)?.E164,
            new StoredRecord(held.Record, [held.Progress]).AsDto());
}
