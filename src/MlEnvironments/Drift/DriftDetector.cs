using System;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.Planning;

namespace MlEnvironments.Drift;

/// <summary>
/// Finds a repository's drift: plans the definition with <see cref="PlanOptions.DetectDrift"/> (no pruning, existing
/// secrets left alone) through the planner, which reads only, and reports the plan as a <see cref="DriftReport"/>.
/// With the Azure provider registered, the planner also plans the Azure side of workspace bindings, so that a
/// federated credential or role assignment that was removed or changed is reported.
/// </summary>
public sealed class DriftDetector
{
    private readonly IEnvironmentPlanner _planner;

    /// <summary>Creates a detector.</summary>
    /// <param name="planner">Plans the definition (reads only).</param>
    public DriftDetector(IEnvironmentPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(planner);
        _planner = planner;
    }

    /// <summary>Checks one repository.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report.</returns>
    public async Task<DriftReport> DetectAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var plan = await _planner.PlanAsync(definition, new PlanOptions { DetectDrift = true }, cancellationToken).ConfigureAwait(false);
        return DriftReport.FromPlan(plan);
    }
}
