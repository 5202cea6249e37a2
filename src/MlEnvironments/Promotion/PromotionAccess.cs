using System;
using System.Collections.Generic;
using System.Linq;
using MlEnvironments.Identity;

namespace MlEnvironments.Promotion;

/// <summary>One role a promotion into an environment needs on one scope, and why.</summary>
public sealed class PromotionAccessRequirement
{
    /// <summary>Creates a requirement.</summary>
    /// <param name="environmentName">The environment promoted into, whose login needs the role.</param>
    /// <param name="scope">The scope's ARM id (a workspace or a registry).</param>
    /// <param name="roleDefinitionId">The role's GUID or role definition ARM id.</param>
    /// <param name="reason">What the promotion does there.</param>
    public PromotionAccessRequirement(string environmentName, string scope, string roleDefinitionId, string reason)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(reason);
        EnvironmentName = environmentName;
        Scope = RoleAssignments.NormalizeScope(scope);
        RoleDefinitionId = RoleAssignments.RoleGuid(roleDefinitionId).ToString("D");
        Reason = reason;
    }

    /// <summary>The environment promoted into.</summary>
    public string EnvironmentName { get; }

    /// <summary>The scope's ARM id.</summary>
    public string Scope { get; }

    /// <summary>The role's GUID.</summary>
    public string RoleDefinitionId { get; }

    /// <summary>The role's name (<see cref="AzureBuiltInRoles.NameOf(string)"/>).</summary>
    public string RoleName => AzureBuiltInRoles.NameOf(RoleDefinitionId);

    /// <summary>What the promotion does on the scope.</summary>
    public string Reason { get; }

    /// <summary>Returns the role, the scope and the reason.</summary>
    public override string ToString() => $"{RoleName} on {Scope} ({Reason})";
}

/// <summary>
/// The Azure access a promotion into an environment needs, by least privilege among the built-in roles (see the
/// README, "Azure roles a promotion needs"): the binding plan assigns these roles to an OIDC login's identity and
/// checks them for a service principal; the promoter names them when Azure refuses a call.
/// </summary>
public static class PromotionAccess
{
    /// <summary>
    /// What a promotion into <paramref name="environmentName"/> needs, one entry per scope and role: on the previous
    /// environment's workspace <c>Reader</c> (the source version, its job, the workspace's MLflow endpoint and run),
    /// or <c>AzureML Data Scientist</c> when the target shares through a registry (publishing is an action on the
    /// source workspace; it also reads the version) — both when the source is also the training workspace;
    /// <c>Reader</c> on the first bound environment's workspace, where models are trained (the
    /// training job and its metrics, named by the lineage tags); <c>AzureML Registry User</c> on the target's
    /// registry; and the login's role on the target's own workspace (registering the version). Empty for the first
    /// environment (nothing is promoted into it) and for environments without a binding or whose previous
    /// environment has none.
    /// </summary>
    /// <param name="definition">The repository.</param>
    /// <param name="environmentName">The environment promoted into.</param>
    /// <returns>The requirements, target workspace first.</returns>
    /// <exception cref="ArgumentException">The environment is not declared.</exception>
    public static IReadOnlyList<PromotionAccessRequirement> For(RepositoryDefinition definition, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(environmentName);
        var index = -1;
        for (var i = 0; i < definition.Environments.Length; i++)
        {
            if (string.Equals(definition.Environments[i].Name, environmentName, StringComparison.OrdinalIgnoreCase))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"Environment '{environmentName}' is not declared in {definition.Repository}.", nameof(environmentName));
        }

        var target = definition.Environments[index];
        if (index == 0 || target.Binding is not { } binding || definition.Environments[index - 1].Binding is not { } sourceBinding)
        {
            return [];
        }

        var name = target.Name;
        var own = binding.Workspace.ResourceId;
        var source = sourceBinding.Workspace.ResourceId;
        var training = definition.Environments.Take(index).First(e => e.Binding is not null).Binding!.Workspace.ResourceId;
        var ownRole = binding.Login is { Kind: WorkspaceLoginKind.Oidc } oidc ? oidc.RoleDefinitionId : AzureBuiltInRoles.AzureMLDataScientist;
        var wanted = new List<PromotionAccessRequirement>
        {
            new(name, own, ownRole, "register the promoted version in the environment's own workspace"),
        };

        // AzureML Data Scientist reads everything under a workspace but not the workspace itself (whose MLflow
        // endpoint the metrics need): Reader stays where metrics are read, or where nothing else grants reads.
        if (binding.Registry is null || string.Equals(source, training, StringComparison.OrdinalIgnoreCase))
        {
            wanted.Add(new(name, source, AzureBuiltInRoles.Reader, "read the source version, its training job and MLflow metrics, and the workspace's MLflow endpoint"));
        }

        if (binding.Registry is { } registry)
        {
            wanted.Add(new(name, source, AzureBuiltInRoles.AzureMLDataScientist, "publish the source version to the registry (an action on the source workspace)"));
        }

        wanted.Add(new(name, training, AzureBuiltInRoles.Reader, "read the training job and its MLflow metrics, which the lineage tags locate in the workspace where models are trained"));
        if (binding.Registry is { } shared)
        {
            wanted.Add(new(name, shared.ResourceId, AzureBuiltInRoles.AzureMLRegistryUser, "read the registry's version, write its lineage tags, and reference it from the target workspace"));
        }

        // One per scope and role; a role another one on the same scope covers is left out.
        var result = new List<PromotionAccessRequirement>();
        foreach (var requirement in wanted)
        {
            var sameScope = wanted.Where(w => w != requirement && string.Equals(w.Scope, requirement.Scope, StringComparison.OrdinalIgnoreCase)).ToList();
            if (result.Any(r => string.Equals(r.Scope, requirement.Scope, StringComparison.OrdinalIgnoreCase) && r.RoleDefinitionId == requirement.RoleDefinitionId) ||
                sameScope.Any(w => w.RoleDefinitionId != requirement.RoleDefinitionId && AzureBuiltInRoles.Covers(w.RoleDefinitionId, requirement.RoleDefinitionId)))
            {
                continue;
            }

            result.Add(requirement);
        }

        return result;
    }
}
