using System;
using System.Security.Cryptography;
using System.Text;

namespace MlEnvironments.Identity;

/// <summary>
/// The conventions of role assignments shared by every implementation: how role ids are read, how scopes are
/// written, and the stable name MlEnvironments gives an assignment, so that applying again finds the same one.
/// </summary>
public static class RoleAssignments
{
    private const string RoleDefinitionsSegment = "/providers/Microsoft.Authorization/roleDefinitions/";

    // The UUID v5 namespace of MlEnvironments' role assignment names (RFC 4122, SHA-1).
    private static readonly Guid NameNamespace = new("5a0c3b8e-7d41-5e2b-9f63-2c8e4d1a6b70");

    /// <summary>
    /// The name of the assignment of a role to a principal on a scope: a version 5 UUID of the lower-cased scope, the
    /// role's GUID and the principal, so the same three always give the same name.
    /// </summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">The scope or the role is malformed.</exception>
    public static Guid AssignmentName(string scope, string roleDefinitionId, Guid principalId)
    {
        var text = $"{NormalizeScope(scope).ToLowerInvariant()}|{RoleGuid(roleDefinitionId):D}|{principalId:D}";
        Span<byte> namespaceBytes = stackalloc byte[16];
        NameNamespace.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(text)];
        namespaceBytes.CopyTo(input);
        Encoding.UTF8.GetBytes(text, input.AsSpan(16));
#pragma warning disable CA5350 // UUID v5 is defined on SHA-1; this is a name, not a security boundary.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Reads the role's GUID from a role definition's ARM id or from a bare GUID.</summary>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <param name="role">The GUID, when the text is valid.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryGetRoleGuid(string? roleDefinitionId, out Guid role)
    {
        role = Guid.Empty;
        if (string.IsNullOrWhiteSpace(roleDefinitionId))
        {
            return false;
        }

        var text = roleDefinitionId.Trim().TrimEnd('/');
        var last = text[(text.LastIndexOf('/') + 1)..];
        return Guid.TryParse(last, out role) &&
               (last.Length == text.Length || text.Contains(RoleDefinitionsSegment, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads the role's GUID from a role definition's ARM id or from a bare GUID.</summary>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <returns>The GUID.</returns>
    /// <exception cref="ArgumentException">The text is neither.</exception>
    public static Guid RoleGuid(string roleDefinitionId) =>
        TryGetRoleGuid(roleDefinitionId, out var role)
            ? role
            : throw new ArgumentException($"'{roleDefinitionId}' is neither a role definition's ARM id nor a role's GUID.", nameof(roleDefinitionId));

    /// <summary>Writes a scope as ARM does: one leading slash, no trailing slash.</summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <returns>The normalised scope.</returns>
    /// <exception cref="ArgumentException">The scope is empty or malformed.</exception>
    public static string NormalizeScope(string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        var trimmed = "/" + scope.Trim().Trim('/');
        if (trimmed.Length == 1 || trimmed.Contains("//", StringComparison.Ordinal) || trimmed.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{scope}' is not an ARM scope such as /subscriptions/{{id}}/resourceGroups/{{group}}.", nameof(scope));
        }

        return trimmed;
    }

    /// <summary>The role definition's ARM id for a role given by GUID, in the scope's subscription; ARM ids are kept as they are.</summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <returns>The role definition's ARM id.</returns>
    public static string FullRoleDefinitionId(string scope, string roleDefinitionId)
    {
        var role = RoleGuid(roleDefinitionId);
        if (roleDefinitionId.Contains('/', StringComparison.Ordinal))
        {
            return roleDefinitionId.Trim().TrimEnd('/');
        }

        var parts = NormalizeScope(scope).Trim('/').Split('/');
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            ? $"/subscriptions/{parts[1]}{RoleDefinitionsSegment}{role:D}"
            : $"{RoleDefinitionsSegment}{role:D}";
    }
}
