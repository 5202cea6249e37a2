using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>Compares the Azure-side "current" pointer (ModelVersion <c>stage</c> and tags) with the promotion ledger.</summary>
public interface IPromotionPointerReader
{
    /// <summary>Reads which versions the workspace of an environment marks current, and whether that agrees with the ledger.</summary>
    /// <param name="definition">The repository (for the environment's workspace binding).</param>
    /// <param name="environment">The environment.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The pointer, with <see cref="PromotionPointerStatus.IsDrift"/> when it disagrees with the ledger.</returns>
    /// <exception cref="PromotionException">The environment is not declared or not bound to a workspace.</exception>
    Task<PromotionPointerStatus> GetPointerAsync(RepositoryDefinition definition, string environment, string modelName, CancellationToken cancellationToken = default);
}

/// <summary>The Azure-side pointer of one model in one environment, next to the ledger's answer.</summary>
public sealed class PromotionPointerStatus
{
    internal PromotionPointerStatus(string environment, string modelName, WorkspaceId workspace, string? ledgerVersion, long? ledgerDeploymentId, ImmutableArray<string> markedVersions)
    {
        Environment = environment;
        ModelName = modelName;
        Workspace = workspace;
        LedgerVersion = ledgerVersion;
        LedgerDeploymentId = ledgerDeploymentId;
        MarkedVersions = markedVersions;
    }

    /// <summary>The environment.</summary>
    public string Environment { get; }

    /// <summary>The model.</summary>
    public string ModelName { get; }

    /// <summary>The environment's workspace.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The version the ledger says is current; <see langword="null"/> when nothing was promoted there.</summary>
    public string? LedgerVersion { get; }

    /// <summary>The ledger entry that made it current.</summary>
    public long? LedgerDeploymentId { get; }

    /// <summary>The versions the workspace marks current for the environment (by <c>stage</c> or the <c>mlenv.current.environment</c> tag).</summary>
    public ImmutableArray<string> MarkedVersions { get; }

    /// <summary>Whether the workspace disagrees with the ledger: it marks another version, more than one, or none while the ledger has one.</summary>
    public bool IsDrift => LedgerVersion is null
        ? !MarkedVersions.IsEmpty
        : MarkedVersions.Length != 1 || !string.Equals(MarkedVersions[0], LedgerVersion, StringComparison.Ordinal);

    /// <summary>Returns one line for a human.</summary>
    public override string ToString()
    {
        var marked = MarkedVersions.IsEmpty ? "no version" : (MarkedVersions.Length == 1 ? "version " : "versions ") + string.Join(", ", MarkedVersions);
        var ledger = LedgerVersion is null ? "nothing promoted" : $"{ModelName}@{LedgerVersion} (#{LedgerDeploymentId})";
        return IsDrift
            ? $"Drift in {Environment}: the ledger says {ledger}, but workspace '{Workspace.WorkspaceName}' marks {marked} as its stage. " +
              (LedgerVersion is null ? "Clear that stage in the workspace." : "Promote or roll back to it again (mlenv promote / mlenv rollback) to move the stage.")
            : $"{Environment}: workspace '{Workspace.WorkspaceName}' marks {marked} as current, as the ledger says.";
    }
}

/// <summary>Reads the pointer through the model version reader and the ledger.</summary>
public sealed class PromotionPointerReader : IPromotionPointerReader
{
    private readonly IPromotionLedger _ledger;
    private readonly IModelVersionReader _models;

    /// <summary>Creates the reader.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="models">Reads the workspace's versions.</param>
    public PromotionPointerReader(IPromotionLedger ledger, IModelVersionReader models)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(models);
        _ledger = ledger;
        _models = models;
    }

    /// <inheritdoc />
    public async Task<PromotionPointerStatus> GetPointerAsync(RepositoryDefinition definition, string environment, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(modelName);
        var target = definition.Environments.FirstOrDefault(e => string.Equals(e.Name, environment, StringComparison.OrdinalIgnoreCase))
            ?? throw new PromotionException(PromotionErrors.EnvironmentNotDeclared, $"The environment '{environment}' is not declared for {definition.Repository}.");
        var workspace = target.Binding?.Workspace ?? throw new PromotionException(PromotionErrors.EnvironmentNotBound,
            $"Environment '{target.Name}' has no workspace binding: there is no Azure-side pointer to read.");
        var current = await _ledger.GetCurrentAsync(definition.Repository, target.Name, modelName, cancellationToken).ConfigureAwait(false);
        var versions = await _models.ListModelVersionsAsync(workspace, modelName, cancellationToken).ConfigureAwait(false);
        var marked = versions.Where(v => PromotionPointer.Marks(v, target.Name)).Select(v => v.Version).Order(StringComparer.Ordinal).ToImmutableArray();
        return new PromotionPointerStatus(target.Name, modelName, workspace, current?.Version, current?.DeploymentId, marked);
    }
}
