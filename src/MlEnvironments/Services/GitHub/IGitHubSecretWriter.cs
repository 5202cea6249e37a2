using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Sets and deletes environment secrets.</summary>
public interface IGitHubSecretWriter
{
    /// <summary>
    /// Creates or replaces a secret. The caller gives the plaintext; implementations seal it with the environment's
    /// public key before it leaves the process and never log it.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="secretName">The secret's name.</param>
    /// <param name="value">The plaintext value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the secret is stored.</returns>
    Task SetEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, [SecretPlaintext] string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="secretName">The secret's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the secret is gone.</returns>
    Task DeleteEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, CancellationToken cancellationToken = default);
}
