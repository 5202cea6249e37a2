using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>A GitHub billing plan, which decides which environment features private and internal repositories get.</summary>
public enum GitHubPlan
{
    /// <summary>GitHub Free: a private repository has no environments at all.</summary>
    Free,

    /// <summary>GitHub Pro (personal accounts): private repositories get environments, secrets, variables and branch policies, not protection rules.</summary>
    Pro,

    /// <summary>GitHub Team (organizations): as <see cref="Pro"/>.</summary>
    Team,

    /// <summary>GitHub Enterprise: every environment feature in every repository.</summary>
    Enterprise,
}

/// <summary>Reads the billing plan of a repository's owner, where the token may see it.</summary>
public interface IGitHubAccountPlanReader
{
    /// <summary>
    /// Gets the plan of an organization (GitHub shows it to the organization's owners only) or of a user (GitHub
    /// shows it only to that user, on <c>GET /user</c>).
    /// </summary>
    /// <param name="owner">The organization or user login.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The plan, or <see langword="null"/> when the token cannot see it.</returns>
    Task<GitHubPlan?> GetOwnerPlanAsync(string owner, CancellationToken cancellationToken = default);
}
