using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using Outdial.Engine.Records;
using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Statistics counters, campaign counts and result groups, each held against a recount of the attempts and
/// records the test wrote.</summary>
public abstract class StatisticsContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    private sealed record Call(double At, CallResult Result, int? Agent, decimal? Amount = null, bool Logout = false, bool Answered = false);

    private static readonly Call[] Calls =
    [
        new(-0.001, CallResult.SUCCESS, 0, 100, Answered: true), // before the period
        new(0, CallResult.SUCCESS, 0, 10, Answered: true),
        new(60, CallResult.SUCCESS, 0, 0, Answered: true),
        new(120, CallResult.REFUSAL, 1, Answered: true),
        new(180, CallResult.SKIP, 0),
        new(240, CallResult.AGENT_REJECTED, 1),
        new(300, CallResult.NOT_DIALED, null),
        new(360, CallResult.INVALID_NUMBER, null),
        new(420, CallResult.HANGUP, 0, Logout: true, Answered: true),
        new(480, CallResult.ABANDONED, null, Answered: true),
        new(540, CallResult.ANSWERING_MACHINE, null, Answered: true),
        new(600, CallResult.BUSY, null),
        new(660, CallResult.NOANSWER, 1, 5),
        new(3600, CallResult.SUCCESS, 1, 100, Answered: true), // at the period's end: not in it
    ];

    private static (long, long, long, long, long, long, long, long, long, long, double) Recount(IEnumerable<Call> calls)
    {
        var c = calls.ToList();
        long Count(params CallResult[] results) => c.Count(x => results.Contains(x.Result));
        return (c.Count, Count(CallResult.SUCCESS, CallResult.REFUSAL), Count(CallResult.REFUSAL), c.Count(x => x.Amount is { } a && a != 0),
            Count(CallResult.SKIP), Count(CallResult.AGENT_REJECTED), c.Count(x => x.Logout), Count(CallResult.NOT_DIALED, CallResult.INVALID_NUMBER),
            Count(CallResult.HANGUP), Count(CallResult.ABANDONED), (double)c.Where(x => x.Result == CallResult.SUCCESS).Sum(x => x.Amount ?? 0));
    }

    private static (long, long, long, long, long, long, long, long, long, long, double) Counted(StatisticsCounters s) =>
        (s.NumberOfCalls, s.NumberOfSuccessfulCalls, s.NumberOfRefusalCalls, s.NumberOfAmountCalls, s.NumberOfSkipCalls, s.NumberOfRejectCalls,
            s.NumberOfOperLogoutCalls, s.NumberOfNotDialedCalls, s.NumberOfHangupCalls, s.NumberOfAbandonedCalls, s.Amount);

    /// <summary>A campaign, Alice and Bob, three records, and <see cref="Calls"/> as attempts (talk 10 + i s, wrap i s).</summary>
    private async Task<(Campaign Campaign, Agent[] Agents)> CallsAsync()
    {
        var campaign = await CampaignAsync(TenantA);
        Agent[] agents = [new(Id32.New(), "alice", "Alice"), new(Id32.New(), "bob", "Bob")];
        foreach (var agent in agents) await Store.CreateAgentAsync(TenantA, agent, Ct);
        var records = await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("a", 1), Draft("b", 2), Draft("c", 3));
        for (var i = 0; i < Calls.Length; i++)
        {
            var call = Calls[i];
            var started = T0.AddSeconds(call.At);
            await Store.AddAttemptAsync(TenantA, new Attempt
            {
                Id = Id32.New(),
                CampaignId = campaign.Id,
                RecordId = records[i % records.Count].Id!,
                NumberDialed = Number(1),
                Started = started,
                Answered = call.Answered ? started.AddSeconds(5) : null,
                Ended = started.AddSeconds(30),
                Result = call.Result,
                TalkSeconds = 10 + i,
                WrapSeconds = i,
                AgentId = call.Agent is { } a ? agents[a].Id : null,
            }, call.Amount, null, call.Logout, Ct);
        }
        return (campaign, agents);
    }

    [Fact]
    public async Task Counters_per_campaign_and_per_agent_equal_a_recount_of_the_attempts_in_the_period()
    {
        var (campaign, agents) = await CallsAsync();
        // Alice: 60 s Ready, 30 s Paused.
        await Store.MoveAgentAsync(TenantA, agents[0].Id, AgentState.Ready, campaign.Id, T0, Ct);
        await Store.MoveAgentAsync(TenantA, agents[0].Id, AgentState.Paused, null, T0.AddSeconds(60), Ct);
        await Store.MoveAgentAsync(TenantA, agents[0].Id, AgentState.LoggedOut, null, T0.AddSeconds(90), Ct);

        var (from, to, now) = (T0, T0.AddHours(1), T0.AddHours(2));
        var inPeriod = Calls.Where(c => T0.AddSeconds(c.At) >= from && T0.AddSeconds(c.At) < to).ToList();
        var all = (await Store.GetStatisticsAsync(TenantA, campaign.Id, from, to, null, now, Ct))!;
        Assert.Equal(Recount(inPeriod), Counted(all));
        Assert.Equal((90.0, 60.0, 30.0, 1L, 3L), (all.LoginTime, all.WaitTime, all.PauseTime, all.NumberOfAgents, all.NumberOfCustomers));
        for (var a = 0; a < agents.Length; a++)
            Assert.Equal(Recount(inPeriod.Where(c => c.Agent == a)), Counted((await Store.GetStatisticsAsync(TenantA, campaign.Id, from, to, agents[a].Id, now, Ct))!));
        Assert.Null(await Store.GetStatisticsAsync(TenantA, campaign.Id, from, to, Id32.New(), now, Ct));

        var rows = await Store.GetAgentStatisticsAsync(TenantA, from, to, null, null, now, Ct);
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            int? agent = row.AgentId is null ? null : Array.FindIndex(agents, x => x.Id == row.AgentId);
            Assert.Equal((campaign.Id, Recount(inPeriod.Where(c => c.Agent == agent))), (row.CampaignId, Counted(row.Counters)));
        }
        Assert.Equal(all.NumberOfCalls, rows.Sum(r => r.Counters.NumberOfCalls));

        // The abandon rate: abandoned over answered by a person (not a machine or fax) since now - window.
        var window = TimeSpan.FromHours(1);
        var recent = Calls.Where(c => T0.AddSeconds(c.At) >= to - window).ToList();
        var rate = await Store.GetAbandonRateAsync(TenantA, campaign.Id, window, to, Ct);
        Assert.Equal(
            (recent.Count(c => c.Result == CallResult.ABANDONED), recent.Count(c => c.Answered && c.Result is not (CallResult.ANSWERING_MACHINE or CallResult.FAX))),
            (rate.Abandoned, rate.AnsweredByPerson));
    }

    [Fact]
    public async Task The_pacing_history_equals_a_recount_of_the_attempts()
    {
        var (campaign, _) = await CallsAsync();
        var history = await Store.GetPacingHistoryAsync(TenantA, campaign.Id, T0, calls: 5, services: 3, Ct);

        bool Person(Call c) => c.Answered && c.Result is not (CallResult.ANSWERING_MACHINE or CallResult.FAX);
        var hours = Calls.Where(c => Person(c) && T0.AddSeconds(c.At + 5) >= T0)
            .GroupBy(c => T0.AddSeconds(c.At + 5).ToUnixTimeMilliseconds() / 3_600_000)
            .Select(g => new HourAbandons(DateTimeOffset.FromUnixTimeMilliseconds(g.Key * 3_600_000), g.Count(), g.Count(c => c.Result == CallResult.ABANDONED)));
        Assert.Equal(hours.OrderBy(h => h.Hour), history.Hours.OrderBy(h => h.Hour));
        // The latest network outcomes (answers, busy, no answer, invalid), oldest first: seconds to answer, or to the end.
        var calls = Calls.Where(c => c.Answered || c.Result is CallResult.BUSY or CallResult.NOANSWER or CallResult.INVALID_NUMBER)
            .TakeLast(5).Select(c => new CallSample(c.Answered ? 5 : 30, Person(c)));
        Assert.Equal(calls, history.Calls);
        // The latest conversations an agent finished (not cut by a logout), oldest first.
        var services = Calls.Select((c, i) => (c, i)).Where(x => x.c.Answered && x.c.Agent is not null && !x.c.Logout)
            .TakeLast(3).Select(x => new ServiceSample(10 + x.i, x.i));
        Assert.Equal(services, history.Services);
        var other = await Store.GetPacingHistoryAsync(TenantB, campaign.Id, T0, 5, 3, Ct);
        Assert.Equal((0, 0, 0), (other.Hours.Count, other.Calls.Count, other.Services.Count));
    }

    [Fact]
    public async Task Campaign_counts_and_result_groups_equal_a_recount_of_the_records_through_completions_and_deletions()
    {
        var campaign = await CampaignAsync(TenantA);
        var drafts = Enumerable.Range(0, 10).Select(i => Draft($"x{i}", i, locked: i < 2) with { ScheduledAt = i == 2 ? T0.AddDays(1) : null }).ToArray();
        var written = await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, drafts);
        await RecountAsync(campaign);

        for (var i = 0; i < 3; i++) Assert.NotNull(await StoreFixture.CompleteOneAsync(Store, TenantA, campaign.Id, "dialer", Now, Ct));
        await RecountAsync(campaign);
        Assert.Equal(new CampaignCounts(10, 3, 7, 4, 0, 2), await Store.GetCampaignCountsAsync(TenantA, campaign.Id, Now, Ct));

        // A completed record and an open one deleted, one record overwritten, one added.
        var closed = (await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id }, Ct)).Items.First(r => r.Progress[0].State == RecordState.CLOSED);
        Assert.True(await Store.DeleteRecordAsync(TenantA, closed.Record.Id, Ct));
        Assert.True(await Store.DeleteRecordAsync(TenantA, written[0].Id!, Ct));
        await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.overwrite, Draft("x1", 1), Draft("x10", 10));
        await RecountAsync(campaign);
    }

    private async Task RecountAsync(Campaign campaign)
    {
        var records = (await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id, Limit = 1000 }, Ct)).Items;
        var progress = records.Select(r => (r.Record, Progress: Assert.Single(r.Progress))).ToList();
        var open = progress.Where(p => p.Progress.State != RecordState.CLOSED).ToList();
        var callable = open.Count(p => !p.Record.Locked && (p.Progress.ScheduledAt is null || p.Progress.ScheduledAt <= Now)
            && (p.Progress.ApplicationState == ApplicationState.RECALL || p.Progress.CallCount < campaign.RetryCount + 1));
        Assert.Equal(
            new CampaignCounts(records.Count, records.Count - open.Count, open.Count, callable, open.Count(p => p.Progress.Result == CallResult.MAXCALLS), open.Count(p => p.Record.Locked)),
            await Store.GetCampaignCountsAsync(TenantA, campaign.Id, Now, Ct));
        var groups = progress.Where(p => p.Progress.Result is not null)
            .GroupBy(p => (p.Progress.Result!.Value.ToString(), p.Progress.CallResult, p.Progress.Classifier))
            .Select(g => new ResultStatistics(g.Key.Item1, g.Key.CallResult, g.Key.Classifier, g.Count()))
            .OrderBy(g => g.Result, StringComparer.Ordinal).ThenBy(g => g.CallResult, StringComparer.Ordinal).ThenBy(g => g.Classifier, StringComparer.Ordinal);
        Assert.Equal(groups, await Store.GetResultStatisticsAsync(TenantA, campaign.Id, Ct));
    }
}
