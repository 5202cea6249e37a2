using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

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
