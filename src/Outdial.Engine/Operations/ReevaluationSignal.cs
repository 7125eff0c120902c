using System.Threading.Channels;

namespace Outdial.Engine.Operations;

/// <summary>
/// The wake-up between operations that record a re-evaluation of waiting records (a DNC change, a campaign change) and the
/// host's worker that runs them: an operation calls <see cref="Wake"/> after its change commits; the worker waits on it.
/// </summary>
/// <remarks>Wake-ups coalesce: many calls before the worker looks count as one pass.</remarks>
public sealed class ReevaluationSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a pass soon. Cheap; does not wait.</summary>
    public void Wake() => _signal.Writer.TryWrite(true);

    /// <summary>Completes when a wake-up is pending (it stays pending until <see cref="TryConsume"/>).</summary>
    public ValueTask<bool> WaitAsync(CancellationToken ct) => _signal.Reader.WaitToReadAsync(ct);

    /// <summary>Takes the pending wake-up, if any: true when there was one.</summary>
    public bool TryConsume() => _signal.Reader.TryRead(out _);
}
