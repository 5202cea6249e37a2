using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Reads a repository's environments, with their protection rules and deployment branch policies.</summary>
/// <remarks>Read-only: planning depends only on reader interfaces, so a dry run cannot write.</remarks>
public interface IGitHubEnvironmentReader
{
    /// <summary>Lists every environment of a repository (all pages), with protection rules.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The environments.</returns>
    /// <exception cref="RemoteServiceException">The repository does not exist (404) or the call failed.</exception>
    Task<IReadOnlyList<GitHubEnvironment>> ListEnvironmentsAsync(RepositoryId repository, CancellationToken cancellationToken = default);

    /// <summary>Gets one environment by name (without regard to case).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The environment, or <see langword="null"/> when it does not exist.</returns>
    Task<GitHubEnvironment?> GetEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);

    /// <summary>Lists the branch and tag name patterns of an environment with a custom deployment branch policy.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patterns.</returns>
    Task<IReadOnlyList<GitHubDeploymentBranchPolicy>> ListDeploymentBranchPoliciesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);
}
