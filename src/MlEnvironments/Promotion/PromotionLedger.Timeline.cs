using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Promotion;

/// <summary>Time travel over the ledger.</summary>
public sealed partial class PromotionLedger
{
    /// <inheritdoc />
    async Task<PromotionRecord?> IPromotionTimeline.GetCurrentAsync(RepositoryId repository, string environment, string modelName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(modelName);
        var history = await GetHistoryAsync(repository, environment, modelName, cancellationToken).ConfigureAwait(false);
        return CurrentAt(history, at);
    }

    /// <summary>The entry current at a moment among one model's entries (see <see cref="IPromotionTimeline.GetCurrentAsync"/>).</summary>
    /// <param name="history">The model's entries in one environment, in any order.</param>
    /// <param name="at">The moment.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public static PromotionRecord? CurrentAt(IEnumerable<PromotionRecord> history, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history
            .Where(r => r.State == PromotionState.Succeeded && r.CompletedAt is { } completed && completed <= at)
            .OrderByDescending(r => r.CompletedAt)
            .ThenByDescending(r => r.DeploymentId)
            .FirstOrDefault();
    }
}
