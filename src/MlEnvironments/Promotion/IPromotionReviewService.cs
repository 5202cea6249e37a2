using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Promotion;

/// <summary>
/// Helps reviewers with GitHub's required-reviewer gate: lists runs waiting for review with the candidate's metrics
/// next to the champion's and every gate's verdict, approves or rejects, and starts promotion runs.
/// </summary>
public interface IPromotionReviewService
{
    /// <summary>Lists the repository's runs that wait for review, each with what it would promote.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The pending promotions, newest run first.</returns>
    Task<IReadOnlyList<PendingPromotion>> ListPendingAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Shows one run's pending promotion.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The pending promotion, or <see langword="null"/> when the run waits on nothing.</returns>
    Task<PendingPromotion?> GetPendingAsync(RepositoryDefinition definition, long runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Approves the run's wait on environments, as the token's user. GitHub requires that user to be one of the
    /// environment's required reviewers (and not the run's author when self-review is prevented); a GitHub App's
    /// installation token cannot approve.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="comment">The comment GitHub records.</param>
    /// <param name="environments">The environments; <see langword="null"/> for every one the run waits on.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The environments approved.</returns>
    /// <exception cref="PromotionException">The run waits on none of them, or the token's user may not review one.</exception>
    Task<IReadOnlyList<string>> ApproveAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default);

    /// <summary>Rejects the run's wait on environments, as the token's user (same rules as <see cref="ApproveAsync"/>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="comment">The comment GitHub records.</param>
    /// <param name="environments">The environments; <see langword="null"/> for every one the run waits on.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The environments rejected.</returns>
    Task<IReadOnlyList<string>> RejectAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a promotion run through the workflow's <c>workflow_dispatch</c> trigger with the model and version as inputs.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="workflow">The workflow file name, e.g. <c>promote.yml</c>.</param>
    /// <param name="ref">The branch to run on.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <param name="stopAt">The last environment to promote into; <see langword="null"/> for the workflow's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub accepted the request.</returns>
    Task DispatchAsync(RepositoryId repository, string workflow, string @ref, string modelName, string version, string? stopAt = null, CancellationToken cancellationToken = default);
}
