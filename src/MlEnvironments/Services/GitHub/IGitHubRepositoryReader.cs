using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Reads the repository facts that planning and OIDC binding need.</summary>
public interface IGitHubRepositoryReader
{
    /// <summary>Gets a repository's ids, exact spelling and visibility.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="RemoteServiceException">The repository does not exist (404) or the call failed.</exception>
    Task<GitHubRepositoryInfo> GetRepositoryAsync(RepositoryId repository, CancellationToken cancellationToken = default);

    /// <summary>Gets how the repository's OIDC subject claim is built.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The subject template and its prefix.</returns>
    Task<GitHubOidcSubjectClaim> GetOidcSubjectClaimAsync(RepositoryId repository, CancellationToken cancellationToken = default);
}
