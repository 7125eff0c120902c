using System.Security.Claims;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Catalog;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Conpeek;

/// <summary><c>/voice_campaign/{voice_campaign_id}/request</c>: read a campaign's requests, create one.</summary>
internal static class ConpeekRequestsApi
{
    public static void MapConpeekRequests(this RouteGroupBuilder group)
    {
        group.MapGet("/{voice_campaign_id}/request", async (string voice_campaign_id, HttpRequest request, ClaimsPrincipal user,
            CampaignOperations campaigns, RecordOperations records, AgentOperations agents, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            var campaign = await ConpeekIds.ResolveCampaignAsync(campaigns, tenant, voice_campaign_id, ct);
            var search = ConpeekFilter.Parse(request.Query, campaign.Id);
            var query = search.Query;
            if (search.TenantUsers is not null || search.AssignedUsers is not null)
            {
                // Users are integers here, agents id32s: the tenant's few agents are matched by their integer.
                var all = await agents.ListAsync(tenant, ct);
                List<string>? Agents(IReadOnlyList<long>? users) =>
                    users?.Let(u => all.Where(a => u.Contains(ConpeekIds.User(a.Id)!.Value)).Select(a => a.Id).ToList());
                query = query with { AgentIds = Agents(search.AssignedUsers), LastAgentIds = Agents(search.TenantUsers) };
            }
            if (query.AnyOf.Any(f => f.Field == RecordField.numbers))
                query = ConpeekFilter.NumbersIn(query, (await records.TargetOfCampaignAsync(tenant, campaign.Id, ct)).DefaultRegion);
            var page = await records.SearchAsync(tenant, query, ct);
            // One read for the whole page's attempts: consultant_try, tenant_user_id and call_state need them even when
            // every part is excluded.
            var attempts = (await records.GetCampaignAttemptsAsync(tenant, campaign.Id, page.Items, ct)).ToLookup(a => a.RecordId);
            return ConpeekApi.Ok(page.Items.Select(r => r.AsConpeek(campaign, attempts[r.Record.Id].ToList(), search.Parts)).ToList());
        });

        group.MapPost("/{voice_campaign_id}/request", async (string voice_campaign_id, HttpRequest request, ClaimsPrincipal user,
            CampaignOperations campaigns, RecordOperations records, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            var campaign = await ConpeekIds.ResolveCampaignAsync(campaigns, tenant, voice_campaign_id, ct);
            var fields = await ConpeekCreate.ReadAsync(request, ct);
            var created = await records.CreateInCampaignAsync(tenant, campaign.Id, fields, ct);
            return ConpeekApi.Ok(created.AsConpeek(campaign, [], ConpeekParts.All));
        }).RequireAuthorization(Policies.Write);
    }

    private static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
