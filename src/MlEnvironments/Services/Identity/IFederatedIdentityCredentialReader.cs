using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Identity;

/// <summary>Reads the federated identity credentials of a user-assigned identity.</summary>
public interface IFederatedIdentityCredentialReader
{
    /// <summary>Lists the credentials of an identity (at most 20 exist).</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credentials.</returns>
    Task<IReadOnlyList<FederatedIdentityCredentialData>> ListFederatedIdentityCredentialsAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default);

    /// <summary>Gets one credential.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="name">The credential's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credential, or <see langword="null"/>.</returns>
    Task<FederatedIdentityCredentialData?> GetFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default);
}
