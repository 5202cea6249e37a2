using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using MlEnvironments.Azure.Http;
using MlEnvironments.Azure.Wire;
using MlEnvironments.Identity;

namespace MlEnvironments.Azure;

/// <summary>
/// Role assignments over ARM (<c>Microsoft.Authorization/roleAssignments</c>, api-version 2022-04-01 by default).
/// An assignment is created under a name derived from scope, role and principal
/// (<see cref="GetRoleAssignmentName"/>), so that running it again finds the same one; an answer
/// <c>409 RoleAssignmentExists</c> (the same assignment under another name) counts as success.
/// </summary>
public sealed class AzureRoleAssignmentClient : IRoleAssignmentReader, IRoleAssignmentWriter
{
    internal const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string RoleDefinitionsSegment = "/providers/Microsoft.Authorization/roleDefinitions/";

    private readonly ArmConnection _arm;

    internal AzureRoleAssignmentClient(ArmConnection arm) => _arm = arm;

    /// <summary>
    /// The name MlEnvironments gives the assignment of a role to a principal on a scope: a version 5 UUID of the
    /// lower-cased scope, the role definition's GUID and the principal, so the same three always give the same name.
    /// </summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <returns>The name.</returns>
    public static Guid GetRoleAssignmentName(string scope, string roleDefinitionId, Guid principalId) =>
        RoleAssignments.AssignmentName(NormalizeScope(scope), roleDefinitionId, principalId);

    /// <inheritdoc />
    public async Task<RoleAssignmentData> CreateRoleAssignmentAsync(string scope, string roleDefinitionId, Guid principalId, CancellationToken cancellationToken = default)
    {
        const string operation = "RoleAssignments_Create";
        var normalizedScope = NormalizeScope(scope);
        var roleId = FullRoleDefinitionId(normalizedScope, roleDefinitionId);
        var name = GetRoleAssignmentName(normalizedScope, roleDefinitionId, principalId).ToString("D");
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = roleId,
                ["principalId"] = principalId.ToString("D"),
                ["principalType"] = _arm.Options.RoleAssignmentPrincipalType,
            },
        };
        var uri = _arm.ArmUri($"{ArmConnection.EscapeResourcePath(normalizedScope)}/providers/Microsoft.Authorization/roleAssignments/{name}", RoleAssignmentType);
        var response = await _arm.SendAsync(operation, RequestMethod.Put, uri, body, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && ArmConnection.Error(operation, response).ErrorCode == "RoleAssignmentExists")
        {
            var existing = await ListRoleAssignmentsAsync(normalizedScope, principalId, cancellationToken).ConfigureAwait(false);
            return existing.FirstOrDefault(a => SameScope(a.Scope, normalizedScope) && RoleGuid(a.RoleDefinitionId) == RoleGuid(roleId))
                   ?? MlEnvironmentsModelFactory.RoleAssignmentData(name, normalizedScope, roleId, principalId, _arm.Options.RoleAssignmentPrincipalType);
        }

        if (!response.IsSuccess)
        {
            throw ArmConnection.Error(operation, response);
        }

        return (response.HasContent ? Map(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoRoleAssignmentPropertiesDto), normalizedScope) : null)
               ?? MlEnvironmentsModelFactory.RoleAssignmentData(name, normalizedScope, roleId, principalId, _arm.Options.RoleAssignmentPrincipalType);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Asks ARM with <c>$filter=principalId eq '…'</c> (or <c>atScope()</c> without a principal) and keeps the
    /// assignments at the scope and above it (ARM's principal filter also answers those below).
    /// </remarks>
    public async Task<IReadOnlyList<RoleAssignmentData>> ListRoleAssignmentsAsync(string scope, Guid? principalId = null, CancellationToken cancellationToken = default)
    {
        var normalizedScope = NormalizeScope(scope);
        var filter = principalId is { } principal ? $"principalId eq '{principal:D}'" : "atScope()";
        var assignments = await _arm.ListAsync("RoleAssignments_ListForScope",
            _arm.ArmUri($"{ArmConnection.EscapeResourcePath(normalizedScope)}/providers/Microsoft.Authorization/roleAssignments", RoleAssignmentType, ("$filter", filter)),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoRoleAssignmentPropertiesDto,
            dto => Map(dto, null), nullOnNotFound: false, cancellationToken).ConfigureAwait(false);
        return [.. assignments!.Where(a => AppliesAt(a.Scope, normalizedScope) && (principalId is null || a.PrincipalId == principalId))];
    }

    internal static RoleAssignmentData? Map(ArmResourceDto<RoleAssignmentPropertiesDto> dto, string? requestedScope)
    {
        var properties = dto.Properties;
        ArmResourceId.TrySplitRoleAssignmentId(dto.Id, out var idScope, out var idName);
        var name = dto.Name ?? (idName.Length > 0 ? idName : null);
        var scope = properties?.Scope ?? (idScope.Length > 0 ? idScope : requestedScope);
        if (name is null || scope is null || properties?.RoleDefinitionId is null || properties.PrincipalId is null)
        {
            return null;
        }

        return MlEnvironmentsModelFactory.RoleAssignmentData(name, scope, properties.RoleDefinitionId, properties.PrincipalId.Value, properties.PrincipalType);
    }

    internal static string NormalizeScope(string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        var trimmed = "/" + scope.Trim().Trim('/');
        if (trimmed.Length == 1)
        {
            throw new ArgumentException("The scope must be an ARM id such as /subscriptions/{id}/resourceGroups/{group}.", nameof(scope));
        }

        ArmConnection.EscapeResourcePath(trimmed);
        return trimmed;
    }

    internal static Guid RoleGuid(string roleDefinitionId) => RoleAssignments.RoleGuid(roleDefinitionId);

    internal static string FullRoleDefinitionId(string scope, string roleDefinitionId)
    {
        var role = RoleGuid(roleDefinitionId);
        if (roleDefinitionId.Contains('/', StringComparison.Ordinal))
        {
            return roleDefinitionId.Trim().TrimEnd('/');
        }

        var subscription = ArmResourceId.TryParse(scope)?.SubscriptionId;
        return subscription is null
            ? $"{RoleDefinitionsSegment}{role:D}"
            : $"/subscriptions/{subscription}{RoleDefinitionsSegment}{role:D}";
    }

    private static bool SameScope(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether an assignment at <paramref name="assignmentScope"/> applies at <paramref name="scope"/> (the same or an ancestor).</summary>
    internal static bool AppliesAt(string assignmentScope, string scope)
    {
        var outer = assignmentScope.TrimEnd('/');
        var inner = scope.TrimEnd('/');
        return outer.Length == 0 ||
               string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase) ||
               inner.StartsWith(outer + "/", StringComparison.OrdinalIgnoreCase);
    }
}
