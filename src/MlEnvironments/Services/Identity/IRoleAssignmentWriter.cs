using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Identity;

/// <summary>Creates role assignments.</summary>
public interface IRoleAssignmentWriter
{
    /// <summary>
    /// Assigns a role to a principal on a scope, under a name derived from the three (so that running it again
    /// finds the same assignment); an assignment that already exists counts as success.
    /// </summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The assignment.</returns>
    Task<RoleAssignmentData> CreateRoleAssignmentAsync(string scope, string roleDefinitionId, Guid principalId, CancellationToken cancellationToken = default);
}
