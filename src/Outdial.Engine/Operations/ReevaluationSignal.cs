using System.Threading.Channels;

namespace Outdial.Engine.Operations;

/// <summary>
/// Tells whoever works through the store's pending re-evaluations (the server's ReevaluationWorker) that a change has
/// recorded one. Operations raise it after their change commits, so no adapter has to remember to.
/// </summary>
/// <remarks>Raising is cheap and never waits; signals raised before the waiter looks collapse into one (the waiter runs
/// everything pending in one pass).</remarks>
public sealed class ReevaluationSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Counts raises (tests, diagnostics); never reset.</summary>
    public long Raised => Interlocked.Read(ref _raised);

    private long _raised;

    /// <summary>Asks for a pass soon: a change recorded a re-evaluation.</summary>
    public void Raise()
    {
        Interlocked.Increment(ref _raised);
        _channel.Writer.TryWrite(true);
    }

    /// <summary>Completes when a signal is waiting (it stays waiting until <see cref="TryTake"/>).</summary>
    public Task WaitAsync(CancellationToken ct) => _channel.Reader.WaitToReadAsync(ct).AsTask();

    /// <summary>Takes the waiting signal, if any: the pass about to run covers it.</summary>
    public bool TryTake() => _channel.Reader.TryRead(out _);
}
