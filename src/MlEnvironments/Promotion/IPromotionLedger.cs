using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Promotion;

/// <summary>
/// Reads the promotion ledger: every promotion attempt is a GitHub deployment (task <see cref="PromotionLedger.Task"/>)
/// to the target environment, whose payload holds the model, version, metrics and verdicts, and whose statuses say how
/// it ended. The ledger answers "what is in prod, since when, approved by whom".
/// </summary>
public interface IPromotionLedger
{
    /// <summary>Lists the promotion attempts into an environment, newest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="modelName">Only this model; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The entries, newest first.</returns>
    Task<IReadOnlyList<PromotionRecord>> GetHistoryAsync(RepositoryId repository, string environment, string? modelName = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the version of a model currently promoted into an environment: the newest successful entry.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The entry, or <see langword="null"/> when the model was never promoted there.</returns>
    Task<PromotionRecord?> GetCurrentAsync(RepositoryId repository, string environment, string modelName, CancellationToken cancellationToken = default);
}
