using Outdial.Engine.Agents;
using Outdial.Engine.Domain;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>A session's serial tells one login from the next, and the dialer's moves hold only within their session.</summary>
public sealed class AgentSessionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_new_login_gets_a_new_serial_and_a_move_for_the_old_session_is_refused()
    {
        await using var db = await DialingDb.CreateAsync();
        var agent = new Agent(Id32.New(), "kathy", "Kathy");
        await db.Store.CreateAgentAsync(db.Tenant, agent, Ct);
        var first = (await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct)).Session!;
        var paused = (await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Paused, null, db.Now, Ct)).Session!;
        Assert.Equal(first.Serial, paused.Serial); // a state change keeps the session

        // Logout and login in the same millisecond: a new session all the same.
        await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.LoggedOut, null, db.Now, Ct);
        var second = (await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, db.Campaign.Id, db.Now, Ct)).Session!;
        Assert.NotEqual(first.Serial, second.Serial);
        Assert.Equal(first.LoggedIn, second.LoggedIn);

        var stale = await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Preview, null, db.Now, Ct, session: first.Serial);
        Assert.Null(stale.Session);
        Assert.NotNull(stale.Error);
        Assert.Equal(AgentState.Ready, (await db.Store.GetAgentSessionAsync(db.Tenant, agent.Id, Ct))!.State);
        Assert.NotNull((await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Preview, null, db.Now, Ct, session: second.Serial)).Session);

        await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.LoggedOut, null, db.Now, Ct);
        Assert.NotNull((await db.Store.MoveAgentAsync(db.Tenant, agent.Id, AgentState.Ready, null, db.Now, Ct, session: second.Serial)).Error); // ended
    }
}
