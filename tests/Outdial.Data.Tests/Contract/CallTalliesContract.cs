using Outdial.Engine.Agents;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Statistics counters over any period, for the campaign and per agent, held against a recount of the attempt
/// history and the closed customers as the store gives them back, after a mixed workload: calls over several days and
/// hours, dialer completions, later calls to closed customers, a call still running, deletions, agents' time across midnights
/// with an interval still open.</summary>
public abstract class CallTalliesContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    private static readonly CallResult[] Results =
    [
        CallResult.SUCCESS, CallResult.REFUSAL, CallResult.SKIP, CallResult.AGENT_REJECTED, CallResult.NOT_DIALED, CallResult.INVALID_NUMBER,
        CallResult.HANGUP, CallResult.ABANDONED, CallResult.ANSWERING_MACHINE, CallResult.BUSY, CallResult.NOANSWER,
    ];

    private readonly Dictionary<string, (decimal? Amount, bool Logout)> _written = [];

    [Fact]
    public async Task Counters_over_any_period_equal_a_recount_of_the_history_after_a_mixed_workload()
    {
        var campaign = await CampaignAsync(TenantA);
        Agent[] agents = [new(Id32.New(), "alice", "Alice"), new(Id32.New(), "bob", "Bob")];
        foreach (var agent in agents) await Store.CreateAgentAsync(TenantA, agent, Ct);
        var records = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject,
            Enumerable.Range(0, 12).Select(i => Draft($"r{i}", i)).ToArray())).Select(o => o.Id!).ToList();

        // Calls from a day before T0 to three days after, at uneven times, by Alice, Bob or no agent.
        for (var i = 0; i < 60; i++)
            await CallAsync(campaign, records[i % records.Count], T0.AddMinutes(-1440 + i * 97 + i % 7), Results[i % Results.Length],
                (i % 3) switch { 0 => null, 1 => agents[0].Id, _ => agents[1].Id }, amount: i % 4 == 0 ? i + 0.25m : null, logout: i % 9 == 0);
        // The dialer closes four customers at different times; two of them are called again later by an agent (their last
        // attempt, whose agent their handled count follows, changes after they closed).
        var closedAt = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            var at = T0.AddHours(5 + 19 * i).AddMinutes(13 * i);
            Assert.NotNull(await StoreFixture.CompleteOneAsync(Store, TenantA, campaign.Id, "dialer", at, Ct));
            closedAt.Add(at);
        }
        var closed = (await ProgressAsync(campaign)).Where(p => p.Progress.State == RecordState.CLOSED).Select(p => p.Record.Id).ToList();
        await CallAsync(campaign, closed[0], closedAt[3].AddMinutes(30), CallResult.SUCCESS, agents[1].Id, amount: 7.5m);
        await CallAsync(campaign, closed[1], closedAt[3].AddMinutes(31), CallResult.HANGUP, null);
        // A call still running counts nowhere.
        var claimed = await Store.ClaimCallableAsync(TenantA, campaign.Id, 1, "dialer", TimeSpan.FromMinutes(5), closedAt[3].AddHours(1), Ct);
        Assert.Equal(AttemptStartStatus.Started, (await Store.StartAttemptAsync(TenantA, claimed[0].Lease, TimeSpan.FromMinutes(5), closedAt[3].AddHours(1), Ct)).Status);
        // A closed customer and an open one deleted, with their history.
        Assert.True(await Store.DeleteRecordAsync(TenantA, closed[2], Ct));
        Assert.True(await Store.DeleteRecordAsync(TenantA, records.First(r => !closed.Contains(r)), Ct));

        // Agents' time: Alice from a day before T0 until a logout, across midnights; Bob still Paused (an open interval).
        (int Agent, double Hours, AgentState State)[] moves =
        [
            (0, -20, AgentState.Ready), (0, 3, AgentState.Paused), (0, 26, AgentState.Ready), (0, 50, AgentState.LoggedOut),
            (1, 1, AgentState.Ready), (1, 30, AgentState.Paused),
        ];
        foreach (var (agent, hours, state) in moves)
            Assert.Null((await Store.MoveAgentAsync(TenantA, agents[agent].Id, state, campaign.Id, T0.AddHours(hours).AddMinutes(7), Ct)).Error);

        Time.SetUtcNow(closedAt[3].AddHours(2).AddMinutes(7));
        var intervals = moves.Select((m, i) => (Agent: agents[m.Agent].Id, m.State, Started: T0.AddHours(m.Hours).AddMinutes(7),
                Ended: moves.Skip(i + 1).Where(n => n.Agent == m.Agent).Select(n => (DateTimeOffset?)T0.AddHours(n.Hours).AddMinutes(7)).FirstOrDefault()))
            .Where(x => x.State != AgentState.LoggedOut).ToList();
        var history = await HistoryAsync(campaign);
        var progress = await ProgressAsync(campaign);
        var day = new DateTimeOffset(T0.UtcDateTime.Date, TimeSpan.Zero);
        (DateTimeOffset From, DateTimeOffset To)[] periods =
        [
            (DateTimeOffset.UnixEpoch, Now.AddMilliseconds(1)), (day.AddDays(-1), day), (day, day.AddDays(1)), (day.AddDays(1), day.AddDays(2)),
            (day.AddDays(3), day.AddDays(4)), (T0.AddMinutes(-797), T0.AddDays(1).AddMinutes(123)), (T0.AddMinutes(17), T0.AddMinutes(61)),
            (T0.AddMinutes(-31), T0.AddMinutes(29)), (day.AddHours(-5).AddMinutes(-1), day.AddDays(2).AddHours(23).AddMinutes(59)),
        ];
        foreach (var (from, to) in periods)
        {
            foreach (var agent in new[] { null, agents[0].Id, agents[1].Id })
            {
                var counters = (await Store.GetStatisticsAsync(TenantA, campaign.Id, from, to, agent, Now, Ct))!;
                Assert.Equal(Recount(history, progress, from, to, agent), Counted(counters));
                // Each interval's part of the period (one still open runs until now), per state, and the agents who had one.
                var worked = intervals.Where(x => (agent is null || x.Agent == agent) && x.Started < to && (x.Ended ?? Now) > from)
                    .Select(x => (x.Agent, x.State, Ms: Math.Max(0, ((x.Ended ?? Now) < to ? x.Ended ?? Now : to).ToUnixTimeMilliseconds()
                        - (x.Started > from ? x.Started : from).ToUnixTimeMilliseconds()))).ToList();
                double Seconds(AgentState state) => worked.Where(x => x.State == state).Sum(x => x.Ms) / 1000.0;
                Assert.Equal((Seconds(AgentState.Ready) + Seconds(AgentState.Paused), Seconds(AgentState.Ready), Seconds(AgentState.Paused), worked.Select(x => x.Agent).Distinct().LongCount()),
                    (counters.LoginTime, counters.WaitTime, counters.PauseTime, counters.NumberOfAgents));
            }
            // Per agent, and the calls without one, as /statistics lists them: a row for each with calls in the period.
            var rows = await Store.GetAgentStatisticsAsync(TenantA, from, to, campaign.Id, null, Now, Ct);
            Assert.Equal(new string?[] { null, agents[0].Id, agents[1].Id }.Where(a => history.Any(h => h.AgentId == a && h.Started >= from && h.Started < to)
                    || intervals.Any(x => x.Agent == a && x.Started < to && (x.Ended ?? Now) > from)),
                rows.Select(r => r.AgentId));
            foreach (var row in rows) Assert.Equal(Recount(history, progress, from, to, row.AgentId ?? ""), Counted(row.Counters));
        }

        foreach (var window in new[] { TimeSpan.FromMinutes(50), TimeSpan.FromHours(24), TimeSpan.FromDays(30) })
        {
            var recent = history.Where(a => a.Started >= Now - window).ToList();
            var rate = await Store.GetAbandonRateAsync(TenantA, campaign.Id, window, Now, Ct);
            Assert.Equal((recent.Count(a => a.Result == CallResult.ABANDONED),
                    recent.Count(a => a.Answered is not null && a.Result is not (CallResult.ANSWERING_MACHINE or CallResult.FAX))),
                (rate.Abandoned, rate.AnsweredByPerson));
        }
    }

    private async Task CallAsync(Campaign campaign, string record, DateTimeOffset started, CallResult result, string? agent, decimal? amount = null, bool logout = false)
    {
        var attempt = new Attempt
        {
            Id = Id32.New(),
            CampaignId = campaign.Id,
            RecordId = record,
            NumberDialed = Number(999), // no record's number: leaves the records' per-number caps alone
            Started = started,
            Answered = result is CallResult.SUCCESS or CallResult.REFUSAL or CallResult.HANGUP or CallResult.ABANDONED or CallResult.ANSWERING_MACHINE
                ? started.AddSeconds(4) : null,
            Ended = started.AddSeconds(40),
            Result = result,
            AgentId = agent,
        };
        _written[attempt.Id] = (amount, logout);
        await Store.AddAttemptAsync(TenantA, attempt, amount, null, logout, Ct);
    }

    private async Task<List<(CallRecord Record, RecordProgress Progress)>> ProgressAsync(Campaign campaign) =>
        (await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id, Limit = 1000 }, Ct)).Items
        .Select(r => (r.Record, Assert.Single(r.Progress))).ToList();

    /// <summary>Every finished attempt of the campaign's records, as each record's history gives it back.</summary>
    private async Task<List<Attempt>> HistoryAsync(Campaign campaign)
    {
        var attempts = new List<Attempt>();
        foreach (var (record, _) in await ProgressAsync(campaign))
            attempts.AddRange((await Store.GetAttemptsAsync(TenantA, record.Id, Ct)).Where(a => a.CampaignId == campaign.Id && a.Result != CallResult.DIALING));
        return attempts;
    }

    private (long, long, long, long, long, long, long, long, long, long, double, long) Recount(
        List<Attempt> history, List<(CallRecord Record, RecordProgress Progress)> progress, DateTimeOffset from, DateTimeOffset to, string? agent)
    {
        bool Mine(string? attemptAgent) => agent is null || (agent == "" ? attemptAgent is null : attemptAgent == agent);
        var c = history.Where(a => a.Started >= from && a.Started < to && Mine(a.AgentId)).ToList();
        long Count(params CallResult[] results) => c.Count(x => results.Contains(x.Result));
        (decimal? Amount, bool Logout) Written(Attempt a) => _written.GetValueOrDefault(a.Id);
        // Handled: closed in the period, for an agent (or none) when their last attempt is that agent's.
        var handled = progress.Count(p => p.Progress.State == RecordState.CLOSED && p.Progress.ClosedAt >= from && p.Progress.ClosedAt < to
            && (agent is null || history.Where(a => a.RecordId == p.Record.Id).MaxBy(a => a.Started) is { } last && Mine(last.AgentId)));
        return (c.Count, Count(CallResult.SUCCESS, CallResult.REFUSAL), Count(CallResult.REFUSAL), c.Count(a => Written(a).Amount is { } x && x != 0),
            Count(CallResult.SKIP), Count(CallResult.AGENT_REJECTED), c.Count(a => Written(a).Logout), Count(CallResult.NOT_DIALED, CallResult.INVALID_NUMBER),
            Count(CallResult.HANGUP), Count(CallResult.ABANDONED), (double)c.Where(a => a.Result == CallResult.SUCCESS).Sum(a => Written(a).Amount ?? 0),
            handled);
    }

    private static (long, long, long, long, long, long, long, long, long, long, double, long) Counted(StatisticsCounters s) =>
        (s.NumberOfCalls, s.NumberOfSuccessfulCalls, s.NumberOfRefusalCalls, s.NumberOfAmountCalls, s.NumberOfSkipCalls, s.NumberOfRejectCalls,
            s.NumberOfOperLogoutCalls, s.NumberOfNotDialedCalls, s.NumberOfHangupCalls, s.NumberOfAbandonedCalls, s.Amount, s.NumberOfHandledCustomers);
}
