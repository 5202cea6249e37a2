using System;
using MlEnvironments.Identity;

namespace MlEnvironments;

/// <summary>How a GitHub workflow logs in to Azure for a bound workspace.</summary>
public enum WorkspaceLoginKind
{
    /// <summary>
    /// OpenID Connect: a federated identity credential on a user-assigned managed identity trusts the environment's
    /// GitHub OIDC tokens; no secret is stored anywhere.
    /// </summary>
    Oidc,

    /// <summary>A service principal's secret, stored as the environment secret <c>AZURE_CREDENTIALS</c>.</summary>
    ServicePrincipal,
}

/// <summary>
/// How workflows of a bound environment log in to Azure. Create with <see cref="MlEnvironment.OidcLogin(UserAssignedIdentityId, string?)"/>
/// or <see cref="MlEnvironment.ServicePrincipalLogin(Guid, Guid, SecretValue)"/>.
/// </summary>
public sealed class WorkspaceLogin : IEquatable<WorkspaceLogin>
{
    /// <summary>The role OIDC logins get on the workspace unless told otherwise: AzureML Data Scientist.</summary>
    public const string AzureMLDataScientistRoleId = "f6c7c914-8db3-469d-8ca1-694a8f32e121";

    /// <summary>The secret a service principal login stores.</summary>
    public const string CredentialsSecretName = "AZURE_CREDENTIALS";

    /// <summary>The variable that carries the client id of an OIDC login.</summary>
    public const string ClientIdVariable = "AZURE_CLIENT_ID";

    /// <summary>The variable that carries the tenant id of an OIDC login.</summary>
    public const string TenantIdVariable = "AZURE_TENANT_ID";

    private WorkspaceLogin(WorkspaceLoginKind kind, UserAssignedIdentityId identity, string roleDefinitionId, Guid clientId, Guid tenantId, SecretValue? clientSecret)
    {
        Kind = kind;
        Identity = identity;
        RoleDefinitionId = roleDefinitionId;
        ClientId = clientId;
        TenantId = tenantId;
        ClientSecret = clientSecret;
    }

    /// <summary>OIDC or service principal.</summary>
    public WorkspaceLoginKind Kind { get; }

    /// <summary>The user-assigned managed identity (OIDC).</summary>
    public UserAssignedIdentityId Identity { get; }

    /// <summary>The role the identity gets on the workspace (OIDC): a role GUID or a role definition's ARM id.</summary>
    public string RoleDefinitionId { get; }

    /// <summary>The service principal's client id (service principal login).</summary>
    public Guid ClientId { get; }

    /// <summary>The service principal's tenant (service principal login).</summary>
    public Guid TenantId { get; }

    /// <summary>The service principal's secret, or where to find it (service principal login). Never printed.</summary>
    public SecretValue? ClientSecret { get; }

    /// <summary>An OIDC login through a user-assigned managed identity.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="roleDefinitionId">The role on the workspace; default <see cref="AzureMLDataScientistRoleId"/>.</param>
    /// <returns>The login.</returns>
    public static WorkspaceLogin Oidc(UserAssignedIdentityId identity, string? roleDefinitionId = null) =>
        new(WorkspaceLoginKind.Oidc, identity, roleDefinitionId ?? AzureMLDataScientistRoleId, Guid.Empty, Guid.Empty, null);

    /// <summary>A service principal login: <c>AZURE_CREDENTIALS</c> is composed from these and the workspace's subscription.</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="clientSecret">The secret or where to find it.</param>
    /// <returns>The login.</returns>
    public static WorkspaceLogin ServicePrincipal(Guid clientId, Guid tenantId, SecretValue clientSecret)
    {
        ArgumentNullException.ThrowIfNull(clientSecret);
        return new(WorkspaceLoginKind.ServicePrincipal, default, string.Empty, clientId, tenantId, clientSecret);
    }

    /// <inheritdoc />
    public bool Equals(WorkspaceLogin? other) =>
        other is not null && Kind == other.Kind && Identity.Equals(other.Identity) &&
        string.Equals(RoleDefinitionId, other.RoleDefinitionId, StringComparison.OrdinalIgnoreCase) &&
        ClientId == other.ClientId && TenantId == other.TenantId && Equals(ClientSecret, other.ClientSecret);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WorkspaceLogin);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Identity, StringComparer.OrdinalIgnoreCase.GetHashCode(RoleDefinitionId), ClientId, TenantId, ClientSecret);

    /// <summary>Returns the kind and its identity; never the secret.</summary>
    public override string ToString() => Kind == WorkspaceLoginKind.Oidc
        ? $"OIDC as {Identity.Name}"
        : $"service principal {ClientId} (secret {ClientSecret})";
}
