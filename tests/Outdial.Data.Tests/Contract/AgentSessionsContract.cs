using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Agent sessions: login, Ready and Paused, the agent's own requests refused while it holds work, the dialer's
/// moves bound to one session's serial.</summary>
public abstract class AgentSessionsContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    private async Task<(Campaign Campaign, Agent Agent)> AgentAsync()
    {
        var campaign = await CampaignAsync(TenantA);
        var agent = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateAgentAsync(TenantA, agent, Ct);
        return (campaign, agent);
    }

    [Fact]
    public async Task A_login_opens_a_session_whose_serial_its_moves_keep_and_a_new_login_raises()
    {
        var (campaign, agent) = await AgentAsync();
        var login = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, campaign.Id, Now, Ct, byAgent: true);
        Assert.Null(login.Error);
        Assert.Equal(AgentState.LoggedOut, login.From);
        var session = login.Session!;
        Assert.Equal((agent.Id, campaign.Id, AgentState.Ready, T0, T0), (session.AgentId, session.CampaignId, session.State, session.StateSince, session.LoggedIn));

        Time.Advance(TimeSpan.FromSeconds(10));
        var paused = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Paused, null, Now, Ct, byAgent: true);
        Assert.Equal((AgentState.Ready, AgentState.Paused, session.Serial, T0.AddSeconds(10), T0), (paused.From, paused.Session!.State, paused.Session.Serial, paused.Session.StateSince, paused.Session.LoggedIn));
        Assert.Equal(paused.Session, await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct));
        Assert.Equal([paused.Session], await Store.ListAgentSessionsAsync(TenantA, campaign.Id, Ct));

        var logout = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.LoggedOut, null, Now, Ct, byAgent: true);
        Assert.Equal((null, null, AgentState.Paused), (logout.Error, logout.Session, logout.From));
        Assert.Null(await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct));
        // Again in the same millisecond: another session, a larger serial.
        var again = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Paused, campaign.Id, Now, Ct, byAgent: true);
        Assert.True(again.Session!.Serial > session.Serial);
    }

    [Fact]
    public async Task The_agent_may_not_log_in_twice_nor_leave_work_it_holds_but_the_dialer_moves_it()
    {
        var (campaign, agent) = await AgentAsync();
        var other = await CampaignAsync(TenantA, "other");
        var serial = (await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, campaign.Id, Now, Ct, byAgent: true)).Session!.Serial;
        var twice = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, other.Id, Now, Ct, byAgent: true);
        Assert.Null(twice.Session);
        Assert.Contains(campaign.Id, twice.Error, StringComparison.Ordinal);

        Assert.Null((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Talking, null, Now, Ct, session: serial)).Error);
        foreach (var to in new[] { AgentState.Ready, AgentState.Paused })
        {
            var refused = await Store.MoveAgentAsync(TenantA, agent.Id, to, null, Now, Ct, byAgent: true);
            Assert.Equal((AgentState.Talking, (AgentSession?)null), (refused.From, refused.Session));
            Assert.NotNull(refused.Error);
        }
        Assert.Equal(AgentState.Talking, (await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct))!.State);
        Assert.Null((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.WrapUp, null, Now, Ct, session: serial)).Error);
        Assert.Equal(AgentState.Ready, (await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, null, Now, Ct, session: serial)).Session!.State);
    }

    [Fact]
    public async Task A_dialer_move_for_an_ended_session_is_refused()
    {
        var (campaign, agent) = await AgentAsync();
        var first = (await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, campaign.Id, Now, Ct)).Session!.Serial;
        await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.LoggedOut, null, Now, Ct);
        var ended = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Talking, null, Now, Ct, session: first);
        Assert.Equal((AgentState.LoggedOut, (AgentSession?)null), (ended.From, ended.Session));
        Assert.NotNull(ended.Error);

        await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, campaign.Id, Now, Ct);
        var stale = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Talking, null, Now, Ct, session: first);
        Assert.Equal((AgentState.Ready, (AgentSession?)null), (stale.From, stale.Session));
        Assert.NotNull(stale.Error);
        Assert.Equal(AgentState.Ready, (await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct))!.State);
    }

    [Fact]
    public async Task Moves_the_state_machine_forbids_or_that_name_nothing_are_refused()
    {
        var (campaign, agent) = await AgentAsync();
        Assert.True((await Store.MoveAgentAsync(TenantA, Id32.New(), AgentState.Ready, campaign.Id, Now, Ct)).NotFound);
        Assert.True((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, Id32.New(), Now, Ct)).NotFound);
        var noCampaign = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Ready, null, Now, Ct);
        Assert.False(noCampaign.NotFound);
        Assert.NotNull(noCampaign.Error);
        Assert.NotNull((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.LoggedOut, null, Now, Ct)).Error);

        await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Paused, campaign.Id, Now, Ct);
        var skip = await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Talking, null, Now, Ct);
        Assert.Equal((AgentState.Paused, (AgentSession?)null), (skip.From, skip.Session));
        Assert.NotNull(skip.Error);
        Assert.NotNull((await Store.MoveAgentAsync(TenantA, agent.Id, AgentState.Paused, null, Now, Ct)).Error);
        Assert.Equal(AgentState.Paused, (await Store.GetAgentSessionAsync(TenantA, agent.Id, Ct))!.State);
    }
}
