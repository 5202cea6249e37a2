using System;
using System.Collections.Generic;
using System.Linq;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;

namespace MlEnvironments;

/// <summary>
/// Builds the output models of the service interfaces, for tests, fakes and provider implementations. New fields
/// arrive as new optional parameters, so code written against this factory keeps compiling.
/// </summary>
public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="GitHubEnvironment"/>.</summary>
    /// <param name="id">GitHub's id.</param>
    /// <param name="name">The name.</param>
    /// <param name="waitTimer">The wait timer (default none).</param>
    /// <param name="preventSelfReview">Whether self-review is prevented.</param>
    /// <param name="canAdminsBypass">Whether administrators may bypass (default true).</param>
    /// <param name="reviewers">The reviewers (default none).</param>
    /// <param name="branchPolicy">The branch policy mode.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <param name="updatedAt">When it was updated (default <paramref name="createdAt"/>).</param>
    /// <returns>The model.</returns>
    public static GitHubEnvironment GitHubEnvironment(
        long id,
        string name,
        TimeSpan waitTimer = default,
        bool preventSelfReview = false,
        bool canAdminsBypass = true,
        IEnumerable<GitHubReviewer>? reviewers = null,
        DeploymentBranchPolicyKind branchPolicy = DeploymentBranchPolicyKind.AllBranches,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var created = createdAt ?? DateTimeOffset.UnixEpoch;
        return new GitHub.GitHubEnvironment(id, name, waitTimer, preventSelfReview, canAdminsBypass,
            reviewers?.ToArray() ?? [], branchPolicy, created, updatedAt ?? created);
    }

    /// <summary>Builds a <see cref="GitHubReviewer"/>.</summary>
    /// <param name="kind">User or team.</param>
    /// <param name="id">The numeric id.</param>
    /// <param name="name">The login or slug.</param>
    /// <returns>The model.</returns>
    public static GitHubReviewer GitHubReviewer(ReviewerKind kind, long id, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new GitHub.GitHubReviewer(kind, id, name);
    }

    /// <summary>Builds a <see cref="GitHubDeploymentBranchPolicy"/>.</summary>
    /// <param name="id">The policy's id.</param>
    /// <param name="name">The pattern.</param>
    /// <param name="type">Branch or tag.</param>
    /// <returns>The model.</returns>
    public static GitHubDeploymentBranchPolicy GitHubDeploymentBranchPolicy(long id, string name, DeploymentRefType type = DeploymentRefType.Branch)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new GitHub.GitHubDeploymentBranchPolicy(id, name, type);
    }

    /// <summary>Builds a <see cref="GitHubSecret"/> (a name and timestamps; there is never a value).</summary>
    /// <param name="name">The name.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <param name="updatedAt">When it was last set (default <paramref name="createdAt"/>).</param>
    /// <returns>The model.</returns>
    public static GitHubSecret GitHubSecret(string name, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var created = createdAt ?? DateTimeOffset.UnixEpoch;
        return new GitHub.GitHubSecret(name, created, updatedAt ?? created);
    }

    /// <summary>Builds a <see cref="GitHubVariable"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <param name="updatedAt">When it was last updated (default <paramref name="createdAt"/>).</param>
    /// <returns>The model.</returns>
    public static GitHubVariable GitHubVariable(string name, string value, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var created = createdAt ?? DateTimeOffset.UnixEpoch;
        return new GitHub.GitHubVariable(name, value, created, updatedAt ?? created);
    }

    /// <summary>Builds a <see cref="MachineLearningWorkspaceData"/>.</summary>
    /// <param name="id">The workspace's id.</param>
    /// <param name="location">The region (default <c>westeurope</c>).</param>
    /// <param name="mlFlowTrackingUri">The MLflow tracking URI.</param>
    /// <param name="provisioningState">The provisioning state (default <c>Succeeded</c>).</param>
    /// <param name="tags">The tags.</param>
    /// <param name="publicNetworkAccess">Public network access (<c>Enabled</c> or <c>Disabled</c>).</param>
    /// <param name="workspaceGuid">The workspace's GUID.</param>
    /// <returns>The model.</returns>
    public static MachineLearningWorkspaceData MachineLearningWorkspaceData(
        WorkspaceId id,
        string location = "westeurope",
        Uri? mlFlowTrackingUri = null,
        string provisioningState = "Succeeded",
        IReadOnlyDictionary<string, string>? tags = null,
        string? publicNetworkAccess = "Enabled",
        string? workspaceGuid = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(provisioningState);
        return new MachineLearning.MachineLearningWorkspaceData(id, location, mlFlowTrackingUri, provisioningState,
            tags ?? new Dictionary<string, string>(), publicNetworkAccess, workspaceGuid);
    }

    /// <summary>Builds a <see cref="MachineLearningModelContainerData"/>.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="name">The model's name.</param>
    /// <param name="latestVersion">The latest version.</param>
    /// <param name="isArchived">Whether it is archived.</param>
    /// <param name="description">The description.</param>
    /// <param name="tags">The tags.</param>
    /// <returns>The model.</returns>
    public static MachineLearningModelContainerData MachineLearningModelContainerData(
        WorkspaceId workspace, string name, string? latestVersion = null, bool isArchived = false, string? description = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new MachineLearning.MachineLearningModelContainerData(workspace, name, latestVersion, isArchived, description, tags ?? new Dictionary<string, string>());
    }

    /// <summary>Builds a <see cref="MachineLearningRegistryModelVersionData"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="properties">The properties.</param>
    /// <returns>The model.</returns>
    public static MachineLearningRegistryModelVersionData MachineLearningRegistryModelVersionData(
        MachineLearningRegistryId registry, string modelName, string version, MachineLearningModelVersionProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return new MachineLearning.MachineLearningRegistryModelVersionData(registry, modelName, version, properties?.Clone() ?? new MachineLearningModelVersionProperties());
    }

    /// <summary>Builds a <see cref="MachineLearningJobData"/>.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="name">The job's name.</param>
    /// <param name="status">The status.</param>
    /// <param name="jobType">The type (default <c>Command</c>).</param>
    /// <param name="displayName">The display name.</param>
    /// <param name="experimentName">The experiment.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="properties">The properties.</param>
    /// <returns>The model.</returns>
    public static MachineLearningJobData MachineLearningJobData(
        WorkspaceId workspace, string name, MachineLearningJobStatus status, string jobType = "Command", string? displayName = null,
        string? experimentName = null, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(jobType);
        return new MachineLearning.MachineLearningJobData(workspace, name, jobType, status, displayName, experimentName,
            tags ?? new Dictionary<string, string>(), properties ?? new Dictionary<string, string>());
    }

    /// <summary>Builds a <see cref="Identity.UserAssignedIdentityData"/>.</summary>
    /// <param name="id">The identity's id.</param>
    /// <param name="clientId">The client id.</param>
    /// <param name="principalId">The principal id.</param>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="location">The region.</param>
    /// <returns>The model.</returns>
    public static Identity.UserAssignedIdentityData UserAssignedIdentityData(
        Identity.UserAssignedIdentityId id, Guid clientId, Guid principalId, Guid tenantId, string location = "westeurope")
    {
        ArgumentNullException.ThrowIfNull(location);
        return new Identity.UserAssignedIdentityData(id, clientId, principalId, tenantId, location);
    }

    /// <summary>Builds a <see cref="Identity.RoleAssignmentData"/>.</summary>
    /// <param name="name">The assignment's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="roleDefinitionId">The role definition's id.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="principalType">The principal's type.</param>
    /// <returns>The model.</returns>
    public static Identity.RoleAssignmentData RoleAssignmentData(string name, string scope, string roleDefinitionId, Guid principalId, string? principalType = "ServicePrincipal")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(roleDefinitionId);
        return new Identity.RoleAssignmentData(name, scope, roleDefinitionId, principalId, principalType);
    }

    /// <summary>Builds a <see cref="MachineLearningModelVersionData"/>.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="properties">The properties (default empty).</param>
    /// <returns>The model.</returns>
    public static MachineLearningModelVersionData MachineLearningModelVersionData(
        WorkspaceId workspace,
        string modelName,
        string version,
        MachineLearningModelVersionProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return new MachineLearning.MachineLearningModelVersionData(workspace, modelName, version,
            properties?.Clone() ?? new MachineLearningModelVersionProperties());
    }

    /// <summary>Builds a <see cref="GitHubRepositoryInfo"/>.</summary>
    /// <param name="repository">The repository with GitHub's spelling.</param>
    /// <param name="id">The repository's id.</param>
    /// <param name="ownerId">The owner's id.</param>
    /// <param name="visibility">The visibility (default public).</param>
    /// <param name="defaultBranch">The default branch (default <c>main</c>).</param>
    /// <returns>The model.</returns>
    public static GitHubRepositoryInfo GitHubRepositoryInfo(
        RepositoryId repository,
        long id,
        long ownerId,
        GitHubRepositoryVisibility visibility = GitHubRepositoryVisibility.Public,
        string defaultBranch = "main")
    {
        ArgumentNullException.ThrowIfNull(defaultBranch);
        return new GitHub.GitHubRepositoryInfo(repository, id, ownerId, visibility, defaultBranch);
    }

    /// <summary>Builds a <see cref="GitHubOidcSubjectClaim"/>.</summary>
    /// <param name="subClaimPrefix">The prefix, e.g. <c>repo:octo-org/octo-repo</c>.</param>
    /// <param name="useDefault">Whether the default template is used (default true).</param>
    /// <param name="includeClaimKeys">The custom template's keys.</param>
    /// <param name="useImmutableSubject">Whether the immutable form is used.</param>
    /// <returns>The model.</returns>
    public static GitHubOidcSubjectClaim GitHubOidcSubjectClaim(
        string subClaimPrefix,
        bool useDefault = true,
        IEnumerable<string>? includeClaimKeys = null,
        bool useImmutableSubject = false)
    {
        ArgumentNullException.ThrowIfNull(subClaimPrefix);
        return new GitHub.GitHubOidcSubjectClaim(useDefault, includeClaimKeys?.ToArray() ?? [], useImmutableSubject, subClaimPrefix);
    }

    /// <summary>Builds a <see cref="GitHubProtectionRuleApp"/>.</summary>
    /// <param name="id">The App's id.</param>
    /// <param name="slug">The App's slug.</param>
    /// <param name="integrationUrl">The App's API URL.</param>
    /// <returns>The model.</returns>
    public static GitHubProtectionRuleApp GitHubProtectionRuleApp(long id, string slug, Uri? integrationUrl = null)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return new GitHub.GitHubProtectionRuleApp(id, slug, integrationUrl);
    }

    /// <summary>Builds a <see cref="GitHubProtectionRule"/>.</summary>
    /// <param name="id">The rule's id.</param>
    /// <param name="app">The App.</param>
    /// <param name="enabled">Whether it is enabled (default true).</param>
    /// <returns>The model.</returns>
    public static GitHubProtectionRule GitHubProtectionRule(long id, GitHubProtectionRuleApp app, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new GitHub.GitHubProtectionRule(id, enabled, app);
    }
}
