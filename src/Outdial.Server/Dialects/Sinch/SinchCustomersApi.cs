using System.Security.Claims;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Operations.Records;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>The bulk add's answer per customer: 201 with the id, 200 validated but not added (the batch stopped), or an error.</summary>
internal sealed record SinchItemResult(int StatusCode, string? Id = null, string? Error = null);

/// <summary>OBI's /campaigns/{campaignId}/customers: search, add one, add a list, get and delete one.</summary>
internal static class SinchCustomersApi
{
    public static void MapSinchCustomers(this RouteGroupBuilder obi)
    {
        obi.MapGet("/campaigns/{campaignId}/customers", async (string campaignId, HttpRequest request, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var query = SinchCustomerSearch.Parse(request.Query, id, out var includeScript);
            var page = await records.SearchAsync(user.TenantId(), query, ct);
            return SinchResults.Ok(page.Items.Select(r => r.AsSinch(id, includeScript)).ToList(), "customers", "customer");
        });

        obi.MapPost("/campaigns/{campaignId}/customers", async (string campaignId, HttpRequest request, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var customer = await SinchWire.ReadAsync<SinchCustomer>(request, "customer", null, ct);
            try
            {
                var created = await records.CreateInCampaignAsync(user.TenantId(), id, customer.ToFields(), ct);
                return SinchResults.Created(request, created.Record.Id);
            }
            catch (OperationException e) when (e.Kind is ErrorKind.Invalid)
            {
                throw new ValidationException(SinchCustomerMapping.Reason(customer.Numbers, e.Message), e.Field);
            }
        }).RequireAuthorization(Policies.Write);

        obi.MapPost("/campaigns/{campaignId}/customers/list", async (string campaignId, HttpRequest request, ClaimsPrincipal user, RecordOperations records, OutdialOptions options, CancellationToken ct) =>
        {
            var id = SinchIds.Parse(campaignId, "campaignId");
            var stop = SinchQuery.Flag(request.Query, "stopProcessIfInvalidEntriesFound");
            var target = await records.TargetOfCampaignAsync(user.TenantId(), id, ct);
            await using var body = await SinchListBody.SpoolAsync(request, options, ct);
            // Only each customer's numbers as sent are kept, for the reason in the document's words.
            var sent = new List<string?>();
            var rows = body.ReadAsync<SinchCustomer>("customers", "customer", ct).Select((c, i) =>
            {
                sent.Add(c?.Numbers);
                return c is null ? new SourceRow(i + 1, null, "a customer is null") : new SourceRow(i + 1, c.ToFields(out var error), error);
            });
            var results = await records.CreateManyAsync(user.TenantId(), target, rows, stop, ct);
            return SinchResults.Ok(results.Select((r, i) => new SinchItemResult(
                r.StatusCode == 409 ? 400 : r.StatusCode, // the document answers a duplicate externalId with 400
                r.Id,
                r.Error is { } error && r.StatusCode != 200 ? SinchCustomerMapping.Reason(sent[i], error) : r.Error)).ToList(), "results", "result");
        }).RequireAuthorization(Policies.Write).WithMetadata(new ImportEndpointMarker());

        obi.MapGet("/campaigns/{campaignId}/customers/{customerId}", async (string campaignId, string customerId, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
        {
            var (cid, rid) = (SinchIds.Parse(campaignId, "campaignId"), SinchIds.Parse(customerId, "customerId"));
            return SinchResults.Ok((await records.GetInCampaignAsync(user.TenantId(), cid, rid, ct)).AsSinch(cid, includeScript: true), "customer");
        });

        obi.MapDelete("/campaigns/{campaignId}/customers/{customerId}", async (string campaignId, string customerId, ClaimsPrincipal user, RecordOperations records, CancellationToken ct) =>
        {
            var (cid, rid) = (SinchIds.Parse(campaignId, "campaignId"), SinchIds.Parse(customerId, "customerId"));
            await records.DeleteInCampaignAsync(user.TenantId(), cid, rid, ct);
            return Results.NoContent();
        }).RequireAuthorization(Policies.Write);
    }
}
