using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Creates deployments and deployment statuses.</summary>
public interface IGitHubDeploymentWriter
{
    /// <summary>Creates a deployment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deployment">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created deployment.</returns>
    /// <exception cref="RemoteServiceException">GitHub refused it (409 merge conflict or failed contexts, 422 invalid).</exception>
    Task<GitHubDeployment> CreateDeploymentAsync(RepositoryId repository, GitHubNewDeployment deployment, CancellationToken cancellationToken = default);

    /// <summary>Adds a status to a deployment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created status.</returns>
    Task<GitHubDeploymentStatus> CreateDeploymentStatusAsync(RepositoryId repository, long deploymentId, GitHubNewDeploymentStatus status, CancellationToken cancellationToken = default);
}
