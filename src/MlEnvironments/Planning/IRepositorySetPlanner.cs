using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Planning;

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
