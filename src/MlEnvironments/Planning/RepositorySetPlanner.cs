using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

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

/// <summary>Plans and applies many repositories in one call.</summary>
public interface IRepositorySetPlanner
{
    /// <summary>
    /// Validates the whole set first (throwing before any call when it is invalid), then plans its repositories,
    /// several at a time. A repository that fails to plan is reported in <see cref="RepositorySetPlan.Failures"/>;
    /// the others go on.
    /// </summary>
    /// <param name="repositories">The set.</param>
    /// <param name="options">How to treat secrets and undeclared things; <see langword="null"/> for the configured defaults.</param>
    /// <param name="progress">Receives one report per repository; optional.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The combined plan.</returns>
    /// <exception cref="ValidationFailedException">The set is invalid; nothing was read.</exception>
    Task<RepositorySetPlan> PlanAsync(RepositorySetDefinition repositories, PlanOptions? options = null, IProgress<RepositoryProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the plans of a set, several repositories at a time (writes stay serial per token in the provider).
    /// One repository's failure is reported and does not stop or corrupt the others.
    /// </summary>
    /// <param name="plan">The combined plan.</param>
    /// <param name="progress">Receives one report per repository; optional.</param>
    /// <param name="cancellationToken">Cancels the remaining work.</param>
    /// <returns>The results.</returns>
    Task<RepositorySetApplyResult> ApplyAsync(RepositorySetPlan plan, IProgress<RepositoryProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>Plans and applies sets of repositories through the single-repository planner and applier, with bounded concurrency.</summary>
public sealed class RepositorySetPlanner : IRepositorySetPlanner
{
    private readonly IEnvironmentPlanner _planner;
    private readonly IEnvironmentApplier _applier;
    private readonly MlEnvironmentsOptions _options;

    /// <summary>Creates the set planner.</summary>
    /// <param name="planner">Plans one repository.</param>
    /// <param name="applier">Applies one repository's plan.</param>
    /// <param name="options">The concurrency limit; optional.</param>
    public RepositorySetPlanner(IEnvironmentPlanner planner, IEnvironmentApplier applier, IOptions<MlEnvironmentsOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(applier);
        _planner = planner;
        _applier = applier;
        _options = options?.Value ?? new MlEnvironmentsOptions();
    }

    /// <inheritdoc />
    public async Task<RepositorySetPlan> PlanAsync(RepositorySetDefinition repositories, PlanOptions? options = null, IProgress<RepositoryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        repositories.Validate().ThrowIfInvalid();
        var outcomes = await ForEachAsync(repositories.Repositories, progress, RepositoryProgressStage.Planned,
            (repository, ct) => _planner.PlanAsync(repository, options, ct), r => r.Repository, cancellationToken).ConfigureAwait(false);
        return new RepositorySetPlan(
            [.. outcomes.Where(o => o.Result is not null).Select(o => o.Result!)],
            [.. outcomes.Where(o => o.Failure is not null).Select(o => o.Failure!)]);
    }

    /// <inheritdoc />
    public async Task<RepositorySetApplyResult> ApplyAsync(RepositorySetPlan plan, IProgress<RepositoryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var outcomes = await ForEachAsync(plan.Plans, progress, RepositoryProgressStage.Applied,
            (repositoryPlan, ct) => _applier.ApplyAsync(repositoryPlan, ct), p => p.Repository, cancellationToken).ConfigureAwait(false);
        return new RepositorySetApplyResult(
            [.. outcomes.Where(o => o.Result is not null).Select(o => o.Result!)],
            [.. outcomes.Where(o => o.Failure is not null).Select(o => o.Failure!)]);
    }

    private async Task<Outcome<TResult>[]> ForEachAsync<TItem, TResult>(
        ImmutableArray<TItem> items,
        IProgress<RepositoryProgress>? progress,
        RepositoryProgressStage stage,
        Func<TItem, CancellationToken, Task<TResult>> work,
        Func<TItem, RepositoryId> repositoryOf,
        CancellationToken cancellationToken)
        where TResult : class
    {
        var outcomes = new Outcome<TResult>[items.Length];
        var completed = 0;
        using var gate = new SemaphoreSlim(Math.Max(1, _options.MaxRepositoryConcurrency));
        var tasks = items.Select(async (item, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(item, cancellationToken).ConfigureAwait(false);
                outcomes[index] = new Outcome<TResult>(result, null);
                progress?.Report(new RepositoryProgress(repositoryOf(item), stage, Interlocked.Increment(ref completed), items.Length));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes[index] = new Outcome<TResult>(null, new RepositoryFailure(repositoryOf(item), e));
                progress?.Report(new RepositoryProgress(repositoryOf(item), RepositoryProgressStage.Failed, Interlocked.Increment(ref completed), items.Length));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return outcomes;
    }

    private sealed record Outcome<TResult>(TResult? Result, RepositoryFailure? Failure)
        where TResult : class;
}
