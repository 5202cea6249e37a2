using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace MlEnvironments.Planning;

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
