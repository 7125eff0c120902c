using System.Reflection;
using System.Runtime.ExceptionServices;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Tests.Dialing;

/// <summary>An <see cref="IStore"/> that forwards to a real one but fails the next calls of one method.</summary>
public class FaultyStore : DispatchProxy
{
    private IStore _inner = null!;
    private string _method = "";
    private Func<Exception> _failure = () => new InvalidOperationException();

    private int _failures;

    /// <summary>Calls of the method still to fail.</summary>
    public int Failures => Math.Max(0, Volatile.Read(ref _failures));

    public static (IStore Store, FaultyStore Faults) Wrap(IStore inner, string method, int failures, Func<Exception> failure)
    {
        var store = Create<IStore, FaultyStore>();
        var faults = (FaultyStore)(object)store;
        (faults._inner, faults._method, faults._failures, faults._failure) = (inner, method, failures, failure);
        return (store, faults);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == _method && Interlocked.Decrement(ref _failures) >= 0)
        {
            // As an async store method fails: a faulted task (every IStore method returns Task or Task<T>).
            var returns = targetMethod.ReturnType;
            if (returns == typeof(Task)) return Task.FromException(_failure());
            if (!returns.IsGenericType || returns.GetGenericTypeDefinition() != typeof(Task<>))
                throw new NotSupportedException($"{targetMethod.Name} returns {returns}");
            return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(returns.GetGenericArguments()[0]).Invoke(null, [_failure()]);
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
