using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MlEnvironments.Rules;

namespace MlEnvironments.Analyzers;

/// <summary>
/// One fluent chain of an environment, read backwards from its last call to <c>Environment("…")</c>, through locals
/// assigned once.
/// </summary>
internal sealed class Chain
{
    private Chain(IInvocationOperation? root, List<IInvocationOperation> calls, int? boundary)
    {
        Root = root;
        Calls = calls;
        Boundary = boundary;
    }

    /// <summary>The <c>Environment("…")</c> call that starts the chain; <see langword="null"/> when it is not in sight.</summary>
    public IInvocationOperation? Root { get; }

    /// <summary>The calls on the environment, first to last.</summary>
    public List<IInvocationOperation> Calls { get; }

    /// <summary>
    /// How many of <see cref="Calls"/> come from a local's initializer (the chain went through a variable); <see langword="null"/>
    /// when the whole chain is written in one expression.
    /// </summary>
    public int? Boundary { get; }

    public static Chain Walk(IOperation start, KnownSymbols symbols)
    {
        var calls = new List<IInvocationOperation>();
        int? boundaryFromTop = null;
        IInvocationOperation? root = null;
        var current = start;
        while (true)
        {
            current = ValueTracer.Unwrap(current);
            if (current is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                if (method.Name == "Environment" && symbols.IsFactory(method.ContainingType))
                {
                    root = invocation;
                    break;
                }

                if (invocation.Instance is { } instance && symbols.IsEnvironment(method.ContainingType))
                {
                    calls.Add(invocation);
                    current = instance;
                    continue;
                }

                break;
            }

            if (current is ILocalReferenceOperation local && ValueTracer.TryTraceLocal(local, out var initializer))
            {
                boundaryFromTop ??= calls.Count;
                current = initializer;
                continue;
            }

            break;
        }

        calls.Reverse();
        return new Chain(root, calls, boundaryFromTop is { } fromTop ? calls.Count - fromTop : null);
    }
}

/// <summary>The reviewers a chain leaves on an environment, as far as the source tells.</summary>
internal sealed class ReviewerState
{
    /// <summary>The reviewers added since the chain's start or its last <c>WithoutReviewers()</c>.</summary>
    public int Count { get; private set; }

    /// <summary>The call that took the count above GitHub's limit.</summary>
    public IInvocationOperation? Exceeded { get; private set; }

    /// <summary>The <c>PreventSelfReview()</c> call of an environment certainly left with no reviewer.</summary>
    public IInvocationOperation? SelfReviewWithoutReviewer { get; private set; }

    public static ReviewerState Of(IReadOnlyList<IInvocationOperation> calls, bool startsEmpty)
    {
        var state = new ReviewerState();
        var unknown = !startsEmpty;
        IInvocationOperation? prevent = null;
        foreach (var call in calls)
        {
            switch (call.TargetMethod.Name)
            {
                case "RequireReviewers":
                    if (ReviewerCount(call) is { } added)
                    {
                        state.Count += added;
                        if (state.Count > DefinitionRules.MaxReviewers && state.Exceeded is null)
                        {
                            state.Exceeded = call;
                        }
                    }
                    else
                    {
                        unknown = true;
                    }

                    break;
                case "WithoutReviewers":
                    state.Count = 0;
                    state.Exceeded = null;
                    unknown = false;
                    break;
                case "PreventSelfReview":
                    prevent = call;
                    break;
                case "AllowSelfReview":
                    prevent = null;
                    break;
            }
        }

        state.SelfReviewWithoutReviewer = prevent is not null && !unknown && state.Count == 0 ? prevent : null;
        return state;
    }

    // RequireReviewers(User("a"), Team("b")) or RequireReviewers(new[] { … }): the number written; otherwise unknown.
    private static int? ReviewerCount(IInvocationOperation call)
    {
        if (call.Arguments.Length != 1)
        {
            return null;
        }

        return ValueTracer.Unwrap(call.Arguments[0].Value) is IArrayCreationOperation { Initializer: { } initializer }
            ? initializer.ElementValues.Length
            : null;
    }
}
