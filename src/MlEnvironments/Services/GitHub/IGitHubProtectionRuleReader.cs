using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Reads an environment's custom deployment protection rules (GitHub Apps that approve or reject deployments).</summary>
public interface IGitHubProtectionRuleReader
{
    /// <summary>Lists the rules enabled on an environment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enabled rules (at most 6).</returns>
    Task<IReadOnlyList<GitHubProtectionRule>> ListProtectionRulesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);

    /// <summary>Lists the installed Apps that can be enabled as rules on an environment (all pages).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The Apps.</returns>
    Task<IReadOnlyList<GitHubProtectionRuleApp>> ListAvailableProtectionRuleAppsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default);
}
