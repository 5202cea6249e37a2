using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Promotion;

/// <summary>Answers "which version was current in an environment at a given moment" from the promotion ledger.</summary>
public interface IPromotionTimeline
{
    /// <summary>
    /// Gets the ledger entry whose version was current in an environment at <paramref name="at"/>: of the entries that
    /// succeeded at or before that moment (promotions and rollbacks alike; a rollback makes its version current
    /// again), the one that succeeded last. Failed, refused and unfinished entries never made anything current.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="at">The moment.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The entry, or <see langword="null"/> when nothing had been promoted there by then.</returns>
    Task<PromotionRecord?> GetCurrentAsync(RepositoryId repository, string environment, string modelName, DateTimeOffset at, CancellationToken cancellationToken = default);
}
