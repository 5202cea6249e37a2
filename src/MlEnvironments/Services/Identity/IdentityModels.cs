using System;
using System.Collections.Generic;

namespace MlEnvironments.Identity;

/// <summary>A user-assigned managed identity, parsed once from or rendered to its ARM id.</summary>
public readonly struct UserAssignedIdentityId : IEquatable<UserAssignedIdentityId>
{
    private UserAssignedIdentityId(string subscriptionId, string resourceGroupName, string name)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        Name = name;
    }

    /// <summary>The subscription id.</summary>
    public string SubscriptionId => field ?? string.Empty;

    /// <summary>The resource group's name.</summary>
    public string ResourceGroupName => field ?? string.Empty;

    /// <summary>The identity's name.</summary>
    public string Name => field ?? string.Empty;

    /// <summary>Whether this value was default-initialised rather than created.</summary>
    public bool IsEmpty => Name.Length == 0;

    /// <summary>The ARM id.</summary>
    public string ResourceId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{Name}";

    /// <summary>Creates an identity id (checked by definition validation, not here).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="resourceGroupName">The resource group.</param>
    /// <param name="name">The identity's name.</param>
    /// <returns>The id.</returns>
    public static UserAssignedIdentityId Create(string subscriptionId, string resourceGroupName, string name)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        ArgumentNullException.ThrowIfNull(resourceGroupName);
        ArgumentNullException.ThrowIfNull(name);
        return new UserAssignedIdentityId(subscriptionId, resourceGroupName, name);
    }

    /// <summary>Parses the ARM id of a user-assigned identity.</summary>
    /// <param name="resourceId">The ARM id.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">The text is not such an id.</exception>
    public static UserAssignedIdentityId Parse(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        var parts = resourceId.Trim('/').Split('/');
        if (parts.Length != 8 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ||
            !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) ||
            !parts[5].Equals("Microsoft.ManagedIdentity", StringComparison.OrdinalIgnoreCase) ||
            !parts[6].Equals("userAssignedIdentities", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{resourceId}' is not the ARM id of a user-assigned managed identity: expected '/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>'.");
        }

        return new UserAssignedIdentityId(parts[1], parts[3], parts[7]);
    }

    /// <inheritdoc />
    public bool Equals(UserAssignedIdentityId other) => string.Equals(ResourceId, other.ResourceId, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UserAssignedIdentityId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ResourceId);

    /// <summary>Returns the ARM id.</summary>
    public override string ToString() => ResourceId;

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(UserAssignedIdentityId left, UserAssignedIdentityId right) => left.Equals(right);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(UserAssignedIdentityId left, UserAssignedIdentityId right) => !left.Equals(right);
}

/// <summary>A user-assigned managed identity: what a workflow logs in as.</summary>
public sealed class UserAssignedIdentityData
{
    internal UserAssignedIdentityData(UserAssignedIdentityId id, Guid clientId, Guid principalId, Guid tenantId, string location)
    {
        Id = id;
        ClientId = clientId;
        PrincipalId = principalId;
        TenantId = tenantId;
        Location = location;
    }

    /// <summary>The identity's ARM id.</summary>
    public UserAssignedIdentityId Id { get; }

    /// <summary>The client (application) id: <c>AZURE_CLIENT_ID</c> for <c>azure/login</c>.</summary>
    public Guid ClientId { get; }

    /// <summary>The service principal's object id: what role assignments name.</summary>
    public Guid PrincipalId { get; }

    /// <summary>The tenant: <c>AZURE_TENANT_ID</c>.</summary>
    public Guid TenantId { get; }

    /// <summary>The region.</summary>
    public string Location { get; }

    /// <summary>Returns the name and client id.</summary>
    public override string ToString() => $"{Id.Name} (client {ClientId})";
}

/// <summary>A federated identity credential: GitHub's OIDC tokens with this issuer, subject and audience may log in as the identity.</summary>
public sealed class FederatedIdentityCredentialData
{
    /// <summary>Creates a credential.</summary>
    /// <param name="name">The name (3–120 characters; cannot change).</param>
    /// <param name="issuer">The issuer, e.g. <c>https://token.actions.githubusercontent.com</c>.</param>
    /// <param name="subject">The subject, e.g. <c>repo:octo-org/credit-risk:environment:prod</c> (matched with case).</param>
    /// <param name="audiences">The audiences, normally <c>api://AzureADTokenExchange</c>.</param>
    public FederatedIdentityCredentialData(string name, Uri issuer, string subject, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(audiences);
        Name = name;
        Issuer = issuer;
        Subject = subject;
        Audiences = audiences;
    }

    /// <summary>GitHub Actions' OIDC issuer.</summary>
    public static Uri GitHubActionsIssuer { get; } = new("https://token.actions.githubusercontent.com");

    /// <summary>The audience <c>azure/login</c> asks for.</summary>
    public const string AzureAudience = "api://AzureADTokenExchange";

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The issuer.</summary>
    public Uri Issuer { get; }

    /// <summary>The subject.</summary>
    public string Subject { get; }

    /// <summary>The audiences.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>Returns the name and subject.</summary>
    public override string ToString() => $"{Name} ({Subject})";
}

/// <summary>A role assignment: a principal holds a role on a scope.</summary>
public sealed class RoleAssignmentData
{
    internal RoleAssignmentData(string name, string scope, string roleDefinitionId, Guid principalId, string? principalType)
    {
        Name = name;
        Scope = scope;
        RoleDefinitionId = roleDefinitionId;
        PrincipalId = principalId;
        PrincipalType = principalType;
    }

    /// <summary>The assignment's name (a GUID).</summary>
    public string Name { get; }

    /// <summary>The scope (an ARM id).</summary>
    public string Scope { get; }

    /// <summary>The role definition's ARM id.</summary>
    public string RoleDefinitionId { get; }

    /// <summary>The principal.</summary>
    public Guid PrincipalId { get; }

    /// <summary>The principal's type, e.g. <c>ServicePrincipal</c>.</summary>
    public string? PrincipalType { get; }

    /// <summary>Returns the role and principal.</summary>
    public override string ToString() => $"{RoleDefinitionId} → {PrincipalId} on {Scope}";
}
