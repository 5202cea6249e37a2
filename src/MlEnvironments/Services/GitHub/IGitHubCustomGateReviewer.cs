using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Answers a custom deployment protection rule (<c>actions/review-custom-gates-for-run</c>). GitHub accepts this only from
/// the App that provides the rule, with its installation token.
/// </summary>
public interface IGitHubCustomGateReviewer
{
    /// <summary>Approves or rejects a run's deployment to an environment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run (from the webhook's <c>deployment_callback_url</c>).</param>
    /// <param name="environmentName">The environment, exactly as the webhook named it.</param>
    /// <param name="state"><see cref="GitHubReviewState.Approved"/> or <see cref="GitHubReviewState.Rejected"/>.</param>
    /// <param name="comment">A Markdown comment, at most 1024 characters (longer text is cut).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub accepted the answer.</returns>
    Task ReviewCustomGateAsync(RepositoryId repository, long runId, string environmentName, GitHubReviewState state, string? comment, CancellationToken cancellationToken = default);
}
