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

/// <summary>Lists environment secrets: names and timestamps only, because GitHub never returns values.</summary>
public interface IGitHubSecretReader
{
    /// <summary>Lists an environment's secrets (all pages).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The secrets' names and timestamps.</returns>
    Task<IReadOnlyList<GitHubSecret>> ListEnvironmentSecretsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);
}

/// <summary>Sets and deletes environment secrets.</summary>
public interface IGitHubSecretWriter
{
    /// <summary>
    /// Creates or replaces a secret. The caller gives the plaintext; implementations seal it with the environment's
    /// public key before it leaves the process and never log it.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="secretName">The secret's name.</param>
    /// <param name="value">The plaintext value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the secret is stored.</returns>
    Task SetEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="secretName">The secret's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the secret is gone.</returns>
    Task DeleteEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, CancellationToken cancellationToken = default);
}

/// <summary>Lists environment variables.</summary>
public interface IGitHubVariableReader
{
    /// <summary>Lists an environment's variables (all pages).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The variables.</returns>
    Task<IReadOnlyList<GitHubVariable>> ListEnvironmentVariablesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);
}

/// <summary>Creates, updates and deletes environment variables.</summary>
public interface IGitHubVariableWriter
{
    /// <summary>Creates a variable; GitHub answers 409 when it exists.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the variable exists.</returns>
    Task CreateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Updates a variable's value; GitHub answers 404 when it does not exist.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    Task UpdateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a variable.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the variable is gone.</returns>
    Task DeleteEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, CancellationToken cancellationToken = default);
}

/// <summary>Turns logins and team slugs into the numeric ids GitHub wants, and checks that they can review.</summary>
public interface IGitHubIdentityResolver
{
    /// <summary>Resolves a reviewer and checks that it has at least read access to the repository.</summary>
    /// <param name="repository">The repository whose deployments it would review.</param>
    /// <param name="reviewer">The user or team.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolution; a missing user or team is a result, not an exception.</returns>
    Task<ReviewerResolution> ResolveReviewerAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken = default);
}
