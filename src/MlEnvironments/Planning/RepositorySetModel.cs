using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.Planning;

/// <summary>What happened to one repository of a set.</summary>
public enum RepositoryProgressStage
{
    /// <summary>Its plan is ready.</summary>
    Planned,

    /// <summary>Its plan was applied (every change, or up to a failure).</summary>
    Applied,

    /// <summary>Planning or applying it failed; the others go on.</summary>
    Failed,
}

/// <summary>Progress of a set: one report per repository as it finishes a stage.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Stage">What it finished.</param>
/// <param name="Completed">How many repositories have finished this stage so far.</param>
/// <param name="Total">How many repositories the set has.</param>
public sealed record RepositoryProgress(RepositoryId Repository, RepositoryProgressStage Stage, int Completed, int Total);

/// <summary>A repository whose plan or apply failed, with the error; the other repositories are unaffected.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Error">The error.</param>
public sealed record RepositoryFailure(RepositoryId Repository, Exception Error)
{
    /// <summary>Returns the repository and the error's message.</summary>
    public override string ToString() => $"{Repository}: {Error.Message}";
}

/// <summary>The combined plan of a set of repositories: one plan per repository that could be planned, and the failures.</summary>
public sealed class RepositorySetPlan
{
    internal RepositorySetPlan(ImmutableArray<RepositoryPlan> plans, ImmutableArray<RepositoryFailure> failures)
    {
        Plans = plans;
        Failures = failures;
    }

    /// <summary>The plans, in the set's order.</summary>
    public ImmutableArray<RepositoryPlan> Plans { get; }

    /// <summary>The repositories that could not be planned.</summary>
    public ImmutableArray<RepositoryFailure> Failures { get; }

    /// <summary>How many repositories the set has.</summary>
    public int RepositoryCount => Plans.Length + Failures.Length;

    /// <summary>How many changes all plans hold.</summary>
    public int ChangeCount => Plans.Sum(p => p.Changes.Length);

    /// <summary>Whether applying would change anything.</summary>
    public bool HasChanges => ChangeCount > 0;

    /// <summary>The summary line, e.g. <c>3 repositories, 12 changes (2 with changes, 1 failed to plan).</c></summary>
    public string Summary =>
        $"{RepositoryCount} {(RepositoryCount == 1 ? "repository" : "repositories")}, {ChangeCount} {(ChangeCount == 1 ? "change" : "changes")} " +
        $"({Plans.Count(p => p.HasChanges)} with changes, {Failures.Length} failed to plan).";

    /// <summary>Renders one section per repository and the summary.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var builder = new StringBuilder();
        foreach (var plan in Plans)
        {
            builder.AppendLine(plan.ToText()).AppendLine();
        }

        foreach (var failure in Failures)
        {
            builder.Append("Plan for ").Append(failure.Repository).Append(" FAILED: ").AppendLine(failure.Error.Message).AppendLine();
        }

        return builder.Append(Summary).ToString();
    }

    /// <summary>Renders the set as JSON: a summary, the plans and the failures.</summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("summary");
            writer.WriteNumber("repositories", RepositoryCount);
            writer.WriteNumber("changes", ChangeCount);
            writer.WriteNumber("failed", Failures.Length);
            writer.WriteEndObject();
            writer.WriteStartArray("plans");
            foreach (var plan in Plans)
            {
                using var document = JsonDocument.Parse(plan.ToJson());
                document.RootElement.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("failures");
            foreach (var failure in Failures)
            {
                writer.WriteStartObject();
                writer.WriteString("repository", failure.Repository.ToString());
                writer.WriteString("error", failure.Error.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Renders the set as Markdown: one section per repository with changes or failures, and the summary.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.Append("## ").AppendLine(Summary).AppendLine();
        foreach (var plan in Plans.Where(p => p.HasChanges))
        {
            builder.AppendLine(plan.ToMarkdown());
        }

        foreach (var failure in Failures)
        {
            builder.Append("### `").Append(failure.Repository).AppendLine("` failed").AppendLine()
                .AppendLine(failure.Error.Message.Replace("\n", " ", StringComparison.Ordinal)).AppendLine();
        }

        return builder.ToString();
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();
}

/// <summary>The results of applying a set: one result per repository that was applied, and the failures.</summary>
public sealed class RepositorySetApplyResult
{
    internal RepositorySetApplyResult(ImmutableArray<ApplyResult> results, ImmutableArray<RepositoryFailure> failures)
    {
        Results = results;
        Failures = failures;
    }

    /// <summary>The results, in the set's order.</summary>
    public ImmutableArray<ApplyResult> Results { get; }

    /// <summary>The repositories whose apply could not start or stopped with an exception (for example a secret that could not be resolved).</summary>
    public ImmutableArray<RepositoryFailure> Failures { get; }

    /// <summary>Whether every change of every repository was applied.</summary>
    public bool Succeeded => Failures.IsEmpty && Results.All(r => r.Succeeded);

    /// <summary>The summary line.</summary>
    public string Summary =>
        $"{Results.Length + Failures.Length} repositories: {Results.Count(r => r.Succeeded)} applied completely, " +
        $"{Results.Count(r => !r.Succeeded) + Failures.Length} stopped; {Results.Sum(r => r.AppliedCount)} changes applied.";

    /// <summary>Returns each repository's result and the summary.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Results.Select(r => r.ToString()).Concat(Failures.Select(f => $"Apply for {f.Repository} FAILED: {f.Error.Message}")).Append(Summary));
}
