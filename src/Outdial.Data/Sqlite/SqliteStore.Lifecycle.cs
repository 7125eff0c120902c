using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;

namespace Outdial.Data.Sqlite;

/// <summary>The derived campaign status (Handled, Expired, Active again), from the pick queue's index: a few seeks per
/// campaign, whatever its size.</summary>
public sealed partial class SqliteStore
{
    public async Task<IReadOnlyList<CampaignTransition>> ApplyCampaignLifecycleAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var campaigns = await connection.QueryAsync<(long Id, long Tenant, string Uid, string Status, string DialerStatus, long? EndDate)>(new CommandDefinition(
            "SELECT id, tenant_id, uid, status, dialer_status, end_date FROM campaigns WHERE status IN ('Active', 'Handled', 'Expired')",
            cancellationToken: ct));
        var transitions = new List<CampaignTransition>();
        foreach (var c in campaigns)
        {
            var status = Enum.Parse<CampaignStatus>(c.Status);
            var dialerStatus = Enum.Parse<DialerStatus>(c.DialerStatus);
            var endDate = FromMs(c.EndDate);
            // Past its end date the records do not matter: no need to read them.
            var work = endDate is { } end && now >= end ? default : await WorkAsync(connection, c.Id, ct);
            if (CampaignLifecycle.Derive(status, dialerStatus, endDate, work, now) is not { } next) continue;
            // Conditional on the status read: an operator's change meanwhile (Passive) is not overwritten.
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE campaigns SET status = @to, dialer_status = @dialer, modified = @now
                WHERE id = @id AND status = @from AND dialer_status = @fromDialer
                """, new { to = next.Status.ToString(), dialer = next.DialerStatus.ToString(), now = now.ToUnixTimeMilliseconds(), id = c.Id, from = c.Status, fromDialer = c.DialerStatus },
                cancellationToken: ct));
            if (changed == 1) transitions.Add(new CampaignTransition(c.Tenant, c.Uid, status, next.Status, next.DialerStatus));
        }
        return transitions;
    }

    /// <summary>Whether the campaign has records, and whether any may still be dialed: a queue row due before "never"
    /// (waiting, leased or in a call) in any (lane, priority) group, or a pending re-evaluation that may reset some.</summary>
    private static async Task<CampaignWork> WorkAsync(SqliteConnection connection, long campaign, CancellationToken ct)
    {
        var left = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pick_reevaluations WHERE campaign_id = @campaign)", new { campaign }, cancellationToken: ct)) == 1;
        var groups = await QueueGroupsAsync(connection, campaign, ct);
        foreach (var (lane, p) in groups)
        {
            if (left) break;
            left = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM pick_queue WHERE campaign_id = @campaign AND lane = @lane AND priority = @p AND due < @never)",
                new { campaign, lane, p, never = NeverMs }, cancellationToken: ct)) == 1;
        }
        var queued = groups.Count > 0;
        var hasRecords = queued || left || await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM campaign_records WHERE campaign_id = @campaign AND completion_seq IS NOT NULL)",
            new { campaign }, cancellationToken: ct)) == 1;
        return new CampaignWork(hasRecords, left);
    }
}
