using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Testing;

/// <summary>One call a fake received: the operation (GitHub's or Azure's operation id) and what it was about.</summary>
/// <param name="Sequence">1 for the first call the fake received, then 2, 3, ….</param>
/// <param name="Operation">The operation id, e.g. <c>repos/create-or-update-environment</c>.</param>
/// <param name="IsWrite">Whether the operation changes state.</param>
/// <param name="Resource">The repository or workspace concerned.</param>
/// <param name="Environment">The environment concerned, if any.</param>
/// <param name="Target">The pattern, secret, variable, reviewer or model concerned, if any.</param>
public sealed record FakeCall(int Sequence, string Operation, bool IsWrite, string Resource, string? Environment, string? Target)
{
    /// <summary>Returns <c>#n operation resource/environment/target</c>; never a value.</summary>
    public override string ToString() =>
        $"#{Sequence} {Operation} {Resource}" + (Environment is null ? string.Empty : "/" + Environment) + (Target is null ? string.Empty : "/" + Target);
}

/// <summary>
/// Makes chosen calls of a fake fail before they change anything: the Nth call, the Nth write, or calls matching a
/// predicate, once or every time.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];
    private int _writes;

    /// <summary>Makes calls that match <paramref name="predicate"/> fail.</summary>
    /// <param name="predicate">Which calls fail.</param>
    /// <param name="error">The exception to throw (default: a <see cref="RemoteServiceException"/> with status 500).</param>
    /// <param name="times">How many matching calls fail; <see langword="null"/> for every one.</param>
    /// <returns>This injector.</returns>
    public FaultInjector FailWhen(Func<FakeCall, bool> predicate, Func<FakeCall, Exception>? error = null, int? times = 1)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (times is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(times), times, "times must be positive, or null for every call.");
        }

        lock (_gate)
        {
            _rules.Add(new Rule(predicate, error ?? DefaultError, times));
        }

        return this;
    }

    /// <summary>Makes the <paramref name="sequence"/>th call (counting every call, 1-based) fail.</summary>
    /// <param name="sequence">The call's number.</param>
    /// <param name="error">The exception to throw; default a 500.</param>
    /// <returns>This injector.</returns>
    public FaultInjector FailOnCall(int sequence, Func<FakeCall, Exception>? error = null) =>
        FailWhen(call => call.Sequence == sequence, error, times: 1);

    /// <summary>Makes the <paramref name="n"/>th write (1-based, counted from when this rule is added) fail.</summary>
    /// <param name="n">Which write fails.</param>
    /// <param name="error">The exception to throw; default a 500.</param>
    /// <returns>This injector.</returns>
    public FaultInjector FailOnWrite(int n, Func<FakeCall, Exception>? error = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);

        // Counted by the injector for every write it checks, so that other rules (which stop the search when they
        // match) cannot hide writes from this one. Predicates run under _gate, where _writes is current.
        int target;
        lock (_gate)
        {
            target = _writes + n;
        }

        return FailWhen(call => call.IsWrite && _writes == target, error, times: 1);
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    internal void Check(FakeCall call)
    {
        Exception? error = null;
        lock (_gate)
        {
            if (call.IsWrite)
            {
                _writes++;
            }

            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!rule.Predicate(call))
                {
                    continue;
                }

                error = rule.Error(call);
                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else
                    {
                        _rules[i] = rule with { Remaining = remaining - 1 };
                    }
                }

                break;
            }
        }

        if (error is not null)
        {
            throw error;
        }
    }

    private static RemoteServiceException DefaultError(FakeCall call) =>
        new("fake", call.Operation, 500, $"Injected failure of {call.Operation} (call #{call.Sequence}).", "injected");

    private sealed record Rule(Func<FakeCall, bool> Predicate, Func<FakeCall, Exception> Error, int? Remaining);
}

/// <summary>The one way a fake records a call, checks injected failures, and runs it under its lock.</summary>
internal static class FakeCalls
{
    public static Task<T> Run<T>(
        object gate,
        List<FakeCall> calls,
        FaultInjector faults,
        (string Operation, bool IsWrite, string Resource, string? Environment, string? Target) what,
        Func<T> action,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        FakeCall call;
        lock (gate)
        {
            call = new FakeCall(calls.Count + 1, what.Operation, what.IsWrite, what.Resource, what.Environment, what.Target);
            calls.Add(call);
        }

        try
        {
            faults.Check(call);
            lock (gate)
            {
                return Task.FromResult(action());
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
