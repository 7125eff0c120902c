using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>What the derived campaign status (Handled, Expired, Active again) reads, from the pick queue's index: a few
/// seeks per campaign, whatever its size; the engine decides (CampaignLifecycle).</summary>
public sealed partial class SqliteStore
{
    public async Task<IReadOnlyList<CampaignStatusSnapshot>> ListDerivedStatusCampaignsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Tenant, string Uid, string Status, string DialerStatus, long? EndDate)>(new CommandDefinition(
            "SELECT tenant_id, uid, status, dialer_status, end_date FROM campaigns WHERE status IN ('Active', 'Handled', 'Expired')",
            cancellationToken: ct));
        return rows.Select(c => new CampaignStatusSnapshot(
            c.Tenant, c.Uid, Enum.Parse<CampaignStatus>(c.Status), Enum.Parse<DialerStatus>(c.DialerStatus), FromMs(c.EndDate))).ToList();
    }

    public async Task<CampaignWork> GetCampaignWorkAsync(long tenant, string campaignId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var campaign = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, cancellationToken: ct));
        return campaign is { } serial ? await WorkAsync(connection, serial, ct) : default;
    }

    public async Task<bool> SetDerivedStatusAsync(
        CampaignStatusSnapshot from, CampaignStatus to, DialerStatus toDialer, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaigns SET status = @to, dialer_status = @dialer, modified = @now
            WHERE tenant_id = @tenant AND uid = @uid AND status = @from AND dialer_status = @fromDialer
            """, new
        {
            to = to.ToString(),
            dialer = toDialer.ToString(),
            now = now.ToUnixTimeMilliseconds(),
            tenant = from.TenantId,
            uid = from.CampaignId,
            from = from.Status.ToString(),
            fromDialer = from.DialerStatus.ToString(),
        }, cancellationToken: ct)) == 1;
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
