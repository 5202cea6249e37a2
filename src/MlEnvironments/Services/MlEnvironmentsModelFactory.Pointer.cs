using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using MlEnvironments.Promotion;

namespace MlEnvironments;

/// <summary>The Azure-side pointer's output model, for substitutes of <see cref="IPromotionPointerReader"/>.</summary>
public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="Promotion.PromotionPointerStatus"/>.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="workspace">The environment's workspace.</param>
    /// <param name="ledgerVersion">The version the ledger says is current (default none).</param>
    /// <param name="ledgerDeploymentId">The ledger entry that made it current (default none).</param>
    /// <param name="markedVersions">The versions the workspace marks current (default none).</param>
    /// <returns>The model.</returns>
    public static PromotionPointerStatus PromotionPointerStatus(
        string environment,
        string modelName,
        WorkspaceId workspace,
        string? ledgerVersion = null,
        long? ledgerDeploymentId = null,
        IEnumerable<string>? markedVersions = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(modelName);
        return new Promotion.PromotionPointerStatus(environment, modelName, workspace, ledgerVersion, ledgerDeploymentId, markedVersions?.ToImmutableArray() ?? []);
    }
}
