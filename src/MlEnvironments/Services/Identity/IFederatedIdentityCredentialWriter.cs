using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Identity;

/// <summary>Creates, updates and deletes federated identity credentials.</summary>
public interface IFederatedIdentityCredentialWriter
{
    /// <summary>Creates or updates a credential.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="credential">The credential.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credential as stored.</returns>
    Task<FederatedIdentityCredentialData> CreateOrUpdateFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, FederatedIdentityCredentialData credential, CancellationToken cancellationToken = default);

    /// <summary>Deletes a credential.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="name">The credential's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is gone.</returns>
    Task DeleteFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default);
}
