using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Identity;

/// <summary>Reads role assignments.</summary>
public interface IRoleAssignmentReader
{
    /// <summary>Lists the role assignments at a scope (and above it) for a principal, or all when none is given.</summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="principalId">Only this principal's assignments; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The assignments.</returns>
    Task<IReadOnlyList<RoleAssignmentData>> ListRoleAssignmentsAsync(string scope, Guid? principalId = null, CancellationToken cancellationToken = default);
}
