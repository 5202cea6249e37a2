using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;
using Octokit;

namespace MlEnvironments.GitHub;

/// <summary>
/// Repository facts, OIDC subject claims and reviewer identities. Users, teams, collaborator permissions and
/// repositories are read into Octokit's models, but through paths built by <see cref="GitHubPath"/> (Octokit's typed
/// methods do not escape names); the OIDC template is read into our own type (Octokit's model lacks
/// <c>sub_claim_prefix</c> and <c>use_immutable_subject</c>).
/// </summary>
public sealed class GitHubRepositoryClient : IGitHubRepositoryReader, IGitHubIdentityResolver
{
    private static readonly string[] ReviewingPermissions = ["admin", "maintain", "write", "triage", "read"];
    private readonly GitHubConnection _github;

    internal GitHubRepositoryClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public Task<GitHubRepositoryInfo> GetRepositoryAsync(RepositoryId repository, CancellationToken cancellationToken = default) =>
        GitHubConnection.RunAsync("repos/get", repository, async () =>
        {
            var repo = await _github.GetAsync<Repository>("repos/get", repository, GitHubPath.Repository(repository), cancellationToken).ConfigureAwait(false);
            var visibility = repo.Visibility switch
            {
                RepositoryVisibility.Internal => GitHubRepositoryVisibility.Internal,
                RepositoryVisibility.Private => GitHubRepositoryVisibility.Private,
                RepositoryVisibility.Public => GitHubRepositoryVisibility.Public,
                _ => repo.Private ? GitHubRepositoryVisibility.Private : GitHubRepositoryVisibility.Public,
            };
            return MlEnvironmentsModelFactory.GitHubRepositoryInfo(
                RepositoryId.Create(repo.Owner.Login, repo.Name), repo.Id, repo.Owner.Id, visibility, repo.DefaultBranch ?? "main");
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<GitHubOidcSubjectClaim> GetOidcSubjectClaimAsync(RepositoryId repository, CancellationToken cancellationToken = default)
    {
        var dto = await _github.GetAsync<OidcSubjectClaimDto>("actions/get-custom-oidc-sub-claim-for-repo", repository,
            GitHubPath.Repository(repository).Literal("actions/oidc/customization/sub"), cancellationToken).ConfigureAwait(false);
        var prefix = dto.SubClaimPrefix;
        if (string.IsNullOrEmpty(prefix))
        {
            // Servers that predate sub_claim_prefix (GitHub Enterprise Server) use the default template.
            var info = await GetRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
            prefix = dto.UseImmutableSubject == true
                ? $"repo:{info.Repository.Owner}@{info.OwnerId}/{info.Repository.Name}@{info.Id}"
                : $"repo:{info.Repository}";
        }

        return MlEnvironmentsModelFactory.GitHubOidcSubjectClaim(prefix, dto.UseDefault, dto.IncludeClaimKeys, dto.UseImmutableSubject ?? false);
    }

    /// <inheritdoc />
    public Task<ReviewerResolution> ResolveReviewerAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        return reviewer.Kind == ReviewerKind.User
            ? ResolveUserAsync(repository, reviewer, cancellationToken)
            : ResolveTeamAsync(repository, reviewer, cancellationToken);
    }

    private async Task<ReviewerResolution> ResolveUserAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken)
    {
        var user = await GitHubConnection.RunOrNullAsync("users/get-by-username", repository,
            () => _github.GetAsync<User>("users/get-by-username", repository, GitHubPath.Root("users").Name(reviewer.Name, nameof(reviewer)), cancellationToken), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return ReviewerResolution.NotFound(reviewer);
        }

        var permission = await GitHubConnection.RunOrNullAsync("repos/get-collaborator-permission-level", repository,
            () => _github.GetAsync<CollaboratorPermissionResponse>("repos/get-collaborator-permission-level", repository,
                GitHubPath.Repository(repository).Literal("collaborators").Name(reviewer.Name, nameof(reviewer)).Literal("permission"), cancellationToken), cancellationToken).ConfigureAwait(false);
        var level = permission?.Permission ?? "none";
        return ReviewingPermissions.Contains(level, StringComparer.OrdinalIgnoreCase)
            ? ReviewerResolution.Resolved(reviewer, user.Id)
            : ReviewerResolution.NoAccess(reviewer, user.Id, $"User '{reviewer.Name}' has no access to {repository} (permission: {level}).");
    }

    private async Task<ReviewerResolution> ResolveTeamAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken)
    {
        var team = await GitHubConnection.RunOrNullAsync("teams/get-by-name", repository,
            () => _github.GetAsync<Team>("teams/get-by-name", repository,
                GitHubPath.Root("orgs").Name(repository.Owner, nameof(repository)).Literal("teams").Name(reviewer.Name, nameof(reviewer)), cancellationToken), cancellationToken).ConfigureAwait(false);
        if (team is null)
        {
            return ReviewerResolution.NotFound(reviewer);
        }

        // 204 (or 200) when the team has access to the repository, 404 when it has none.
        string path = GitHubPath.Root("orgs").Name(repository.Owner, nameof(repository)).Literal("teams").Name(reviewer.Name, nameof(reviewer))
            .Literal("repos").Name(repository.Owner, nameof(repository)).Name(repository.Name, nameof(repository));
        var access = await GitHubConnection.RunOrNullAsync("teams/check-permissions-for-repo-in-org", repository,
            async () => (object)(await _github.GetAsync<object>("teams/check-permissions-for-repo-in-org", repository, path, cancellationToken).ConfigureAwait(false) ?? "no content"),
            cancellationToken).ConfigureAwait(false);
        return access is not null
            ? ReviewerResolution.Resolved(reviewer, team.Id)
            : ReviewerResolution.NoAccess(reviewer, team.Id, $"Team '{reviewer.Name}' has no access to {repository}; give it at least read access.");
    }
}
