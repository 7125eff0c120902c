using System.Collections.Concurrent;
using Outdial.Engine.Operations;
using Outdial.Engine.Storage;

namespace Outdial.Server.Features.Campaigns;

/// <summary>
/// Works through the store's pending re-evaluations (<see cref="IStore.RunPendingReevaluationsAsync"/>) in the background:
/// at start (what a crash or a stop left pending), whenever an operation records one (<see cref="ReevaluationSignal"/>), and every
/// <see cref="PollInterval"/> for those recorded by another process on the same store. A campaign update or a DNC change
/// answers as soon as its change (with its marker) is committed; the diagnostics endpoint shows a re-evaluation pending.
/// </summary>
internal sealed class ReevaluationWorker(IStore store, ReevaluationSignal signal, TimeProvider time, IConfiguration configuration, ILogger<ReevaluationWorker> logger) : BackgroundService
{
    /// <summary>The setting that turns the worker off (another process, or a tool, runs the re-evaluations).</summary>
    public const string EnabledKey = "Outdial:Reevaluation";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, true);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<TaskCompletionSource> _waiters = new();
    private volatile bool _stopped;

    /// <summary>
    /// Completes after a pass that started after this call has found nothing more to do (tests, tools). Fails at once with
    /// an <see cref="InvalidOperationException"/> when the worker is off (<see cref="EnabledKey"/> = false: no pass would
    /// ever run), and is cancelled when the worker has stopped.
    /// </summary>
    public Task WhenIdleAsync()
    {
        if (!IsEnabled(configuration))
            return Task.FromException(new InvalidOperationException(
                $"the re-evaluation worker is off ({EnabledKey}=false): nothing will run the pending re-evaluations; call IStore.RunPendingReevaluationsAsync instead"));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue(done);
        // Stopped meanwhile: the worker's last drain may have missed this waiter.
        if (_stopped)
        {
            while (_waiters.TryDequeue(out var left)) left.TrySetCanceled();
            return done.Task;
        }
        signal.Raise();
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.Zero; // at start: resume what is pending
        while (!stoppingToken.IsCancellationRequested)
        {
            if (wait > TimeSpan.Zero)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(wait, time, timeout.Token);
                try
                {
                    await Task.WhenAny(signal.WaitAsync(timeout.Token), delay);
                }
                finally
                {
                    await timeout.CancelAsync();
                }
                if (stoppingToken.IsCancellationRequested) break;
            }
            signal.TryTake();
            var waiting = new List<TaskCompletionSource>();
            while (_waiters.TryDequeue(out var w)) waiting.Add(w);
            try
            {
                var reset = await store.RunPendingReevaluationsAsync(stoppingToken);
                if (reset > 0) logger.LogInformation("Re-evaluation: {Records} waiting records will be evaluated again at their next pick", reset);
                foreach (var w in waiting) w.TrySetResult();
                wait = PollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                foreach (var w in waiting) w.TrySetCanceled(stoppingToken);
                break;
            }
            catch (Exception e) // a failed pass is retried: its markers stay until done
            {
                logger.LogError(e, "Re-evaluation pass failed; retrying in {Seconds} s", RetryAfterError.TotalSeconds);
                foreach (var w in waiting) w.TrySetException(e);
                wait = RetryAfterError;
            }
        }
        _stopped = true;
        while (_waiters.TryDequeue(out var left)) left.TrySetCanceled(stoppingToken);
    }
}
