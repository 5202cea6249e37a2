using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Turns logins and team slugs into the numeric ids GitHub wants, and checks that they can review.</summary>
public interface IGitHubIdentityResolver
{
    /// <summary>Resolves a reviewer and checks that it has at least read access to the repository.</summary>
    /// <param name="repository">The repository whose deployments it would review.</param>
    /// <param name="reviewer">The user or team.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolution; a missing user or team is a result, not an exception.</returns>
    Task<ReviewerResolution> ResolveReviewerAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken = default);
}
