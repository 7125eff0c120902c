using Microsoft.Data.Sqlite;
using Outdial.Data.Tests.Sqlite;
using Outdial.Engine.Agents;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Rules;
using Outdial.Engine.Simulation;

namespace Outdial.Engine.Tests.Dialing;

/// <summary>The runner on virtual time: simulated network and agents, a real SQLite store.</summary>
public sealed partial class CampaignRunnerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<(List<string> Agents, CampaignRunner Runner, EventBus Bus)> StartAsync(
        DialingDb db, int agents, int seed, SimulatedNetworkOptions? calls = null, Func<double>? wrapSeconds = null,
        Outdial.Engine.Storage.IStore? store = null, EventBus? bus = null)
    {
        var ids = new List<string>();
        for (var i = 0; i < agents; i++)
        {
            var agent = new Agent(Id32.New(), $"agent{i}", $"Agent {i}");
            await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
            Assert.Null((await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct)).Error);
            ids.Add(agent.Id);
        }
        bus ??= new EventBus(db.Time);
        var network = new SimulatedNetwork(db.Time, calls ?? new SimulatedNetworkOptions(), seed);
        var runner = new CampaignRunner(store ?? db.Store, network, bus, db.Time, db.Tenant, db.Campaign,
            new RunnerOptions { SimulateAgents = true }, wrapSeconds ?? network.DrawWrapSeconds, seed);
        runner.Start();
        return (ids, runner, bus);
    }

    /// <summary>Advances virtual time a second at a time, letting the runner finish what each second brought.</summary>
    /// <param name="collectGarbage">A full collection every second: a timer nobody holds is then finalized (cancelled) before
    /// it fires, every time instead of only when a collection happens to fall inside its wait.</param>
    private static async Task RunForAsync(DialingDb db, CampaignRunner runner, TimeSpan span, bool collectGarbage = false)
    {
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromSeconds(1))
        {
            db.Time.Advance(TimeSpan.FromSeconds(1));
            // A runner that never settles (its loop gone, signals piling up unread) fails the test instead of hanging it.
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (!runner.IsIdle)
            {
                if (waiting.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"the runner did not settle at {db.Now:O}");
                await Task.Yield();
            }
            if (!collectGarbage) continue;
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Every call is answered by a person after 5 s and talks 30 s, so a flow is the same whatever the seed.</summary>
    private static readonly SimulatedNetworkOptions PeopleAnswer = new()
    {
        PersonRate = 1,
        MachineRate = 0,
        FaxRate = 0,
        BusyRate = 0,
        InvalidRate = 0,
        FailedRate = 0,
        SetupTime = Distribution.Fixed(1),
        AnswerTime = Distribution.Fixed(5),
        TalkTime = Distribution.Fixed(30),
    };

    private static List<(long Record, long Started, long? Ended, string Result, string? Agent)> Attempts(DialingDb db)
    {
        using var connection = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record_id, started, ended, result, agent_id FROM attempts ORDER BY record_id, started";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, long, long?, string, string?)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        return rows;
    }

    [Fact]
    public async Task A_runner_started_mid_hour_counts_the_hours_abandons_and_learns_from_the_calls_before_it()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREDICTIVE, AbandonRate = 3, IncreasePredictiveRatio = 40 });
        var record = (await db.AddRecordsAsync(1))[0];
        var n = 0;
        void Add(DateTimeOffset started, string result, double? answerAfter, double ring = 20, string? agent = null, double talk = 0, double wrap = 0, bool logout = false) =>
            db.Sql("""
                INSERT INTO attempts (uid, tenant_id, campaign_id, record_id, phone_index, e164, started, answered, ended, result,
                                      ring_seconds, talk_seconds, wrap_seconds, agent_id, agent_logout)
                SELECT $uid, $tenant, id, $record, 0, '+15550000000', $started, $answered, $ended, $result, $ring, $talk, $wrap, $agent, $logout
                FROM campaigns WHERE uid = $campaign
                """, ("$uid", $"a{n++}"), ("$tenant", db.Tenant), ("$record", record), ("$campaign", db.Campaign.Id),
                ("$started", started.ToUnixTimeMilliseconds()), ("$answered", answerAfter is { } s ? started.AddSeconds(s).ToUnixTimeMilliseconds() : null),
                ("$ended", started.AddSeconds((answerAfter ?? ring) + talk + wrap).ToUnixTimeMilliseconds()), ("$result", result), ("$ring", ring),
                ("$talk", talk), ("$wrap", wrap), ("$agent", agent), ("$logout", logout ? 1 : 0));
        var hour = DialingDb.T0; // 12:00; the runner starts at 12:30
        // This hour: 20 answered by a person (3 abandoned, 17 talked to an agent), 2 machines, 10 rang out, 5 skipped.
        for (var i = 0; i < 20; i++)
        {
            if (i < 3) Add(hour.AddMinutes(5 + i), "ABANDONED", 8);
            else Add(hour.AddMinutes(5 + i), "SUCCESS", 8, agent: "ag", talk: 100, wrap: 15);
        }
        for (var i = 0; i < 2; i++) Add(hour.AddMinutes(26), "ANSWERING_MACHINE", 6);
        for (var i = 0; i < 10; i++) Add(hour.AddMinutes(27), "NOANSWER", null, ring: 22);
        for (var i = 0; i < 5; i++) Add(hour.AddMinutes(28), "SKIP", null, ring: 0);
        // The hour before: 30 answered, one abandoned; one conversation cut by a logout (no service time to learn from).
        for (var i = 0; i < 30; i++) Add(hour.AddMinutes(-55 + i), i == 0 ? "ABANDONED" : "SUCCESS", 10, agent: i == 0 ? null : "ag", talk: i == 0 ? 0 : 90, wrap: i == 0 ? 0 : 15, logout: i == 29);
        // 25 hours ago: 7 answered and abandoned, older than the 24 h the hourly counts look at (still calls to learn from).
        for (var i = 0; i < 7; i++) Add(hour.AddHours(-25), "ABANDONED", 5);
        db.Time.Advance(TimeSpan.FromMinutes(30));

        var (_, runner, _) = await StartAsync(db, agents: 0, seed: 1);
        await using (runner)
        {
            await RunForAsync(db, runner, TimeSpan.FromSeconds(1));
            var pacing = runner.Pacing;
            Assert.Equal(new Outdial.Engine.Pacing.AbandonStats(20, 3), pacing.ThisHour);
            Assert.Equal(new Outdial.Engine.Pacing.AbandonStats(50, 4), pacing.Last24Hours);
            Assert.Equal(20 + 2 + 10 + 30 + 7, pacing.CallsObserved); // not the skips
            Assert.Equal(17 + 28, pacing.ServicesObserved); // not the abandons, nor the logout
            // The self-tuned ratio goes on from the stored 40 %, decaying with its 5-minute time constant (no agents: 0).
            Assert.InRange(runner.IncreasePredictiveRatio, 39, 40);
        }

        // The latest calls, oldest first: two machines, then ten no-answers (22 s) after them.
        var latest = await db.Store.GetPacingHistoryAsync(db.Tenant, db.Campaign.Id, db.Now.AddHours(-24), calls: 11, services: 2, Ct);
        Assert.Equal([new(6, false), .. Enumerable.Repeat(new Outdial.Engine.Pacing.CallSample(22, false), 10)], latest.Calls);
        Assert.Equal([new(100, 15), new(100, 15)], latest.Services);
        Assert.Equal(Outdial.Engine.Pacing.PacingHistory.Empty, await db.Store.GetPacingHistoryAsync(db.Tenant, Id32.New(), db.Now, 10, 10, Ct));
    }

    [Fact]
    public async Task A_runner_whose_start_up_read_fails_reports_it_and_tries_again()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        await db.AddRecordsAsync(50);
        var (store, faults) = FaultyStore.Wrap(db.Store, nameof(Outdial.Engine.Storage.IStore.GetPacingHistoryAsync), 2,
            () => new SqliteException("database is locked", 5));
        var bus = new EventBus(db.Time);
        using var errors = bus.Subscribe(db.Tenant, new HashSet<string> { EventTypes.CampaignState });
        var (_, runner, _) = await StartAsync(db, agents: 2, seed: 1, PeopleAnswer, store: store, bus: bus);
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromSeconds(10)); // tries after 1 s and 2 s more
        Assert.Equal(0, faults.Failures);
        var reported = 0;
        while (errors.Reader.TryRead(out var e))
            if (e.Data is DialerFailed failed && failed.Error.Contains("database is locked", StringComparison.Ordinal)) reported++;
        Assert.Equal(2, reported);
        Assert.NotEmpty(Attempts(db)); // and then it dials
    }

    [Fact]
    public async Task A_runner_stopped_while_its_start_up_waits_to_read_again_disposes_cleanly()
    {
        // A campaign paused while the store is busy: DialerService.ScanAsync awaits DisposeAsync, and an exception from it
        // (an OperationCanceledException is not caught by ExecuteAsync) ends the whole dialer service.
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREDICTIVE, IncreasePredictiveRatio = 40 });
        await db.AddRecordsAsync(5);
        var (store, _) = FaultyStore.Wrap(db.Store, nameof(Outdial.Engine.Storage.IStore.GetPacingHistoryAsync), 1000,
            () => new SqliteException("database is locked", 5));
        var (_, runner, _) = await StartAsync(db, agents: 1, seed: 1, PeopleAnswer, store: store);
        await RunForAsync(db, runner, TimeSpan.FromSeconds(2));
        await runner.DisposeAsync();
        // and a runner that never got to read the stored self-tuned ratio does not overwrite it with 0
        Assert.Equal(40, (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!.IncreasePredictiveRatio);
    }

    [Fact]
    public async Task Person_answers_read_back_are_person_answers()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREDICTIVE });
        await db.AddRecordsAsync(20);
        var (_, runner, _) = await StartAsync(db, agents: 2, seed: 1, PeopleAnswer);
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromMinutes(3));
        var history = await db.Store.GetPacingHistoryAsync(db.Tenant, db.Campaign.Id, db.Now.AddHours(-24), 5000, 2000, Ct);
        Assert.NotEmpty(history.Calls);
        Assert.All(history.Calls, c => Assert.True(c.Person));
    }

    [Fact]
    public async Task A_cancellation_that_is_not_the_runners_own_does_not_end_its_loop()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        await db.AddRecordsAsync(50);
        // A store call timing out with its own cancellation, once: the runner must go on dialing.
        var (store, faults) = FaultyStore.Wrap(db.Store, nameof(Outdial.Engine.Storage.IStore.BeginStartAsync), 1,
            () => new OperationCanceledException("timed out"));
        var (_, runner, _) = await StartAsync(db, agents: 2, seed: 1, PeopleAnswer, store: store);
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromMinutes(3));
        Assert.Equal(0, faults.Failures);
        Assert.True(Attempts(db).Count >= 4, $"{Attempts(db).Count} attempts in 3 minutes after the failure");
    }

    [Fact]
    public async Task A_campaign_with_nothing_callable_reports_the_hold_once_not_every_second()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        var (_, runner, bus) = await StartAsync(db, agents: 2, seed: 1);
        using var events = bus.Subscribe(db.Tenant, new HashSet<string> { EventTypes.PacingDecision });
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromSeconds(30));

        var decisions = new List<string>();
        while (events.Reader.TryRead(out var e)) decisions.Add(((PacingDecided)e.Data).Reason.ToString());
        var hold = Assert.Single(decisions);
        Assert.Contains("NoRecords", hold, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DialingMode.PROGRESSIVE, 1)]
    [InlineData(DialingMode.PREDICTIVE, 2)]
    public async Task Runner_dials_bridges_and_finishes_attempts_without_overlap(DialingMode mode, int seed)
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = mode, AbandonRate = 3 });
        await db.AddRecordsAsync(300);
        var (agents, runner, bus) = await StartAsync(db, agents: 4, seed);
        using var decisions = bus.Subscribe(db.Tenant, new HashSet<string> { EventTypes.PacingDecision });
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromMinutes(30));
        var launched = 0;
        while (decisions.Reader.TryRead(out var e)) launched += ((PacingDecided)e.Data).Calls;

        var attempts = Attempts(db);
        Assert.True(attempts.Count > 50, $"only {attempts.Count} attempts in 30 minutes with 4 agents");
        Assert.Equal(attempts.Count, launched); // every call placed was published with its pacing decision
        // No record is ever in two attempts at once.
        foreach (var record in attempts.GroupBy(a => a.Record))
        {
            var ordered = record.OrderBy(a => a.Started).ToList();
            for (var i = 1; i < ordered.Count; i++)
                Assert.True(ordered[i - 1].Ended is { } end && end <= ordered[i].Started, $"record {record.Key} has overlapping attempts");
        }
        // Agents talked: answered calls reached them, and what they finished carries their id.
        Assert.Contains(attempts, a => a.Agent is not null && a.Result is "SUCCESS" or "REFUSAL");
        Assert.All(attempts.Where(a => a.Agent is not null), a => Assert.Contains(a.Agent!, agents));
        var stats = await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, db.Now.AddMilliseconds(1), null, db.Now, Ct);
        Assert.Equal(attempts.Count(a => a.Result != "DIALING"), stats!.NumberOfCalls);
        Assert.True(stats.TalkingTime > 0 && stats.WrapTime > 0, "agents should have talked and wrapped up");
        if (mode == DialingMode.PROGRESSIVE) Assert.Equal(0, stats.NumberOfAbandonedCalls);
        // Predictive pacing writes its self-tuned increasePredictiveRatio back to the campaign (OBI).
        var stored = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!.IncreasePredictiveRatio;
        Assert.Equal(mode == DialingMode.PREDICTIVE ? Math.Round(runner.IncreasePredictiveRatio, 2) : 0, stored);
        Assert.InRange(stored, 0, 100);
    }

    [Fact]
    public async Task A_simulated_agent_ends_wrap_up_even_when_a_collection_runs_meanwhile()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        await db.AddRecordsAsync(10);
        var (agents, runner, _) = await StartAsync(db, agents: 1, seed: 1, PeopleAnswer, wrapSeconds: () => 20);
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromMinutes(3), collectGarbage: true);

        // About 56 s a call (1 s to decide, 5 s to answer, 30 s talk, 20 s wrap-up): three finished by the agent in 3 minutes.
        // The end of the first wrap-up lost (an unheld timer) left one attempt DIALING and the agent in WrapUp for good.
        var attempts = Attempts(db);
        Assert.True(attempts.Count(a => a.Agent == agents[0] && a.Ended is not null) >= 3, string.Join(", ", attempts.Select(a => a.Result)));
    }

    [Fact]
    public async Task A_customer_nobody_takes_is_abandoned_after_the_grace_time_even_when_a_collection_runs_meanwhile()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        await db.AddRecordsAsync(10);
        var (agents, runner, _) = await StartAsync(db, agents: 1, seed: 1, PeopleAnswer);
        await using (runner)
        {
            await RunForAsync(db, runner, TimeSpan.FromSeconds(2));
            Assert.Equal(1, runner.CallsInFlight);
            // The agent pauses and the runner has not heard yet (no event): at the answer the bridge is refused, so the
            // customer waits the grace time and is abandoned.
            Assert.Null((await db.Store.MoveAgentAsync(db.Tenant, agents[0], AgentState.Paused, null, db.Now, Ct)).Error);
            await RunForAsync(db, runner, TimeSpan.FromSeconds(10), collectGarbage: true);
        }

        // The abandon timer lost left the customer on hold for good: the attempt stayed DIALING.
        var first = Attempts(db).MinBy(a => a.Started);
        Assert.Equal("ABANDONED", first.Result);
        Assert.NotNull(first.Ended);
    }

    [Fact]
    public async Task No_agents_no_calls()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREDICTIVE });
        await db.AddRecordsAsync(20);
        var (_, runner, _) = await StartAsync(db, agents: 0, seed: 3);
        await using (runner)
            await RunForAsync(db, runner, TimeSpan.FromMinutes(2));
        Assert.Empty(Attempts(db));
    }
}

public sealed class PreviewRunnerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Every call is answered by a person, so a flow is the same whatever the seed.</summary>
    private static readonly SimulatedNetworkOptions PeopleAnswer = new() { PersonRate = 1, MachineRate = 0, FaxRate = 0, BusyRate = 0, InvalidRate = 0, FailedRate = 0 };

    private static async Task<Agent> ReadyAgentAsync(DialingDb db)
    {
        var agent = new Agent(Id32.New(), "kathy", "Kathy");
        await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
        await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct);
        return agent;
    }

    /// <param name="oldHeldPreview">The old session still holds a preview (its view is not Ready, so a preview request
    /// reads the sessions anyway), or it skipped it (its view looks Ready: the stale view must not serve the new session).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_logout_that_reaches_the_runner_after_a_new_login_lets_go_of_the_old_session_only(bool oldHeldPreview)
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREVIEW });
        await db.AddRecordsAsync(3);
        var agent = await ReadyAgentAsync(db);
        var bus = new EventBus(db.Time);
        await using var runner = new CampaignRunner(db.Store, new SimulatedNetwork(db.Time, PeopleAnswer, 5), bus, db.Time, db.Tenant, db.Campaign);
        runner.Start();
        var old = (await runner.PreviewAsync(agent.Id))!;
        if (!oldHeldPreview) Assert.Null(await runner.DeclineAsync(agent.Id, old.Lease.RecordSerial, reject: false));

        // Logout, login and a preview of the new session, all in the same millisecond as the first login and before the
        // logout's event reaches the runner.
        var logout = await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.LoggedOut, null, db.Now, Ct);
        await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct);
        var fresh = (await runner.PreviewAsync(agent.Id))!;
        if (oldHeldPreview) Assert.NotEqual(old.Lease.RecordSerial, fresh.Lease.RecordSerial);
        bus.Publish(db.Tenant, new AgentStateChanged(agent.Id, logout.From, AgentState.LoggedOut, null, ByDialer: false));
        for (var i = 0; i < 100_000; i++) await Task.Yield(); // the event reaches the runner on another thread
        while (!runner.IsIdle) await Task.Yield();

        // The new session keeps its preview and can dial it; a record the old session held went back to the pool.
        Assert.Equal(AgentState.Preview, (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State);
        Assert.Null(await runner.DialAsync(agent.Id, fresh.Lease.RecordSerial));
        if (oldHeldPreview) Assert.NotNull(await runner.DialAsync(agent.Id, old.Lease.RecordSerial));
    }

    [Fact]
    public async Task A_call_longer_than_its_lease_keeps_its_record_until_it_ends()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREVIEW });
        await db.AddRecordsAsync(1);
        var agent = await ReadyAgentAsync(db);
        var talk = CampaignRunner.CallLease * 2.5;
        var network = new SimulatedNetwork(db.Time, PeopleAnswer with { TalkTime = Distribution.Fixed(talk.TotalSeconds) }, 5);
        await using var runner = new CampaignRunner(db.Store, network, new EventBus(db.Time), db.Time, db.Tenant, db.Campaign);
        runner.Start();
        var held = (await runner.PreviewAsync(agent.Id))!;
        Assert.Null(await runner.DialAsync(agent.Id, held.Lease.RecordSerial));
        var end = db.Now + talk - TimeSpan.FromMinutes(5);
        while (db.Now < end)
        {
            db.Time.Advance(TimeSpan.FromMinutes(1));
            while (!runner.IsIdle) await Task.Yield();
            // Another dialer never gets the record while its call goes on.
            Assert.Empty(await db.Store.ClaimCallableAsync(db.Tenant, db.Campaign.Id, 10, "another-dialer", TimeSpan.FromMinutes(1), db.Now, Ct));
        }
        Assert.Equal(AgentState.Talking, (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State);
        Assert.True(await runner.CompleteAsync(agent.Id, new AttemptOutcome(CallResult.SUCCESS, 0)));
        var stats = (await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, db.Now.AddMilliseconds(1), null, db.Now, Ct))!;
        Assert.Equal(1, stats.NumberOfCalls);
        Assert.Equal(1, stats.NumberOfSuccessfulCalls);
        Assert.Equal(1, stats.NumberOfHandledCustomers); // the result applied to the record: the lease was still held
    }

    [Fact]
    public async Task Agent_previews_dials_talks_and_completes_then_skips_and_rejects()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREVIEW });
        await db.AddRecordsAsync(3);
        var agent = await ReadyAgentAsync(db);
        var network = new SimulatedNetwork(db.Time, PeopleAnswer, 5);
        var bus = new EventBus(db.Time);
        await using var runner = new CampaignRunner(db.Store, network, bus, db.Time, db.Tenant, db.Campaign);
        runner.Start();
        async Task<AgentState> StateAsync() => (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State;
        async Task AdvanceUntilAsync(Func<AgentState, bool> done)
        {
            for (var i = 0; i < 3600 && !done(await StateAsync()); i++)
            {
                db.Time.Advance(TimeSpan.FromSeconds(1));
                while (!runner.IsIdle) await Task.Yield();
            }
        }

        var first = await runner.PreviewAsync(agent.Id);
        Assert.NotNull(first);
        Assert.Equal(AgentState.Preview, await StateAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.PreviewAsync(agent.Id)); // one record at a time
        Assert.NotNull(await runner.DialAsync(agent.Id, first.Lease.RecordSerial + 1000)); // not the held handle
        Assert.Null(await runner.DialAsync(agent.Id, first.Lease.RecordSerial));
        Assert.Equal(AgentState.Dialing, await StateAsync());
        await AdvanceUntilAsync(s => s == AgentState.Talking);
        Assert.Equal(AgentState.Talking, await StateAsync());
        Assert.True(await runner.CompleteAsync(agent.Id, new AttemptOutcome(CallResult.SUCCESS, 0)
        {
            Classifier = "Offer accepted",
            Amount = 49.90m,
            Script = new Script("Tennis Sales Script", [new ScriptAnswer("Would you be interested to visit our store?", "yes")]),
        }));
        Assert.Equal(AgentState.Ready, await StateAsync());

        var second = (await runner.PreviewAsync(agent.Id))!;
        Assert.Null(await runner.DeclineAsync(agent.Id, second.Lease.RecordSerial, reject: false));
        var third = (await runner.PreviewAsync(agent.Id))!;
        Assert.Null(await runner.DeclineAsync(agent.Id, third.Lease.RecordSerial, reject: true));
        Assert.Equal(AgentState.Ready, await StateAsync());

        var stats = (await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, db.Now.AddMilliseconds(1), null, db.Now, Ct))!;
        Assert.Equal(3, stats.NumberOfCalls);
        Assert.Equal(1, stats.NumberOfSuccessfulCalls);
        Assert.Equal(1, stats.NumberOfSkipCalls);
        Assert.Equal(1, stats.NumberOfRejectCalls);
        Assert.Equal(49.90, stats.Amount, 2);
        Assert.Equal(1, stats.NumberOfHandledCustomers);
        Assert.Equal(0, stats.NumberOfOperLogoutCalls);

        // Logging out in the middle of a call ends it and counts an operator logout.
        await db.AddRecordsAsync(1, firstNumber: 100);
        var held = (await runner.PreviewAsync(agent.Id))!;
        Assert.Null(await runner.DialAsync(agent.Id, held.Lease.RecordSerial));
        await AdvanceUntilAsync(s => s == AgentState.Talking);
        var logout = await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.LoggedOut, null, db.Now, Ct);
        bus.Publish(db.Tenant, new AgentStateChanged(agent.Id, logout.From, AgentState.LoggedOut, null, ByDialer: false)); // as the API does
        for (var i = 0; i < 1_000_000 && runner.CallsInFlight > 0; i++) await Task.Yield(); // the event reaches the runner on another thread
        while (!runner.IsIdle) await Task.Yield();
        var after = (await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, db.Now.AddMilliseconds(1), null, db.Now, Ct))!;
        Assert.Equal(1, after.NumberOfOperLogoutCalls);
        Assert.Equal(1, after.NumberOfHangupCalls);
        Assert.Equal(0, runner.CallsInFlight);

        var done = await db.Store.SearchRecordsAsync(db.Tenant, new Engine.Records.RecordQuery { CampaignId = db.Campaign.Id, Filters = [new(Engine.Records.RecordField.result, "SUCCESS")] }, Ct);
        Assert.Equal("Offer accepted", done.Items.Single().Progress.Single().Classifier);
        Assert.Equal("yes", done.Items.Single().Progress.Single().Script!.Answers.Single().Answer);
    }

    [Fact]
    public async Task Completing_by_handle_needs_the_held_record_and_ends_a_preview_not_dialed_here_as_an_attempt()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PREVIEW });
        await db.AddRecordsAsync(2);
        var agent = await ReadyAgentAsync(db);
        await using var runner = new CampaignRunner(db.Store, new SimulatedNetwork(db.Time, PeopleAnswer, 5), new EventBus(db.Time), db.Time, db.Tenant, db.Campaign);
        runner.Start();

        var held = (await runner.PreviewAsync(agent.Id))!;
        Assert.False(await runner.CompleteAsync(agent.Id, new AttemptOutcome(CallResult.SUCCESS, 0), held.Lease.RecordSerial + 1000));
        Assert.Equal(AgentState.Preview, (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State);
        Assert.True(await runner.CompleteAsync(agent.Id, new AttemptOutcome(CallResult.REFUSAL, 0), held.Lease.RecordSerial));
        Assert.Equal(AgentState.Ready, (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State);
        Assert.False(await runner.CompleteAsync(agent.Id, new AttemptOutcome(CallResult.SUCCESS, 0), held.Lease.RecordSerial)); // no longer held

        var stats = (await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, db.Now.AddMilliseconds(1), null, db.Now, Ct))!;
        Assert.Equal(1, stats.NumberOfCalls);
        Assert.Equal(1, stats.NumberOfRefusalCalls);
    }
}

public sealed class CallbackRunnerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_due_callback_is_the_next_record_dialed_even_with_a_full_buffer()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        var serials = await db.AddRecordsAsync(1000);
        var callback = serials[500];
        var due = db.Now.AddMinutes(10);
        using (var connection = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE campaign_records SET app_state = 'RECALL', scheduled_at = $due WHERE record_id = $r";
            command.Parameters.AddWithValue("$due", due.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$r", callback);
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        for (var i = 0; i < 4; i++)
        {
            var agent = new Agent(Id32.New(), $"agent{i}", $"Agent {i}");
            await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
            await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct);
        }
        var network = new SimulatedNetwork(db.Time, new SimulatedNetworkOptions(), 11);
        await using (var runner = new CampaignRunner(db.Store, network, new EventBus(db.Time), db.Time, db.Tenant, db.Campaign,
            new RunnerOptions { SimulateAgents = true }, network.DrawWrapSeconds, 11))
        {
            runner.Start();
            for (var t = 0; t < 20 * 60; t++)
            {
                db.Time.Advance(TimeSpan.FromSeconds(1));
                while (!runner.IsIdle) await Task.Yield();
            }
        }

        using var read = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        read.Open();
        using var query = read.CreateCommand();
        query.CommandText = "SELECT record_id, started FROM attempts ORDER BY started, id";
        using var reader = query.ExecuteReader();
        var attempts = new List<(long Record, long Started)>();
        while (reader.Read()) attempts.Add((reader.GetInt64(0), reader.GetInt64(1)));
        var dueMs = due.ToUnixTimeMilliseconds();
        var callbackStart = attempts.Where(a => a.Record == callback).Select(a => a.Started).DefaultIfEmpty(long.MaxValue).Min();
        Assert.True(callbackStart >= dueMs, "the callback was dialed before its time");
        Assert.True(callbackStart < long.MaxValue, "the callback was never dialed");
        // From a second after its time on, nothing else was dialed before it.
        Assert.DoesNotContain(attempts, a => a.Record != callback && a.Started > dueMs + 1000 && a.Started < callbackStart);
    }
}
