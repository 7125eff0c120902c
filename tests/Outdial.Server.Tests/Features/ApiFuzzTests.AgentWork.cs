using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Features;

/// <summary>
/// The agent work routes where they do real work: a PREVIEW campaign dialed by its runner on a fake clock over a simulated
/// network that always answers after 5 s and hangs up after 30 s of talk, so every step happens only when a case asks
/// for it and the store is still between cases. Each case first brings the agent to a stage (holding a preview record,
/// dialing, talking, wrapping up, just skipped, just completed, paused, logged out), then sends a valid, mutated or
/// hand-written odd request. Beside the invariants of the other fuzz test, a refused request must leave the agent's
/// session, its held record and the other agents' sessions exactly as they were, and the record held must still be the
/// agent's to dial or skip.
/// </summary>
public sealed partial class ApiFuzzTests
{
    /// <summary>Virtual noon in March: the GB records are inside their calling window.</summary>
    private static readonly DateTimeOffset WorkStart = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private const int RandomWorkCases = 25;
    private const int AnswerSeconds = 5;
    private const int TalkSeconds = 30;

    private static readonly SimulatedNetworkOptions AlwaysAnswered = new()
    {
        PersonRate = 1,
        MachineRate = 0,
        FaxRate = 0,
        BusyRate = 0,
        InvalidRate = 0,
        FailedRate = 0,
        SetupTime = Distribution.Fixed(1),
        AnswerTime = Distribution.Fixed(AnswerSeconds),
        TalkTime = Distribution.Fixed(TalkSeconds),
    };

    [Fact]
    public async Task Agent_work_routes_at_work_answer_bad_input_with_a_4xx_problem_and_keep_the_session()
    {
        var seed = Seed();
        var time = new FakeTimeProvider(WorkStart);
        _factory.TestServices = s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<ITelephony>(new SimulatedNetwork(time, AlwaysAnswered, seed));
        };
        var clock = Stopwatch.StartNew();
        using var fuzzer = await Fuzzer.StartAsync(_factory, _errors, seed);
        await fuzzer.StartWorkAsync(_factory, time);
        try
        {
            foreach (var op in fuzzer.WorkOperations) await fuzzer.RunWorkAsync(op, RandomWorkCases);
            await fuzzer.FinishAsync();
        }
        finally
        {
            await fuzzer.StopWorkAsync();
        }
        foreach (var line in fuzzer.Summary.Concat(fuzzer.Failures)) _output.WriteLine(line);
        _output.WriteLine($"{fuzzer.Requests} requests in {clock.Elapsed.TotalSeconds:F1} s (seed {seed})");
        Assert.True(fuzzer.Failures.Count == 0,
            $"{fuzzer.Failures.Count} failures; reproduce with OUTDIAL_FUZZ_SEED={seed}:\n" + string.Join("\n", fuzzer.Failures.Take(60)));
    }

    /// <summary>Where the agent is when a case is sent; Skipped and Completed are Ready with the last handle gone stale.</summary>
    private enum Stage { LoggedOut, Paused, Ready, Preview, Dialing, Talking, WrapUp, Skipped, Completed }

    private sealed partial class Fuzzer
    {
        private readonly List<string> _workSecrets = [];
        private readonly List<CampaignRunner> _runners = [];
        private FakeTimeProvider _time = null!;
        private DialerService _dialer = null!;
        private HttpClient _foreignAdmin = null!;
        /// <summary>The agent the cases act for: where it is, the handle and record it holds, the handle it last let go.</summary>
        private Stage _stage;
        private long? _handle;
        private string? _heldRecord;
        private long? _stale;

        public IEnumerable<Operation> WorkOperations => Operations.Where(o =>
            o.Path.StartsWith("/api/v1/agents/{agentId}/session", StringComparison.Ordinal) || o.Path == "/api/v1/campaigns/{campaignId}/agents");

        private static readonly TimeSpan RunnerTimeout = TimeSpan.FromSeconds(10);

        /// <summary>
        /// A PREVIEW campaign per tenant, Active, its runner started; in ours the agent the cases act for (Ready) and a
        /// second agent holding a record; in the other tenant an agent holding one too. The ids the cases address are
        /// swapped in for the populated ones, which stay secrets.
        /// </summary>
        public async Task StartWorkAsync(OutdialFactory factory, FakeTimeProvider time)
        {
            _time = time;
            _dialer = factory.Services.GetRequiredService<DialerService>();
            _foreignAdmin = await factory.ClientFor("fuzz-foreign");
            _workSecrets.AddRange(ForeignSecrets().Where(s => s != Marker));
            var mine = await WorkCampaignAsync(_admin, "W", "mine", records: 600);
            var theirs = await WorkCampaignAsync(_foreignAdmin, "V", Marker, records: 5);
            await _dialer.ScanAsync(CancellationToken.None);
            foreach (var (tenant, campaign) in new[] { ("default", mine.Campaign), ("fuzz-foreign", theirs.Campaign) })
            {
                var id = await factory.Store.EnsureTenantAsync(tenant, CancellationToken.None);
                _runners.Add(_dialer.Runner(id, campaign) ?? throw new InvalidOperationException($"no runner for {campaign}"));
            }
            await RunnersIdleAsync();
            var held = await PreviewAsync(_admin, mine.Agent2) ?? throw new InvalidOperationException("the second agent got no record");
            var theirHeld = await PreviewAsync(_foreignAdmin, theirs.Agent) ?? throw new InvalidOperationException("the other tenant's agent got no record");
            _otherCampaign = _mine.Campaign;
            _mine = _mine with { Agent = mine.Agent, Agent2 = mine.Agent2, Campaign = mine.Campaign, AgentKey = mine.AgentKey, Serial = held.Handle };
            _foreign = _foreign with { Agent = theirs.Agent, Agent2 = theirs.Agent2, Campaign = theirs.Campaign, AgentKey = theirs.AgentKey, Serial = theirHeld.Handle, Record = theirHeld.Record };
            _secondHandle = held.Handle;
            _stage = Stage.Ready;
            _lastSnapshot = null;
        }

        private long _secondHandle;
        /// <summary>Another campaign of ours (the populated one, not dialed).</summary>
        private string _otherCampaign = "";

        public async Task StopWorkAsync() => await _dialer.StopAsync(CancellationToken.None);

        private sealed record WorkIds(string Campaign, string Agent, string Agent2, string AgentKey);

        private async Task<WorkIds> WorkCampaignAsync(HttpClient c, string tag, string text, int records)
        {
            var n = Next();
            async Task<string> Post(string url, object body) =>
                (await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync(url, body), HttpStatusCode.Created)).GetProperty("id").GetString()!;
            var (campaign, _) = await Fixtures.Campaign(c, $"Work {tag}{n} {text}", new { dialingMode = "PREVIEW", defaultRegion = "GB" });
            var csv = new StringBuilder("externalId,phone1\n");
            for (var i = 0; i < records; i++) csv.Append(CultureInfo.InvariantCulture, $"{tag}{n}-{i},+4474003{(tag == "W" ? 0 : 5)}{i:D4}\n");
            await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/campaigns/{campaign}/imports", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")));
            Assert.Equal(HttpStatusCode.NoContent, (await c.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" })).StatusCode);
            var agent = await Post("/api/v1/agents", new { login = $"work{tag}{n}", name = $"Worker {text}" });
            var agent2 = await Post("/api/v1/agents", new { login = $"work{tag}{n}b", name = $"Worker {text}" });
            foreach (var a in new[] { agent, agent2 })
                await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync($"/api/v1/agents/{a}/session", new { campaignId = campaign }), HttpStatusCode.Created);
            var key = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/agents/{agent}/keys", null), HttpStatusCode.Created);
            if (tag != "W") _workSecrets.AddRange([campaign, agent, agent2]);
            return new WorkIds(campaign, agent, agent2, key.GetProperty("key").GetString()!);
        }

        private async Task<(long Handle, string Record)?> PreviewAsync(HttpClient c, string agent)
        {
            var response = await c.PostAsync($"/api/v1/agents/{agent}/session/preview", null);
            await RunnersIdleAsync();
            if (response.StatusCode != HttpStatusCode.OK) return null;
            var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (preview.GetProperty("handle").GetInt64(), preview.GetProperty("record").GetProperty("id").GetString()!);
        }

        /// <summary>
        /// Waits until every runner has handled what it was sent. A session change reaches a runner through the event bus,
        /// one hop later than the answer: idle must hold twice, a little apart.
        /// </summary>
        private async Task RunnersIdleAsync()
        {
            if (_runners.Count == 0) return;
            var waited = Stopwatch.StartNew();
            for (var calm = 0; calm < 2;)
            {
                if (waited.Elapsed > RunnerTimeout) throw new TimeoutException("a campaign runner stayed busy for 10 s");
                await Task.Delay(calm == 0 ? 2 : 15);
                calm = _runners.TrueForAll(r => r.IsIdle) ? calm + 1 : 0;
            }
        }

        /// <summary>Moves the clock a second at a time, letting the runners handle what each second brings.</summary>
        private async Task AdvanceAsync(int seconds)
        {
            for (var i = 0; i < seconds; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await RunnersIdleAsync();
            }
            _lastSnapshot = null;
        }
    }
}
