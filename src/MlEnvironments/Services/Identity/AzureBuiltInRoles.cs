using System;

namespace MlEnvironments.Identity;

/// <summary>
/// The Azure built-in roles MlEnvironments assigns or checks, by the role definition GUIDs Microsoft documents (the
/// same in every tenant): what each promotion step needs is listed in the README ("Azure roles a promotion needs").
/// </summary>
public static class AzureBuiltInRoles
{
    /// <summary><c>Reader</c>: every read action (<c>*/read</c>), no write.</summary>
    public const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    /// <summary><c>Contributor</c>: every action except managing access (role assignments).</summary>
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    /// <summary><c>Owner</c>: every action, including managing access.</summary>
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    /// <summary>
    /// <c>AzureML Data Scientist</c>: every read, write, delete and action under a workspace
    /// (<c>Microsoft.MachineLearningServices/workspaces/*/…</c>) except compute and the workspace resource itself.
    /// </summary>
    public const string AzureMLDataScientist = WorkspaceLogin.AzureMLDataScientistRoleId;

    /// <summary><c>AzureML Registry User</c>: reads a registry and every action on its assets (<c>registries/read</c>, <c>registries/assets/*</c>).</summary>
    public const string AzureMLRegistryUser = "1823dd4f-9b8c-4ab6-ab4e-7397a3684615";

    /// <summary>The name of a built-in role given by GUID or role definition ARM id, or <c>role {guid}</c> for any other.</summary>
    /// <param name="roleDefinitionId">The role's GUID or role definition ARM id.</param>
    /// <returns>The name.</returns>
    public static string NameOf(string roleDefinitionId)
    {
        if (!RoleAssignments.TryGetRoleGuid(roleDefinitionId, out var role))
        {
            return "role " + roleDefinitionId;
        }

        return role.ToString("D") switch
        {
            Reader => "Reader",
            Contributor => "Contributor",
            Owner => "Owner",
            AzureMLDataScientist => "AzureML Data Scientist",
            AzureMLRegistryUser => "AzureML Registry User",
            var other => "role " + other,
        };
    }

    /// <summary>
    /// Whether holding one built-in role grants everything another is needed for in a promotion: the same role,
    /// <c>Owner</c>, or <c>Contributor</c> (all but access management). Other roles are compared only for equality.
    /// </summary>
    /// <param name="held">The role held (GUID or ARM id).</param>
    /// <param name="needed">The role needed (GUID or ARM id).</param>
    /// <returns>Whether <paramref name="held"/> covers <paramref name="needed"/>.</returns>
    public static bool Covers(string held, string needed)
    {
        if (!RoleAssignments.TryGetRoleGuid(held, out var h) || !RoleAssignments.TryGetRoleGuid(needed, out var n))
        {
            return false;
        }

        var heldText = h.ToString("D");
        return h == n || heldText == Owner || (heldText == Contributor && n.ToString("D") != Owner);
    }
}
