using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Owners (organizations and users) with their GitHub plan, repository listings (topics, archived, forks), and
/// GitHub's plan gate on environment writes.
/// </content>
public sealed partial class InMemoryGitHub : IGitHubAccountPlanReader, IGitHubRepositoryLister
{
    /// <summary>GitHub's answer to a protected setting in a private repository on GitHub Pro or Team (HTTP 422).</summary>
    internal const string PlanGateMessage = "Fail to create protected rule, please ensure billing plan include protected branch gate.";

    private readonly Dictionary<string, OwnerRecord> _owners = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<RepositoryId, ListingRecord> _listings = [];

    /// <summary>
    /// Sets an owner's kind and GitHub plan. With a plan, the fake enforces GitHub's plan gate on the owner's private
    /// and internal repositories: on GitHub Free, writing an environment answers 404; on GitHub Pro and Team,
    /// writing required reviewers, a wait timer, prevent self-review or no administrator bypass answers 422
    /// <c>Fail to create protected rule, please ensure billing plan include protected branch gate.</c>, and enabling
    /// a custom protection rule answers 422. Without a plan (the default), nothing is enforced.
    /// </summary>
    /// <param name="login">The organization or user login.</param>
    /// <param name="isOrganization">Whether it is an organization (<c>orgs/get</c> answers) or a user.</param>
    /// <param name="plan">The plan to enforce; <see langword="null"/> for none.</param>
    /// <param name="planVisible">
    /// Whether the token may see the plan (an organization's owner; for a user, the user's own token, whose
    /// <c>GET /user</c> answers with this login); default true.
    /// </param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub ConfigureOwner(string login, bool isOrganization = true, GitHubPlan? plan = null, bool planVisible = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(login);
        lock (_gate)
        {
            _owners[login] = new OwnerRecord(login, isOrganization, plan, planVisible, ++_nextId);
        }

        return this;
    }

    /// <summary>Adds a repository as a listing of its owner's repositories shows it (added when unknown).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="visibility">Its visibility.</param>
    /// <param name="topics">Its topics.</param>
    /// <param name="archived">Whether it is archived.</param>
    /// <param name="fork">Whether it is a fork.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub SeedRepository(RepositoryId repository, GitHubRepositoryVisibility visibility = GitHubRepositoryVisibility.Public, IEnumerable<string>? topics = null, bool archived = false, bool fork = false)
    {
        AddRepository(repository);
        lock (_gate)
        {
            _repositories[repository].Visibility = visibility;
            _listings[repository] = new ListingRecord(archived, fork, topics?.Select(t => t.ToLowerInvariant()).ToArray() ?? []);
        }

        return this;
    }

    /// <inheritdoc />
    public Task<GitHubPlan?> GetOwnerPlanAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return Run("orgs/get", false, owner, null, null, cancellationToken, () =>
            _owners.TryGetValue(owner, out var record) && record.PlanVisible ? record.Plan : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubRepositoryListing>> ListOrganizationRepositoriesAsync(string organization, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organization);
        return Run("repos/list-for-org", false, organization, null, null, cancellationToken, () =>
            OwnerKind(organization) == true ? ListOf(organization) : throw Error("repos/list-for-org", 404, "Not Found"));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubRepositoryListing>> ListUserRepositoriesAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return Run("repos/list-for-user", false, user, null, null, cancellationToken, () =>
            OwnerKind(user) == false ? ListOf(user) : throw Error("repos/list-for-user", 404, "Not Found"));
    }

    /// <summary>Whether an owner is an organization (true), a user (false) or unknown (null); an owner of repositories defaults to an organization.</summary>
    internal bool? OwnerKind(string owner)
    {
        lock (_gate)
        {
            if (_owners.TryGetValue(owner, out var record))
            {
                return record.IsOrganization;
            }

            return _repositories.Keys.Any(r => string.Equals(r.Owner, owner, StringComparison.OrdinalIgnoreCase)) ? true : null;
        }
    }

    /// <summary>The owner as configured, for the emulator's <c>orgs/get</c> and <c>users/get-authenticated</c>.</summary>
    internal (string Login, long Id, bool IsOrganization, GitHubPlan? Plan, bool PlanVisible)? PeekOwnerAccount(string owner)
    {
        lock (_gate)
        {
            return _owners.TryGetValue(owner, out var r) ? (r.Login, r.Id, r.IsOrganization, r.Plan, r.PlanVisible) : null;
        }
    }

    /// <summary>The user whose own token the emulator's <c>GET /user</c> answers for: a configured user whose plan is visible.</summary>
    internal (string Login, long Id, GitHubPlan? Plan)? PeekAuthenticatedUser()
    {
        lock (_gate)
        {
            return _owners.Values.Where(o => !o.IsOrganization && o.PlanVisible).Select(o => ((string, long, GitHubPlan?)?)(o.Login, o.Id, o.Plan)).FirstOrDefault();
        }
    }

    /// <summary>The repository's visibility and its owner's enforced plan, for the emulator's gate.</summary>
    internal (GitHubRepositoryVisibility Visibility, GitHubPlan? Plan) PlanGateOf(RepositoryId repository)
    {
        lock (_gate)
        {
            var visibility = _repositories.TryGetValue(repository, out var record) ? record.Visibility : GitHubRepositoryVisibility.Public;
            return (visibility, _owners.TryGetValue(repository.Owner, out var owner) ? owner.Plan : null);
        }
    }

    /// <summary>Throws GitHub's answer when the plan gate refuses a write (called under the lock by the writers).</summary>
    private void CheckPlanGate(RepositoryId repository, string operation, bool writesProtectedSettings)
    {
        var visibility = _repositories.TryGetValue(repository, out var record) ? record.Visibility : GitHubRepositoryVisibility.Public;
        if (visibility == GitHubRepositoryVisibility.Public || !_owners.TryGetValue(repository.Owner, out var owner))
        {
            return;
        }

        switch (owner.Plan)
        {
            case GitHubPlan.Free:
                throw Error(operation, 404, "Not Found");
            case GitHubPlan.Pro or GitHubPlan.Team when writesProtectedSettings:
                throw Error(operation, 422, PlanGateMessage);
        }
    }

    private IReadOnlyList<GitHubRepositoryListing> ListOf(string owner) =>
        [.. _repositories.Values
            .Where(r => string.Equals(r.Name.Owner, owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Id)
            .Select(r => _listings.TryGetValue(r.Name, out var l)
                ? new GitHubRepositoryListing(r.Name, r.Visibility, l.Archived, l.Fork, l.Topics)
                : new GitHubRepositoryListing(r.Name, r.Visibility, false, false))];

    private sealed record OwnerRecord(string Login, bool IsOrganization, GitHubPlan? Plan, bool PlanVisible, long Id);

    private sealed record ListingRecord(bool Archived, bool Fork, string[] Topics);
}
