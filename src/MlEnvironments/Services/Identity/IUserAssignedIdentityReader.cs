using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Identity;

/// <summary>Reads user-assigned managed identities.</summary>
public interface IUserAssignedIdentityReader
{
    /// <summary>Gets an identity (its client, principal and tenant ids).</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The identity, or <see langword="null"/> when it does not exist.</returns>
    Task<UserAssignedIdentityData?> GetIdentityAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default);
}
