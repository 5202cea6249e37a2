using System;
using System.Collections.Generic;

namespace MlEnvironments.GitHub;

/// <summary>The visibility of a repository, which decides which environment features GitHub's plan allows.</summary>
public enum GitHubRepositoryVisibility
{
    /// <summary>Anyone can see it.</summary>
    Public,

    /// <summary>Only people with access can see it.</summary>
    Private,

    /// <summary>Members of the enterprise can see it.</summary>
    Internal,
}

/// <summary>The facts about a repository that planning needs: exact spelling, ids and visibility.</summary>
public sealed class GitHubRepositoryInfo
{
    internal GitHubRepositoryInfo(RepositoryId repository, long id, long ownerId, GitHubRepositoryVisibility visibility, string defaultBranch)
    {
        Repository = repository;
        Id = id;
        OwnerId = ownerId;
        Visibility = visibility;
        DefaultBranch = defaultBranch;
    }

    /// <summary>The repository with the exact case GitHub reports (OIDC subjects are matched with case).</summary>
    public RepositoryId Repository { get; }

    /// <summary>The repository's numeric id.</summary>
    public long Id { get; }

    /// <summary>The owner's numeric id.</summary>
    public long OwnerId { get; }

    /// <summary>Public, private or internal.</summary>
    public GitHubRepositoryVisibility Visibility { get; }

    /// <summary>The default branch.</summary>
    public string DefaultBranch { get; }

    /// <summary>Returns <c>owner/name (#id, visibility)</c>.</summary>
    public override string ToString() => $"{Repository} (#{Id}, {Visibility.ToString().ToLowerInvariant()})";
}

/// <summary>
/// How GitHub builds the OIDC <c>sub</c> claim of a repository's workflow tokens (from
/// <c>actions/get-custom-oidc-sub-claim-for-repo</c>). Federated credentials must match it exactly, with case.
/// </summary>
public sealed class GitHubOidcSubjectClaim
{
    internal GitHubOidcSubjectClaim(bool useDefault, IReadOnlyList<string> includeClaimKeys, bool useImmutableSubject, string subClaimPrefix)
    {
        UseDefault = useDefault;
        IncludeClaimKeys = includeClaimKeys;
        UseImmutableSubject = useImmutableSubject;
        SubClaimPrefix = subClaimPrefix;
    }

    /// <summary>Whether the default template is used.</summary>
    public bool UseDefault { get; }

    /// <summary>The claim keys of a custom template (empty for the default).</summary>
    public IReadOnlyList<string> IncludeClaimKeys { get; }

    /// <summary>Whether the immutable form <c>repo:OWNER@ID/REPO@ID</c> is used.</summary>
    public bool UseImmutableSubject { get; }

    /// <summary>The prefix GitHub reports, e.g. <c>repo:octo-org/octo-repo</c>.</summary>
    public string SubClaimPrefix { get; }

    /// <summary>
    /// The subject of a job that runs in an environment: <c>{prefix}:environment:{name}</c>, with the name's exact case
    /// and a <c>:</c> inside it encoded as <c>%3A</c>, as GitHub does.
    /// </summary>
    /// <param name="environmentName">The environment's name as GitHub stores it.</param>
    /// <returns>The subject.</returns>
    public string SubjectForEnvironment(string environmentName)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return $"{SubClaimPrefix}:environment:{environmentName.Replace(":", "%3A", StringComparison.Ordinal)}";
    }

    /// <summary>Returns the prefix.</summary>
    public override string ToString() => SubClaimPrefix;
}

/// <summary>A GitHub App that can be enabled as a custom deployment protection rule.</summary>
public sealed class GitHubProtectionRuleApp
{
    internal GitHubProtectionRuleApp(long id, string slug, Uri? integrationUrl)
    {
        Id = id;
        Slug = slug;
        IntegrationUrl = integrationUrl;
    }

    /// <summary>The App's id (the <c>integration_id</c> used to enable it).</summary>
    public long Id { get; }

    /// <summary>The App's slug.</summary>
    public string Slug { get; }

    /// <summary>The App's API URL.</summary>
    public Uri? IntegrationUrl { get; }

    /// <summary>Returns <c>slug (#id)</c>.</summary>
    public override string ToString() => $"{Slug} (#{Id})";
}

/// <summary>A custom deployment protection rule enabled on an environment.</summary>
public sealed class GitHubProtectionRule
{
    internal GitHubProtectionRule(long id, bool enabled, GitHubProtectionRuleApp app)
    {
        Id = id;
        Enabled = enabled;
        App = app;
    }

    /// <summary>The rule's id (used to disable it).</summary>
    public long Id { get; }

    /// <summary>Whether the rule is enabled.</summary>
    public bool Enabled { get; }

    /// <summary>The App that decides.</summary>
    public GitHubProtectionRuleApp App { get; }

    /// <summary>Returns the App and the rule id.</summary>
    public override string ToString() => $"{App.Slug} (rule #{Id})";
}

/// <summary>A workflow file's path and text.</summary>
public sealed class GitHubWorkflowFile
{
    /// <summary>Creates a value.</summary>
    /// <param name="path">The path in the repository.</param>
    /// <param name="content">The YAML text.</param>
    public GitHubWorkflowFile(string path, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(content);
        Path = path;
        Content = content;
    }

    /// <summary>The path, e.g. <c>.github/workflows/promote.yml</c>.</summary>
    public string Path { get; }

    /// <summary>The YAML text.</summary>
    public string Content { get; }

    /// <summary>Returns the path.</summary>
    public override string ToString() => Path;
}
