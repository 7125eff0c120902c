namespace Outdial.Engine.Agents;

/// <summary>What an agent is doing; each state's time feeds one OBI timer.</summary>
public enum AgentState
{
    LoggedOut,
    /// <summary>Waiting for a call or record (OBI waitTime).</summary>
    Ready,
    /// <summary>Logged in but not taking work (pauseTime).</summary>
    Paused,
    /// <summary>Reading a preview record before dialing (previewTime).</summary>
    Preview,
    /// <summary>Agent-initiated call ringing (callTime, preview/progressive).</summary>
    Dialing,
    /// <summary>Connected to the customer (talkingTime).</summary>
    Talking,
    /// <summary>After-call work (wrapTime).</summary>
    WrapUp,
}

public static class AgentTransitions
{
    /// <summary>Whether an agent may go from one state to another; logging out is always allowed.</summary>
    /// <remarks>Predictive and progressive calls connect a Ready agent straight to Talking; preview goes through Preview and Dialing.</remarks>
    public static bool IsAllowed(AgentState from, AgentState to) => (from, to) switch
    {
        (_, AgentState.LoggedOut) => from != AgentState.LoggedOut,
        (AgentState.LoggedOut, AgentState.Ready or AgentState.Paused) => true,
        (AgentState.Ready, AgentState.Paused or AgentState.Preview or AgentState.Dialing or AgentState.Talking) => true,
        (AgentState.Paused, AgentState.Ready) => true,
        (AgentState.Preview, AgentState.Dialing or AgentState.WrapUp or AgentState.Ready or AgentState.Paused) => true,
        (AgentState.Dialing, AgentState.Talking or AgentState.WrapUp or AgentState.Ready) => true, // Ready: the call was not answered
        (AgentState.Talking, AgentState.WrapUp) => true,
        (AgentState.WrapUp, AgentState.Ready or AgentState.Paused or AgentState.Preview) => true,
        _ => false,
    };

    /// <summary>States in which logging out interrupts work on a customer (OBI numberOfOperLogoutCalls).</summary>
    public static bool IsHandlingCustomer(AgentState state) =>
        state is AgentState.Preview or AgentState.Dialing or AgentState.Talking or AgentState.WrapUp;
}
