namespace Outdial.Engine.Telephony;

/// <summary>The engine's only way to place calls: a real switch (SIP, a CPaaS) or the simulated network implements it.</summary>
/// <remarks>
/// Progress of a call is reported to the callback given to <see cref="Originate"/>, possibly on another thread; every call
/// ends with exactly one terminal event (<see cref="CallProgressExtensions.IsTerminal"/>) unless the engine hangs it up first.
/// </remarks>
public interface ITelephony
{
    /// <summary>Starts an outbound call and returns its id; progress is reported to <paramref name="onProgress"/>.</summary>
    long Originate(OriginateRequest request, Action<CallProgress> onProgress);

    /// <summary>Connects an answered call to an agent; the far end hanging up later is reported as <see cref="CallProgressKind.FarEndHangup"/>.</summary>
    void Bridge(long callId, string agentId);

    /// <summary>Ends the call from our side (abandon, machine detected, agent done); no further events are reported.</summary>
    void Hangup(long callId);
}

public sealed record OriginateRequest(string Number, string? CallerId, TimeSpan RingTimeout);
