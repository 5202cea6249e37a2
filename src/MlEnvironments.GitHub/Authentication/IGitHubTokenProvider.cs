using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Gives the token for a request. Called for every request, so that tokens can rotate and are never cached in
/// options or at construction.
/// </summary>
public interface IGitHubTokenProvider
{
    /// <summary>Gets the token to send.</summary>
    /// <param name="repository">The repository the request is about, when known (GitHub Apps need it to pick the installation).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The token (never logged).</returns>
    /// <exception cref="GitHubAuthenticationException">No token can be found or obtained.</exception>
    ValueTask<string> GetTokenAsync(RepositoryId? repository, CancellationToken cancellationToken = default);
}
