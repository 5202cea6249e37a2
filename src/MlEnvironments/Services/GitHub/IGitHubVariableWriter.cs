using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Creates, updates and deletes environment variables.</summary>
public interface IGitHubVariableWriter
{
    /// <summary>Creates a variable; GitHub answers 409 when it exists.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the variable exists.</returns>
    Task CreateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Updates a variable's value; GitHub answers 404 when it does not exist.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    Task UpdateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a variable.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the variable is gone.</returns>
    Task DeleteEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, CancellationToken cancellationToken = default);
}
