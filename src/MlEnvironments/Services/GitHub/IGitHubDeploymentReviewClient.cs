using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Reviews the environments a workflow run waits on (required reviewers). GitHub requires a <em>user</em> token whose
/// user is one of the environment's required reviewers; a GitHub App installation token cannot call this.
/// </summary>
public interface IGitHubDeploymentReviewClient
{
    /// <summary>Lists the environments a run waits on.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending deployments (empty when the run waits on nothing).</returns>
    Task<IReadOnlyList<GitHubPendingDeployment>> GetPendingDeploymentsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default);

    /// <summary>Approves or rejects the run's wait on some environments, as the token's user.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="environmentIds">The environments' ids (from <see cref="GitHubPendingDeployment.EnvironmentId"/>).</param>
    /// <param name="state"><see cref="GitHubReviewState.Approved"/> or <see cref="GitHubReviewState.Rejected"/>.</param>
    /// <param name="comment">The comment (required by GitHub).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub recorded the review.</returns>
    Task ReviewPendingDeploymentsAsync(RepositoryId repository, long runId, IReadOnlyList<long> environmentIds, GitHubReviewState state, string comment, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's review history (who approved or rejected which environment).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reviews, oldest first.</returns>
    Task<IReadOnlyList<GitHubDeploymentReview>> ListReviewsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default);
}
