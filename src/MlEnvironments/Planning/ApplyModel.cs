using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace MlEnvironments.Planning;

/// <summary>What happened to one planned change.</summary>
public enum ChangeOutcome
{
    /// <summary>The change was made.</summary>
    Applied,

    /// <summary>The change was attempted and failed; <see cref="ChangeResult.Error"/> says why.</summary>
    Failed,

    /// <summary>The change was not attempted because an earlier one failed; plan and apply again to converge.</summary>
    Skipped,
}

/// <summary>The result of one planned change.</summary>
public sealed class ChangeResult
{
    internal ChangeResult(PlannedChange change, ChangeOutcome outcome, Exception? error)
    {
        Change = change;
        Outcome = outcome;
        Error = error;
    }

    /// <summary>The change.</summary>
    public PlannedChange Change { get; }

    /// <summary>Applied, failed or skipped.</summary>
    public ChangeOutcome Outcome { get; }

    /// <summary>Why the change failed, when it did.</summary>
    public Exception? Error { get; }

    /// <summary>Returns the change and its outcome.</summary>
    public override string ToString() => Outcome switch
    {
        ChangeOutcome.Applied => "applied: " + Change.Describe(),
        ChangeOutcome.Skipped => "skipped: " + Change.Describe(),
        _ => "FAILED:  " + Change.Describe() + " (" + Error?.Message + ")",
    };
}

/// <summary>The result of applying a plan: one result per change, in order.</summary>
public sealed class ApplyResult
{
    internal ApplyResult(RepositoryId repository, ImmutableArray<ChangeResult> results)
    {
        Repository = repository;
        Results = results;
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository { get; }

    /// <summary>One result per planned change.</summary>
    public ImmutableArray<ChangeResult> Results { get; }

    /// <summary>Whether every change was applied.</summary>
    public bool Succeeded => Results.All(r => r.Outcome == ChangeOutcome.Applied);

    /// <summary>How many changes were applied.</summary>
    public int AppliedCount => Results.Count(r => r.Outcome == ChangeOutcome.Applied);

    /// <summary>How many changes failed.</summary>
    public int FailedCount => Results.Count(r => r.Outcome == ChangeOutcome.Failed);

    /// <summary>How many changes were skipped after a failure.</summary>
    public int SkippedCount => Results.Count(r => r.Outcome == ChangeOutcome.Skipped);

    /// <summary>The summary line.</summary>
    public string Summary => Succeeded
        ? $"Apply complete: {AppliedCount} applied."
        : $"Apply stopped: {AppliedCount} applied, {FailedCount} failed, {SkippedCount} skipped. Plan and apply again to converge.";

    /// <summary>Returns one line per change and the summary.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append("Apply for ").Append(Repository).AppendLine(":");
        foreach (var result in Results)
        {
            builder.Append("  ").AppendLine(result.ToString());
        }

        return builder.Append(Summary).ToString();
    }
}
