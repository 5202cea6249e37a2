using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Enables and disables custom deployment protection rules.</summary>
public interface IGitHubProtectionRuleWriter
{
    /// <summary>Enables an App as a rule on an environment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="appId">The App's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rule.</returns>
    Task<GitHubProtectionRule> EnableProtectionRuleAsync(RepositoryId repository, string environmentName, long appId, CancellationToken cancellationToken = default);

    /// <summary>Disables a rule.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the rule is disabled.</returns>
    Task DisableProtectionRuleAsync(RepositoryId repository, string environmentName, long ruleId, CancellationToken cancellationToken = default);
}
