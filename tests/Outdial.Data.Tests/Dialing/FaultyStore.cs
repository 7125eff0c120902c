using System.Reflection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Dialing;

/// <summary>An <see cref="IStore"/> that forwards to a real one but fails the next calls of one method.</summary>
public class FaultyStore : DispatchProxy
{
    private IStore _inner = null!;
    private string _method = "";
    private Func<Exception> _failure = () => new InvalidOperationException();

    /// <summary>Calls of <see cref="_method"/> still to fail.</summary>
    public int Failures { get; set; }

    public static (IStore Store, FaultyStore Faults) Wrap(IStore inner, string method, int failures, Func<Exception> failure)
    {
        var store = Create<IStore, FaultyStore>();
        var faults = (FaultyStore)(object)store;
        (faults._inner, faults._method, faults.Failures, faults._failure) = (inner, method, failures, failure);
        return (store, faults);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == _method && Failures > 0)
        {
            Failures--;
            // As an async store method fails: a faulted task.
            return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [_failure()]);
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
