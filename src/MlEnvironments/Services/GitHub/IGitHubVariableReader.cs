using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

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
