namespace Outdial.Engine.Telephony;

public enum CallProgressKind
{
    Ringing,
    AnsweredPerson,
    AnsweredMachine,
    AnsweredFax,
    Busy,
    NoAnswer,
    /// <summary>Invalid number or special information tone.</summary>
    InvalidNumber,
    Failed,
    FarEndHangup,
}

public readonly record struct CallProgress(long CallId, CallProgressKind Kind, DateTimeOffset At);

public static class CallProgressExtensions
{
    /// <summary>True when the call is over from the network's side (answered calls end with <see cref="CallProgressKind.FarEndHangup"/> or our hang-up).</summary>
    public static bool IsTerminal(this CallProgressKind kind) =>
        kind is CallProgressKind.Busy or CallProgressKind.NoAnswer or CallProgressKind.InvalidNumber
            or CallProgressKind.Failed or CallProgressKind.FarEndHangup;

    public static bool IsAnswer(this CallProgressKind kind) =>
        kind is CallProgressKind.AnsweredPerson or CallProgressKind.AnsweredMachine or CallProgressKind.AnsweredFax;
}
