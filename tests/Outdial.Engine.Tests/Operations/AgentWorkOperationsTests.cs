using Outdial.Engine.Agents;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.AgentWork;

namespace Outdial.Engine.Tests.Operations;

/// <summary>The completion checks (before anything is looked up) and the agent's preconditions for any work.</summary>
public sealed class AgentWorkOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Now = OperationsDb.T0;

    private static string? FieldOf(Completion c)
    {
        try
        {
            AgentWorkOperations.Check(c, Now);
            return null;
        }
        catch (ValidationException e)
        {
            return e.Field;
        }
    }

    [Fact]
    public void A_result_is_required_and_must_be_final_or_retry()
    {
        Assert.Equal("result", FieldOf(new Completion(null)));
        Assert.Equal("result", FieldOf(new Completion(CallResult.DIALING)));
        Assert.Equal("result", FieldOf(new Completion(CallResult.MAXCALLS)));
        foreach (var result in Enum.GetValues<CallResult>().Except([CallResult.DIALING, CallResult.MAXCALLS]))
            Assert.Equal(result, AgentWorkOperations.Check(new Completion(result), Now));
    }

    [Fact]
    public void A_callback_must_be_in_the_future_and_before_the_calendar_ends()
    {
        Assert.Equal("callbackAt", FieldOf(new Completion(CallResult.NOANSWER, CallbackAt: Now)));
        Assert.Null(FieldOf(new Completion(CallResult.NOANSWER, CallbackAt: Now.AddTicks(1))));
        Assert.Equal("callbackAt", FieldOf(new Completion(CallResult.NOANSWER, CallbackAt: AgentWorkOperations.LatestCallback)));
        Assert.Null(FieldOf(new Completion(CallResult.NOANSWER, CallbackAt: AgentWorkOperations.LatestCallback.AddTicks(-1))));
    }

    [Fact]
    public void An_amount_must_read_back_from_the_store()
    {
        var max = AgentWorkOperations.MaxAmount;
        Assert.Equal("amount", FieldOf(new Completion(CallResult.SUCCESS, Amount: max)));
        Assert.Equal("amount", FieldOf(new Completion(CallResult.SUCCESS, Amount: -max)));
        Assert.Null(FieldOf(new Completion(CallResult.SUCCESS, Amount: max - 0.01m)));
        Assert.Null(FieldOf(new Completion(CallResult.SUCCESS, Amount: -(max - 0.01m))));
    }

    [Theory]
    [InlineData("Personal", null)]
    [InlineData("Campaign", null)]
    [InlineData("personal", "callbackType")]
    [InlineData("", "callbackType")]
    public void A_callback_type_is_Personal_or_Campaign(string type, string? field) =>
        Assert.Equal(field, FieldOf(new Completion(CallResult.NOANSWER, CallbackType: type)));

    [Fact]
    public void Classifier_and_script_have_limits()
    {
        Assert.Null(FieldOf(new Completion(CallResult.SUCCESS, Classifier: new string('c', 200))));
        Assert.Equal("classifier", FieldOf(new Completion(CallResult.SUCCESS, Classifier: new string('c', 201))));
        ScriptAnswer answer = new("q", "a");
        Assert.Null(FieldOf(new Completion(CallResult.SUCCESS, Script: new Script("s", Enumerable.Repeat(answer, 200).ToList()))));
        Assert.Equal("script", FieldOf(new Completion(CallResult.SUCCESS, Script: new Script("s", Enumerable.Repeat(answer, 201).ToList()))));
        Assert.Equal("script", FieldOf(new Completion(CallResult.SUCCESS, Script: new Script(" ", [answer]))));
        Assert.Equal("script", FieldOf(new Completion(CallResult.SUCCESS, Script: new Script("s", [new ScriptAnswer("q", new string('a', 4001))]))));
    }

    [Fact]
    public async Task Fields_are_checked_before_the_agent_is_looked_up_then_the_agent_must_exist_be_logged_in_and_dialed()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var runners = new RunningCampaigns();
        var work = new AgentWorkOperations(db.Store, runners, new EventBus(db.Time), db.Time);
        var sessions = new AgentSessionOperations(db.Store, new EventBus(db.Time), db.Time);
        var agent = Id32.New();

        await Assert.ThrowsAsync<ValidationException>(() => work.CompleteAsync(db.Tenant, agent, new Completion(null), Ct));
        var missing = await Assert.ThrowsAsync<OperationException>(() => work.CompleteAsync(db.Tenant, agent, new Completion(CallResult.SUCCESS), Ct));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);

        await db.Store.CreateAgentAsync(db.Tenant, new Agent(agent, "ada", "Ada"), Ct);
        var notIn = await Assert.ThrowsAsync<OperationException>(() => work.SkipAsync(db.Tenant, agent, 1, Ct));
        Assert.Equal((ErrorKind.Conflict, "the agent is not logged in"), (notIn.Kind, notIn.Message));

        await sessions.LoginAsync(db.Tenant, agent.ToLowerInvariant(), db.Campaign.Id, null, Ct);
        var notDialed = await Assert.ThrowsAsync<OperationException>(() => work.PreviewAsync(db.Tenant, agent, Ct));
        Assert.Equal(ErrorKind.Conflict, notDialed.Kind);
        Assert.Contains("is not being dialed", notDialed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_state_and_logout_publish_the_agents_moves()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var events = new EventBus(db.Time);
        using var subscription = events.Subscribe(db.Tenant);
        var sessions = new AgentSessionOperations(db.Store, events, db.Time);
        var agent = Id32.New();
        await db.Store.CreateAgentAsync(db.Tenant, new Agent(agent, "ada", "Ada"), Ct);

        await Assert.ThrowsAsync<ValidationException>(() => sessions.LoginAsync(db.Tenant, agent, db.Campaign.Id, AgentState.Talking, Ct));
        var session = await sessions.LoginAsync(db.Tenant, agent, db.Campaign.Id, AgentState.Paused, Ct);
        Assert.Equal(AgentState.Paused, session!.State);
        await Assert.ThrowsAsync<ValidationException>(() => sessions.SetStateAsync(db.Tenant, agent, AgentState.Dialing, Ct));
        await sessions.SetStateAsync(db.Tenant, agent, AgentState.Ready, Ct);
        await sessions.LogoutAsync(db.Tenant, agent, Ct);

        var moves = new List<AgentStateChanged>();
        while (subscription.Reader.TryRead(out var e)) moves.Add(Assert.IsType<AgentStateChanged>(e.Data));
        Assert.Equal([AgentState.Paused, AgentState.Ready, AgentState.LoggedOut], moves.Select(m => m.To));
        Assert.All(moves, m => Assert.False(m.ByDialer));
        var gone = await Assert.ThrowsAsync<OperationException>(() => sessions.GetAsync(db.Tenant, agent, Ct));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }
}
