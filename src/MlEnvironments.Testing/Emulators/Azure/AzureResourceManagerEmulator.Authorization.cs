using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using MlEnvironments.Identity;

namespace MlEnvironments.Testing;

/// <summary>
/// Role-based access control as ARM applies it, when <see cref="AzureResourceManagerEmulatorOptions.EnforceRoleAssignments"/>
/// is on: each operation is one action on one scope; the caller (the token's <c>oid</c>) needs an assignment at that
/// scope or above of a role whose actions match it (<c>*</c> matches any characters) and whose not-actions do not.
/// </summary>
public sealed partial class AzureResourceManagerEmulator
{
    private const string MlActions = "Microsoft.MachineLearningServices/";

    /// <summary>The action each operation performs (what a custom role would list).</summary>
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["Workspaces_ListByResourceGroup"] = MlActions + "workspaces/read",
        ["Workspaces_Get"] = MlActions + "workspaces/read",
        ["ModelContainers_List"] = MlActions + "workspaces/models/read",
        ["ModelContainers_Get"] = MlActions + "workspaces/models/read",
        ["ModelVersions_List"] = MlActions + "workspaces/models/versions/read",
        ["ModelVersions_Get"] = MlActions + "workspaces/models/versions/read",
        ["ModelVersions_CreateOrUpdate"] = MlActions + "workspaces/models/versions/write",
        ["ModelVersions_Publish"] = MlActions + "workspaces/models/versions/publish/action",
        ["Jobs_List"] = MlActions + "workspaces/jobs/read",
        ["Jobs_Get"] = MlActions + "workspaces/jobs/read",
        ["RegistryModelVersions_Get"] = MlActions + "registries/assets/read",
        ["RegistryModelVersions_CreateOrUpdate"] = MlActions + "registries/assets/write",
        ["MLflow_GetRun"] = MlActions + "workspaces/experiments/runs/read",
        ["MLflow_GetMetricHistory"] = MlActions + "workspaces/experiments/runs/read",
        ["UserAssignedIdentities_Get"] = "Microsoft.ManagedIdentity/userAssignedIdentities/read",
        ["FederatedIdentityCredentials_List"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
        ["FederatedIdentityCredentials_Get"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
        ["FederatedIdentityCredentials_CreateOrUpdate"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
        ["FederatedIdentityCredentials_Delete"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete",
        ["RoleAssignments_ListForScope"] = "Microsoft.Authorization/roleAssignments/read",
        ["RoleAssignments_Create"] = "Microsoft.Authorization/roleAssignments/write",
    };

    /// <summary>The built-in roles the emulator knows, with their actions and not-actions as Microsoft publishes them.</summary>
    private static readonly Dictionary<string, (Regex[] Actions, Regex[] NotActions)> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        [AzureBuiltInRoles.Owner] = (Patterns("*"), []),
        [AzureBuiltInRoles.Contributor] = (Patterns("*"), Patterns(
            "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete")),
        [AzureBuiltInRoles.Reader] = (Patterns("*/read"), []),
        [AzureBuiltInRoles.AzureMLDataScientist] = (Patterns(
            MlActions + "workspaces/*/read", MlActions + "workspaces/*/action", MlActions + "workspaces/*/delete", MlActions + "workspaces/*/write"), Patterns(
            MlActions + "workspaces/delete", MlActions + "workspaces/write", MlActions + "workspaces/computes/*/write",
            MlActions + "workspaces/computes/*/delete", MlActions + "workspaces/computes/listKeys/action", MlActions + "workspaces/listKeys/action",
            MlActions + "workspaces/hubs/write", MlActions + "workspaces/hubs/delete", MlActions + "workspaces/featurestores/write",
            MlActions + "workspaces/featurestores/delete")),
        [AzureBuiltInRoles.AzureMLRegistryUser] = (Patterns(MlActions + "registries/read", MlActions + "registries/assets/*"), []),
    };

    /// <summary>Whether a role the emulator knows allows an action (for tests of the table itself).</summary>
    internal static bool RoleAllows(string roleDefinitionId, string action)
    {
        if (!RoleAssignments.TryGetRoleGuid(roleDefinitionId, out var role) || !Roles.TryGetValue(role.ToString("D"), out var definition))
        {
            return false;
        }

        return definition.Actions.Any(a => a.IsMatch(action)) && !definition.NotActions.Any(n => n.IsMatch(action));
    }

    private static Regex[] Patterns(params string[] patterns) =>
        [.. patterns.Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];

    private ArmAnswer? Authorize(HttpContext http, Route route)
    {
        // Polls of a long-running operation are authorised by the operation that started it.
        if (!_options.EnforceRoleAssignments || !Actions.TryGetValue(route.Operation, out var action))
        {
            return null;
        }

        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        if (!TryReadPrincipal(token, out var principal, out var client))
        {
            return ArmAnswer.Error(401, "InvalidAuthenticationToken",
                "The access token does not name its principal (no 'oid' claim), so no role assignment can apply to it.");
        }

        var scope = ScopeOf(http, route);
        var allowed = Identity.RoleAssignments.Any(a => a.PrincipalId == principal &&
                                                        InMemoryAzureIdentity.AppliesAt(a.Scope, scope) &&
                                                        RoleAllows(a.RoleDefinitionId, action));
        return allowed
            ? null
            : ArmAnswer.Error(403, "AuthorizationFailed",
                $"The client '{client}' with object id '{principal:D}' does not have authorization to perform action '{action}' over scope '{scope}' " +
                "or the scope is invalid. If access was recently granted, please refresh your credentials.");
    }

    /// <summary>The scope ARM authorises a request on: the resource's id (for MLflow, the workspace's; for publish, the version's).</summary>
    private static string ScopeOf(HttpContext http, Route route)
    {
        var path = (http.Request.Path.Value ?? string.Empty).TrimEnd('/');
        if (route.IsMlflow)
        {
            const string prefix = "/mlflow/v1.0";
            var start = path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? prefix.Length : 0;
            var end = path.IndexOf("/api/2.0/mlflow", StringComparison.OrdinalIgnoreCase);
            return end > start ? path[start..end] : path;
        }

        return route.Operation == "ModelVersions_Publish" && path.EndsWith("/publish", StringComparison.OrdinalIgnoreCase)
            ? path[..^"/publish".Length]
            : path;
    }

    /// <summary>Reads <c>oid</c> (and <c>appid</c>) from a JWT-shaped token's payload without checking a signature: the emulator trusts its tokens.</summary>
    private static bool TryReadPrincipal(string token, out Guid principal, out string client)
    {
        principal = Guid.Empty;
        client = string.Empty;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            if (claims.RootElement.ValueKind != JsonValueKind.Object ||
                !claims.RootElement.TryGetProperty("oid", out var oid) || oid.ValueKind != JsonValueKind.String ||
                !Guid.TryParse(oid.GetString(), out principal))
            {
                return false;
            }

            client = claims.RootElement.TryGetProperty("appid", out var appid) && appid.ValueKind == JsonValueKind.String
                ? appid.GetString() ?? principal.ToString("D")
                : principal.ToString("D");
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }
}
