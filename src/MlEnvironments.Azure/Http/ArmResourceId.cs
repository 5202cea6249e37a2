using System;
using System.Collections.Generic;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Azure.Http;

/// <summary>
/// An ARM resource id split once into its parts: <c>/subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}[/{type}/{name}…]</c>.
/// The ids in answers are parsed with it into the core's value types; an id that is not an ARM id (the spec's
/// examples write <c>"string"</c>) parses to <see langword="null"/> and the caller keeps what it asked for.
/// </summary>
internal sealed class ArmResourceId
{
    private ArmResourceId(string subscriptionId, string? resourceGroupName, string? providerNamespace, IReadOnlyList<(string Type, string Name)> resources)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        ProviderNamespace = providerNamespace;
        Resources = resources;
    }

    public string SubscriptionId { get; }

    public string? ResourceGroupName { get; }

    public string? ProviderNamespace { get; }

    /// <summary>The (type, name) pairs below the provider, outermost first.</summary>
    public IReadOnlyList<(string Type, string Name)> Resources { get; }

    public static ArmResourceId? TryParse(string? id)
    {
        if (string.IsNullOrEmpty(id) || id[0] != '/')
        {
            return null;
        }

        var parts = id.Trim('/').Split('/');
        if (parts.Length < 2 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) || parts[1].Length == 0)
        {
            return null;
        }

        var index = 2;
        string? group = null;
        if (parts.Length > index + 1 && parts[index].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            group = parts[index + 1];
            index += 2;
        }

        if (index == parts.Length)
        {
            return new ArmResourceId(parts[1], group, null, []);
        }

        if (parts.Length < index + 4 || !parts[index].Equals("providers", StringComparison.OrdinalIgnoreCase) || (parts.Length - index - 2) % 2 != 0)
        {
            return null;
        }

        var provider = parts[index + 1];
        var resources = new List<(string, string)>();
        for (var i = index + 2; i < parts.Length; i += 2)
        {
            if (parts[i].Length == 0 || parts[i + 1].Length == 0)
            {
                return null;
            }

            resources.Add((parts[i], Uri.UnescapeDataString(parts[i + 1])));
        }

        return new ArmResourceId(parts[1], group, provider, resources);
    }

    /// <summary>Whether the resource types below the provider are, in order, <paramref name="types"/>.</summary>
    public bool Is(string providerNamespace, params string[] types)
    {
        if (ResourceGroupName is null || !string.Equals(ProviderNamespace, providerNamespace, StringComparison.OrdinalIgnoreCase) || Resources.Count != types.Length)
        {
            return false;
        }

        for (var i = 0; i < types.Length; i++)
        {
            if (!Resources[i].Type.Equals(types[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    public WorkspaceId? Workspace =>
        Resources.Count >= 1 && ResourceGroupName is not null &&
        string.Equals(ProviderNamespace, "Microsoft.MachineLearningServices", StringComparison.OrdinalIgnoreCase) &&
        Resources[0].Type.Equals("workspaces", StringComparison.OrdinalIgnoreCase)
            ? MlEnvironment.Workspace(SubscriptionId, ResourceGroupName, Resources[0].Name)
            : null;

    public MachineLearningRegistryId? Registry =>
        Resources.Count >= 1 && ResourceGroupName is not null &&
        string.Equals(ProviderNamespace, "Microsoft.MachineLearningServices", StringComparison.OrdinalIgnoreCase) &&
        Resources[0].Type.Equals("registries", StringComparison.OrdinalIgnoreCase)
            ? MachineLearningRegistryId.Create(SubscriptionId, ResourceGroupName, Resources[0].Name)
            : null;

    public UserAssignedIdentityId? Identity =>
        Resources.Count >= 1 && ResourceGroupName is not null &&
        string.Equals(ProviderNamespace, "Microsoft.ManagedIdentity", StringComparison.OrdinalIgnoreCase) &&
        Resources[0].Type.Equals("userAssignedIdentities", StringComparison.OrdinalIgnoreCase)
            ? UserAssignedIdentityId.Create(SubscriptionId, ResourceGroupName, Resources[0].Name)
            : null;

    /// <summary>The name of the resource of <paramref name="type"/> in the id, if there is one.</summary>
    public string? NameOf(string type)
    {
        foreach (var (t, name) in Resources)
        {
            if (t.Equals(type, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Splits <c>{scope}/providers/Microsoft.Authorization/roleAssignments/{name}</c> into scope and name.</summary>
    public static bool TrySplitRoleAssignmentId(string? id, out string scope, out string name)
    {
        const string marker = "/providers/Microsoft.Authorization/roleAssignments/";
        scope = string.Empty;
        name = string.Empty;
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        var at = id.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0 || at + marker.Length >= id.Length)
        {
            return false;
        }

        scope = at == 0 ? "/" : id[..at];
        name = id[(at + marker.Length)..];
        return !name.Contains('/', StringComparison.Ordinal);
    }
}
