using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Planning;

/// <summary>Executes plans: the only component that writes to GitHub.</summary>
public interface IEnvironmentApplier
{
    /// <summary>
    /// Resolves every secret reference and every reviewer first (throwing before any write when one fails), then
    /// executes the plan's changes in a safe order and stops at the first failure. Applying again after a failure
    /// (plan, then apply) converges.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Cancels the remaining writes.</param>
    /// <returns>One result per change.</returns>
    /// <exception cref="ValidationFailedException">A secret reference or a reviewer could not be resolved; nothing was written.</exception>
    Task<ApplyResult> ApplyAsync(RepositoryPlan plan, CancellationToken cancellationToken = default);
}
