using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace MlEnvironments;

/// <summary>
/// The factory of every definition. Meant for <c>using static MlEnvironments.MlEnvironment;</c>:
/// <code>
/// var prod = Environment("prod")
///     .RequireReviewers(User("ana"), Team("ml-leads"))
///     .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod"));
/// </code>
/// Nothing here does I/O, reads credentials or throws for a rule that <see cref="Validate(RepositorySetDefinition)"/>
/// checks: invalid values are kept so that validation can report every problem at once.
/// </summary>
public static partial class MlEnvironment
{
    /// <summary>Starts the definition of a GitHub environment: no protection rules, all branches, no binding.</summary>
    /// <param name="name">The environment's name (1–255 characters; case is kept, comparison ignores it).</param>
    /// <returns>The definition.</returns>
    public static EnvironmentDefinition Environment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new EnvironmentDefinition(name);
    }

    /// <summary>A required reviewer that is a GitHub user.</summary>
    /// <param name="login">The user's login.</param>
    /// <returns>The reviewer.</returns>
    public static Reviewer User(string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return new Reviewer(ReviewerKind.User, login);
    }

    /// <summary>A required reviewer that is a team of the repository's organisation.</summary>
    /// <param name="slug">The team's slug (e.g. <c>ml-leads</c>), not its display name.</param>
    /// <returns>The reviewer.</returns>
    public static Reviewer Team(string slug)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return new Reviewer(ReviewerKind.Team, slug);
    }

    /// <summary>An Azure Machine Learning workspace.</summary>
    /// <param name="subscriptionId">The subscription id (a GUID).</param>
    /// <param name="resourceGroupName">The resource group's name.</param>
    /// <param name="workspaceName">The workspace's name.</param>
    /// <returns>The workspace id.</returns>
    public static WorkspaceId Workspace(string subscriptionId, string resourceGroupName, string workspaceName)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        ArgumentNullException.ThrowIfNull(resourceGroupName);
        ArgumentNullException.ThrowIfNull(workspaceName);
        return new WorkspaceId(subscriptionId, resourceGroupName, workspaceName);
    }

    /// <summary>A user-assigned managed identity (for OIDC logins).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="resourceGroupName">The resource group.</param>
    /// <param name="identityName">The identity's name.</param>
    /// <returns>The identity's id.</returns>
    public static Identity.UserAssignedIdentityId ManagedIdentity(string subscriptionId, string resourceGroupName, string identityName) =>
        MlEnvironments.Identity.UserAssignedIdentityId.Create(subscriptionId, resourceGroupName, identityName);

    /// <summary>An OIDC login through a user-assigned managed identity (the recommended login: no secret).</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="roleDefinitionId">The role on the workspace; default AzureML Data Scientist.</param>
    /// <returns>The login.</returns>
    public static WorkspaceLogin OidcLogin(Identity.UserAssignedIdentityId identity, string? roleDefinitionId = null) =>
        WorkspaceLogin.Oidc(identity, roleDefinitionId);

    /// <summary>A service principal login (<c>AZURE_CREDENTIALS</c>).</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="clientSecret">The secret or where to find it.</param>
    /// <returns>The login.</returns>
    public static WorkspaceLogin ServicePrincipalLogin(Guid clientId, Guid tenantId, SecretValue clientSecret) =>
        WorkspaceLogin.ServicePrincipal(clientId, tenantId, clientSecret);

    /// <summary>A branch pattern for a custom deployment branch policy.</summary>
    /// <param name="pattern">The pattern, e.g. <c>release/*</c>.</param>
    /// <returns>The pattern.</returns>
    public static DeploymentRefPattern Branch(string pattern) => new(pattern ?? throw new ArgumentNullException(nameof(pattern)), DeploymentRefType.Branch);

    /// <summary>A tag pattern for a custom deployment branch policy.</summary>
    /// <param name="pattern">The pattern, e.g. <c>v*</c>.</param>
    /// <returns>The pattern.</returns>
    public static DeploymentRefPattern Tag(string pattern) => new(pattern ?? throw new ArgumentNullException(nameof(pattern)), DeploymentRefType.Tag);

    /// <summary>A secret value read from a process environment variable when a plan is applied.</summary>
    /// <param name="variableName">The environment variable's name.</param>
    /// <returns>The secret value.</returns>
    public static SecretValue SecretFromEnvironmentVariable(string variableName) => SecretValue.FromEnvironmentVariable(variableName);

    /// <summary>A secret value read from a configuration key when a plan is applied.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The secret value.</returns>
    public static SecretValue SecretFromConfiguration(string key) => SecretValue.FromConfiguration(key);

    /// <summary>A repository and its environments in promotion order.</summary>
    /// <param name="repository"><c>owner/name</c>.</param>
    /// <param name="environments">The environments, first to last.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="FormatException"><paramref name="repository"/> is not <c>owner/name</c>.</exception>
    public static RepositoryDefinition Repository(string repository, params EnvironmentDefinition[] environments) =>
        Repository(RepositoryId.Parse(repository), environments);

    /// <summary>A repository and its environments in promotion order.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environments">The environments, first to last.</param>
    /// <returns>The definition.</returns>
    public static RepositoryDefinition Repository(RepositoryId repository, params EnvironmentDefinition[] environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        foreach (var environment in environments)
        {
            ArgumentNullException.ThrowIfNull(environment, nameof(environments));
        }

        return new RepositoryDefinition(repository, [.. environments]);
    }

    /// <summary>A set of repositories.</summary>
    /// <param name="repositories">The repositories.</param>
    /// <returns>The set.</returns>
    public static RepositorySetDefinition Repositories(params RepositoryDefinition[] repositories) =>
        Repositories((IEnumerable<RepositoryDefinition>)repositories);

    /// <summary>A set of repositories.</summary>
    /// <param name="repositories">The repositories.</param>
    /// <returns>The set.</returns>
    public static RepositorySetDefinition Repositories(IEnumerable<RepositoryDefinition> repositories)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        var array = repositories.ToImmutableArray();
        foreach (var repository in array)
        {
            ArgumentNullException.ThrowIfNull(repository, nameof(repositories));
        }

        return new RepositorySetDefinition(array);
    }

    /// <summary>
    /// A set in which every repository gets the same environments (a template), for organisation-wide use.
    /// </summary>
    /// <param name="repositories">The repositories.</param>
    /// <param name="template">The environments each repository gets, in promotion order.</param>
    /// <returns>The set.</returns>
    public static RepositorySetDefinition RepositoriesFromTemplate(IEnumerable<RepositoryId> repositories, params EnvironmentDefinition[] template)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(template);
        return Repositories(repositories.Select(r => Repository(r, template)));
    }

    /// <summary>Validates an environment and reports every violation.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The result.</returns>
    public static ValidationResult Validate(EnvironmentDefinition environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return DefinitionValidator.Validate(environment);
    }

    /// <summary>Validates a repository definition (its environments included) and reports every violation.</summary>
    /// <param name="repository">The repository definition.</param>
    /// <returns>The result.</returns>
    public static ValidationResult Validate(RepositoryDefinition repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return DefinitionValidator.Validate(repository);
    }

    /// <summary>Validates a set of repositories and reports every violation.</summary>
    /// <param name="repositories">The set.</param>
    /// <returns>The result.</returns>
    public static ValidationResult Validate(RepositorySetDefinition repositories)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        return DefinitionValidator.Validate(repositories);
    }
}
