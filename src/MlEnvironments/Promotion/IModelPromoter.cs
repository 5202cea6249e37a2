using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Promotion;

/// <summary>
/// Moves model versions through a repository's environments: evaluates the target's gates, registers the version in
/// the target's workspace with lineage tags, and records every attempt in the <see cref="IPromotionLedger"/>.
/// </summary>
public interface IModelPromoter
{
    /// <summary>Evaluates a promotion without writing anything: the candidate, the champion and every gate's verdict.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="PromotionException">Bad input: an undeclared or unbound environment, a target that is not next, an unknown model or version.</exception>
    Task<PromotionEvaluation> EvaluateAsync(PromotionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Promotes a model version when every gate passes. A failed gate stops before any write to Azure and is recorded in
    /// the ledger as a failed attempt; promoting the target's current version is a no-op that says so; a promotion
    /// interrupted after registering converges when run again.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The result; check <see cref="PromotionResult.Outcome"/>.</returns>
    /// <exception cref="PromotionException">Bad input; nothing was written.</exception>
    /// <exception cref="RemoteServiceException">A call failed; the ledger entry, if started, is marked <c>error</c>.</exception>
    Task<PromotionResult> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Puts the previous successful version of a model back into an environment, recorded as a rollback.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The result.</returns>
    /// <exception cref="PromotionException">Nothing to roll back to, or bad input; nothing was written.</exception>
    Task<PromotionResult> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default);
}
