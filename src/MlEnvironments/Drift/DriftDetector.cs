using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;

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
    private readonly IPromotionPointerReader? _pointers;

    /// <summary>Creates a detector.</summary>
    /// <param name="planner">Plans the definition (reads only).</param>
    public DriftDetector(IEnvironmentPlanner planner)
        : this(planner, null)
    {
    }

    /// <summary>Creates a detector that can also compare the Azure-side stage pointers with the ledger.</summary>
    /// <param name="planner">Plans the definition (reads only).</param>
    /// <param name="pointers">Reads the stage pointers (see <see cref="DetectWithStagePointersAsync"/>).</param>
    public DriftDetector(IEnvironmentPlanner planner, IPromotionPointerReader? pointers)
    {
        ArgumentNullException.ThrowIfNull(planner);
        _planner = planner;
        _pointers = pointers;
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

    /// <summary>
    /// Checks one repository, and for each named model, in every environment bound to a workspace, whether the
    /// workspace's stage pointer agrees with the promotion ledger (<see cref="DriftKind.StagePointer"/>). A pointer that
    /// cannot be read (no access, workspace gone) becomes a note of the report, not a failure.
    /// </summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="models">The models whose pointers to compare (none: the same as <see cref="DetectAsync(RepositoryDefinition, CancellationToken)"/>).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">Models were named but the detector has no pointer reader.</exception>
    /// <exception cref="ArgumentException">A model name is not valid (see <see cref="NameRules.CheckModelName"/>).</exception>
    public async Task<DriftReport> DetectWithStagePointersAsync(RepositoryDefinition definition, IEnumerable<string> models, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(models);
        var names = models.Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            if (NameRules.CheckModelName(name ?? throw new ArgumentException("A model name is null.", nameof(models)), nameof(models)) is { } error)
            {
                throw new ArgumentException(error.ToString(), nameof(models));
            }
        }

        if (names.Count > 0 && _pointers is null)
        {
            throw new InvalidOperationException("This detector was created without an IPromotionPointerReader: create it with one to compare stage pointers.");
        }

        var report = await DetectAsync(definition, cancellationToken).ConfigureAwait(false);
        var pointers = new List<PromotionPointerStatus>();
        var notes = new List<string>();
        foreach (var environment in definition.Environments.Where(e => e.Binding is not null))
        {
            foreach (var name in names)
            {
                try
                {
                    pointers.Add(await _pointers!.GetPointerAsync(definition, environment.Name, name, cancellationToken).ConfigureAwait(false));
                }
                catch (MlEnvironmentsException e)
                {
                    notes.Add($"Could not read the stage of model {name} in {environment.Name}'s workspace: {e.Message}");
                }
            }
        }

        return report.WithStagePointers(pointers, notes);
    }
}
