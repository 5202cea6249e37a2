using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;

namespace MlEnvironments.GitHub;

/// <summary>
/// Owners' plans (<c>orgs/get</c>, <c>users/get-authenticated</c>) and repository listings
/// (<c>repos/list-for-org</c>, <c>repos/list-for-user</c>, every page through <c>Link</c> headers).
/// </summary>
public sealed class GitHubAccountClient : IGitHubAccountPlanReader, IGitHubRepositoryLister
{
    private readonly GitHubConnection _github;

    internal GitHubAccountClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    /// <remarks>
    /// Asks <c>GET /orgs/{owner}</c> first: GitHub includes <c>plan</c> only for the organization's owners. When the
    /// owner is not an organization (404), asks <c>GET /user</c>, which carries <c>plan</c> when the token is that
    /// user's. Two requests at most; any 401/403/404 answer means "not visible".
    /// </remarks>
    public async Task<GitHubPlan?> GetOwnerPlanAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            var organization = await GitHubConnection.RunOrNullAsync("orgs/get", null,
                () => _github.GetAsync<AccountDto>("orgs/get", null, GitHubPath.Root("orgs").Name(owner, nameof(owner)), cancellationToken), cancellationToken).ConfigureAwait(false);
            if (organization is not null)
            {
                return ToPlan(organization.Plan?.Name);
            }

            var user = await GitHubConnection.RunOrNullAsync("users/get-authenticated", null,
                () => _github.GetAsync<AccountDto>("users/get-authenticated", null, GitHubPath.Root("user"), cancellationToken), cancellationToken).ConfigureAwait(false);
            return user is not null && string.Equals(user.Login, owner, StringComparison.OrdinalIgnoreCase) ? ToPlan(user.Plan?.Name) : null;
        }
        catch (GitHubException e) when (e.StatusCode is 401 or 403)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubRepositoryListing>> ListOrganizationRepositoriesAsync(string organization, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organization);
        var listed = await _github.GetAllAsync<List<ListedRepositoryDto>, ListedRepositoryDto>(
            "repos/list-for-org", null, GitHubPath.Root("orgs").Name(organization, nameof(organization)).Literal("repos"), 100,
            page => page, new Dictionary<string, string> { ["type"] = "all" }, cancellationToken).ConfigureAwait(false);
        return [.. listed.Select(ToModel)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubRepositoryListing>> ListUserRepositoriesAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var listed = await _github.GetAllAsync<List<ListedRepositoryDto>, ListedRepositoryDto>(
            "repos/list-for-user", null, GitHubPath.Root("users").Name(user, nameof(user)).Literal("repos"), 100,
            page => page, new Dictionary<string, string> { ["type"] = "owner" }, cancellationToken).ConfigureAwait(false);
        return [.. listed.Select(ToModel)];
    }

    /// <summary>GitHub's plan names: <c>free</c>, <c>pro</c>, <c>team</c>, <c>enterprise</c> (and older names of paid plans, not mapped).</summary>
    private static GitHubPlan? ToPlan(string? name) => name?.ToLowerInvariant() switch
    {
        "free" => GitHubPlan.Free,
        "pro" => GitHubPlan.Pro,
        "team" => GitHubPlan.Team,
        "enterprise" or "enterprise_cloud" or "business_plus" => GitHubPlan.Enterprise,
        _ => null,
    };

    private static GitHubRepositoryListing ToModel(ListedRepositoryDto dto)
    {
        var visibility = dto.Visibility?.ToLowerInvariant() switch
        {
            "internal" => GitHubRepositoryVisibility.Internal,
            "private" => GitHubRepositoryVisibility.Private,
            "public" => GitHubRepositoryVisibility.Public,
            _ => dto.Private ? GitHubRepositoryVisibility.Private : GitHubRepositoryVisibility.Public,
        };
        return new GitHubRepositoryListing(RepositoryId.Create(dto.Owner?.Login ?? string.Empty, dto.Name ?? string.Empty), visibility, dto.Archived, dto.Fork, dto.Topics);
    }

    private sealed class AccountDto
    {
        public string? Login { get; set; }

        public PlanDto? Plan { get; set; }
    }

    private sealed class PlanDto
    {
        public string? Name { get; set; }
    }

    private sealed class OwnerDto
    {
        public string? Login { get; set; }
    }

    private sealed class ListedRepositoryDto
    {
        public string? Name { get; set; }

        public OwnerDto? Owner { get; set; }

        public bool Private { get; set; }

        public string? Visibility { get; set; }

        public bool Archived { get; set; }

        public bool Fork { get; set; }

        public List<string>? Topics { get; set; }
    }
}
