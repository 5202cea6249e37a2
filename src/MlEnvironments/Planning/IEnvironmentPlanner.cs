using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Planning;

/// <summary>Compares definitions with what a repository really has.</summary>
public interface IEnvironmentPlanner
{
    /// <summary>
    /// Validates the definition (throwing before any call when it is invalid), reads the repository through the
    /// read-only interfaces, and returns the plan.
    /// </summary>
    /// <param name="definition">The desired state.</param>
    /// <param name="options">How to treat secrets and undeclared things; <see langword="null"/> for the configured defaults.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ValidationFailedException">The definition is invalid; nothing was read.</exception>
    Task<RepositoryPlan> PlanAsync(RepositoryDefinition definition, PlanOptions? options = null, CancellationToken cancellationToken = default);
}
