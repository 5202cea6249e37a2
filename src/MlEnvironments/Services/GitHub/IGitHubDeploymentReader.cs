using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Reads a repository's deployments and their statuses (the promotion ledger).</summary>
public interface IGitHubDeploymentReader
{
    /// <summary>Lists deployments, newest first, following every page.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">Only deployments to this environment; <see langword="null"/> for all.</param>
    /// <param name="task">Only deployments with this task; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments, newest first.</returns>
    Task<IReadOnlyList<GitHubDeployment>> ListDeploymentsAsync(RepositoryId repository, string? environment, string? task, CancellationToken cancellationToken = default);

    /// <summary>Lists a deployment's statuses, newest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statuses, newest first.</returns>
    /// <exception cref="RemoteServiceException">The deployment does not exist (404) or the call failed.</exception>
    Task<IReadOnlyList<GitHubDeploymentStatus>> ListDeploymentStatusesAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken = default);
}
