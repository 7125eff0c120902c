namespace Outdial.Server.Dialects.Genesys.CometD;

/// <summary>The advice the server gives and the limits it keeps (CometD's defaults).</summary>
internal sealed record CometDOptions
{
    /// <summary>Messages a client's queue keeps; a client that falls further behind loses the oldest.</summary>
    public const int QueueLength = 1_000;

    /// <summary>How long a <c>/meta/connect</c> is held when nothing is to be delivered.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after its last connect was answered a client that does not connect again loses its session.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sessions one agent may hold at once (a desktop per tab); one more is refused until one ends or expires.</summary>
    public int SessionsPerAgent { get; init; } = 32;
}
