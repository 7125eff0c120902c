using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Phones;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;

namespace Outdial.Server.Features.Dialing;

/// <summary>
/// <c>outdial serve --demo</c>: tenant <c>demo</c> with a predictive campaign of 10,000 records over several time zones and
/// 10 simulated agents, dialing the simulated network in real time.
/// </summary>
/// <remarks>
/// Before the server listens (hosted services start first) only what the dialer needs to start: the campaign, its agents
/// Ready, the key, and the first <see cref="FirstRecords"/> records. The rest are written in the background once it runs,
/// in batches, so a newcomer sees calls within seconds of the command rather than after the whole seed.
/// </remarks>
internal sealed class DemoSeeder(IStore store, DemoCampaigns demo, CampaignOperations campaigns, TimeProvider time, IConfiguration configuration, ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string CampaignName = "Demo campaign";
    internal const int Records = 10_000;
    internal const int FirstRecords = 1_000;
    private const int Batch = 1_000;
    private const int Agents = 10;
    private long _tenant;
    private Campaign? _campaign;

    private static readonly (string Region, string Zone, string Prefix, int Digits)[] Places =
    [
        ("US", "America/New_York", "+1212555", 4), ("US", "America/Los_Angeles", "+1415555", 4), ("GB", "Europe/London", "+447400", 6),
        ("DE", "Europe/Berlin", "+49151", 8), ("FI", "Europe/Helsinki", "+35840", 7), ("AU", "Australia/Sydney", "+61412", 6),
        ("JP", "Asia/Tokyo", "+8190", 8),
    ];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var tenant = _tenant = await store.EnsureTenantAsync("demo", ct);
        var now = time.GetUtcNow();
        var campaign = await store.GetCampaignByNameAsync(tenant, CampaignName, ct);
        if (campaign is null)
        {
            var queue = new Queue(Id32.New(), "Demo queue");
            await store.CreateQueueAsync(tenant, queue, ct);
            campaign = await store.CreateCampaignAsync(tenant, new Campaign
            {
                Id = Id32.New(),
                Name = CampaignName,
                DialingMode = DialingMode.PREDICTIVE,
                QueueId = queue.Id,
                AbandonRate = 3.0,
                Registered = now,
                Modified = now,
                TimeZone = "UTC",
                Remarks = "Simulated network and agents (outdial serve --demo)",
                // All day in every zone, so the demo dials whenever it is started.
                CallingWindow = new CallingWindow(TimeOnly.MinValue, TimeOnly.MinValue),
            }, ct);
            await SeedRecordsAsync(tenant, campaign, 0, FirstRecords, ct);
            for (var i = 1; i <= Agents; i++)
                await store.CreateAgentAsync(tenant, new Agent(Id32.New(), $"agent{i:D2}", $"Demo Agent {i}"), ct);
        }
        await campaigns.SetStatusAsync(tenant, campaign.Id, CampaignStatus.Active, ct);
        demo.Add(campaign.Id);
        foreach (var agent in await store.ListAgentsAsync(tenant, ct))
        {
            if (await store.GetAgentSessionAsync(tenant, agent.Id, ct) is { } session)
                await store.MoveAgentAsync(tenant, agent.Id, AgentState.LoggedOut, null, now, ct); // a previous run's session
            await store.MoveAgentAsync(tenant, agent.Id, AgentState.Ready, campaign.Id, now, ct);
        }
        var key = ApiKeys.Generate();
        await store.AddApiKeyAsync(tenant, Role.admin, ApiKeys.Hash(key), ApiKeys.Prefix(key), ct);
        // The first address the server was told to listen on (the host starts listening after hosted services start).
        var url = (configuration["urls"] ?? "http://localhost:8080").Split(';')[0].Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        logger.LogWarning(
            "Demo ready: tenant 'demo', campaign {CampaignId}. Key: {Key}  Try: curl -H 'Authorization: Bearer {Key}' {Url}/api/v1/campaigns/{CampaignId}/statistics  or  {Url}/api/v1/events",
            campaign.Id, key, key, url, campaign.Id, url);
        _campaign = campaign;
        await base.StartAsync(cancellationToken);
    }

    /// <summary>The records after the first, also those a previous run stopped before writing (the same rows: skipped when there).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_campaign is not { } campaign) return;
        if ((await store.GetCampaignCountsAsync(_tenant, campaign.Id, time.GetUtcNow(), stoppingToken))?.Total >= Records) return;
        for (var from = FirstRecords; from < Records; from += Batch)
            await SeedRecordsAsync(_tenant, campaign, from, Math.Min(Batch, Records - from), stoppingToken);
        logger.LogInformation("Demo campaign {CampaignId}: all {Records} records written", campaign.Id, Records);
    }

    /// <summary>Writes records <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of the demo's
    /// fixed sequence (each one's number drawn from a generator seeded by its index), in one write session.</summary>
    private async Task SeedRecordsAsync(long tenant, Campaign campaign, int from, int count, CancellationToken ct)
    {
        await using var writer = (await store.BeginRecordWriteAsync(tenant, campaign.DefaultListId!, DuplicatePolicy.skip, null, ct))!;
        for (var i = from; i < from + count; i++)
        {
            var random = new Random(i);
            var (region, zone, prefix, digits) = Places[i % Places.Length];
            NormalizedPhone phone;
            var tries = 0;
            do
            {
                var suffix = random.NextInt64((long)Math.Pow(10, digits)).ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture);
                phone = PhoneNormalizer.Normalize(prefix + suffix, region);
            } while (!phone.IsValid && ++tries < 20);
            if (!phone.IsValid) continue;
            writer.Write(new RecordDraft
            {
                ExternalId = $"DEMO-{i:D5}",
                Phones = [phone.ToRecordPhone()],
                TimeZone = zone,
                Priority = i % 20 == 0 ? 5 : 0,
                Attributes = [new RecordAttribute("Name", $"Customer {i}"), new RecordAttribute("Region", region)],
            });
        }
        await writer.CommitAsync(ct);
    }
}
