using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Lists the repositories of an organization or a user (every page).</summary>
public interface IGitHubRepositoryLister
{
    /// <summary>Lists every repository of an organization the token can see.</summary>
    /// <param name="organization">The organization's login.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The repositories.</returns>
    /// <exception cref="RemoteServiceException">The organization does not exist (404) or a call failed.</exception>
    Task<IReadOnlyList<GitHubRepositoryListing>> ListOrganizationRepositoriesAsync(string organization, CancellationToken cancellationToken = default);

    /// <summary>Lists every repository a user owns (not those they only collaborate on).</summary>
    /// <param name="user">The user's login.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The repositories.</returns>
    /// <exception cref="RemoteServiceException">The user does not exist (404) or a call failed.</exception>
    Task<IReadOnlyList<GitHubRepositoryListing>> ListUserRepositoriesAsync(string user, CancellationToken cancellationToken = default);
}

/// <summary>One repository as a listing of an organization's or user's repositories shows it.</summary>
public sealed class GitHubRepositoryListing
{
    /// <summary>Creates a value.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="visibility">Its visibility.</param>
    /// <param name="isArchived">Whether it is archived (read-only).</param>
    /// <param name="isFork">Whether it is a fork.</param>
    /// <param name="topics">Its topics.</param>
    public GitHubRepositoryListing(RepositoryId repository, GitHubRepositoryVisibility visibility, bool isArchived, bool isFork, IEnumerable<string>? topics = null)
    {
        Repository = repository;
        Visibility = visibility;
        IsArchived = isArchived;
        IsFork = isFork;
        Topics = topics is null ? [] : [.. topics.Where(t => !string.IsNullOrEmpty(t))];
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository { get; }

    /// <summary>Public, private or internal.</summary>
    public GitHubRepositoryVisibility Visibility { get; }

    /// <summary>Whether it is archived.</summary>
    public bool IsArchived { get; }

    /// <summary>Whether it is a fork.</summary>
    public bool IsFork { get; }

    /// <summary>Its topics (GitHub stores them in lower case).</summary>
    public ImmutableArray<string> Topics { get; }

    /// <summary>Returns <c>owner/name</c>.</summary>
    public override string ToString() => Repository.ToString();
}
