using System.Collections.Generic;
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
