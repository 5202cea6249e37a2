using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Creates, updates and deletes environments and their deployment branch and tag patterns.</summary>
public interface IGitHubEnvironmentWriter
{
    /// <summary>Creates an environment or replaces its protection settings.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="settings">The complete protection settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The environment as GitHub now has it.</returns>
    Task<GitHubEnvironment> CreateOrUpdateEnvironmentAsync(RepositoryId repository, string environmentName, GitHubEnvironmentSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Deletes an environment with its secrets, variables and rules.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the environment is gone.</returns>
    Task DeleteEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);

    /// <summary>Adds a branch or tag name pattern; adding one that exists returns the existing one.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name (its policy must be custom).</param>
    /// <param name="pattern">The pattern.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policy.</returns>
    Task<GitHubDeploymentBranchPolicy> CreateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, DeploymentRefPattern pattern, CancellationToken cancellationToken = default);

    /// <summary>Changes the name pattern of a branch or tag policy (its type cannot change).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="policyId">The policy's id.</param>
    /// <param name="pattern">The new name pattern.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policy.</returns>
    Task<GitHubDeploymentBranchPolicy> UpdateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, string pattern, CancellationToken cancellationToken = default);

    /// <summary>Removes a branch or tag name pattern.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="policyId">The policy's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the pattern is gone.</returns>
    Task DeleteDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, CancellationToken cancellationToken = default);
}
