using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Files one issue per subject in a repository: finds the open issue that carries a marker, opens one, replaces its
/// title and body, and closes it with a comment. Used by the drift check to keep one issue per repository.
/// </summary>
public interface IGitHubIssues
{
    /// <summary>
    /// Finds the oldest open issue whose body contains <paramref name="marker"/> (<c>issues/list-for-repo</c>,
    /// <c>state=open</c>, every page; pull requests are skipped).
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="marker">Text only the wanted issue's body holds, e.g. an HTML comment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The issue, or <see langword="null"/> when no open issue carries the marker.</returns>
    Task<GitHubIssue?> FindOpenIssueAsync(RepositoryId repository, string marker, CancellationToken cancellationToken = default);

    /// <summary>Opens an issue (<c>issues/create</c>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="title">The title.</param>
    /// <param name="body">The body (Markdown; at most <see cref="GitHubIssue.MaxBodyLength"/> characters).</param>
    /// <param name="cancellationToken">Cancels the call (Octokit's writes take no token: it is checked before the call).</param>
    /// <returns>The issue.</returns>
    Task<GitHubIssue> CreateIssueAsync(RepositoryId repository, string title, string body, CancellationToken cancellationToken = default);

    /// <summary>Replaces an issue's title and body (<c>issues/update</c>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="number">The issue's number.</param>
    /// <param name="title">The new title.</param>
    /// <param name="body">The new body (at most <see cref="GitHubIssue.MaxBodyLength"/> characters).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated issue.</returns>
    Task<GitHubIssue> UpdateIssueAsync(RepositoryId repository, long number, string title, string body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Comments on an issue (<c>issues/create-comment</c>), then closes it as completed (<c>issues/update</c> with
    /// <c>state=closed</c>, <c>state_reason=completed</c>).
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="number">The issue's number.</param>
    /// <param name="comment">The comment (Markdown).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The closed issue.</returns>
    Task<GitHubIssue> CloseIssueAsync(RepositoryId repository, long number, string comment, CancellationToken cancellationToken = default);
}

/// <summary>An issue as GitHub reports it. Create instances in tests with <see cref="MlEnvironmentsModelFactory"/>.</summary>
public sealed class GitHubIssue
{
    /// <summary>The most characters GitHub accepts in an issue's body or a comment (65,536).</summary>
    public const int MaxBodyLength = 65_536;

    internal GitHubIssue(long number, string title, string body, bool isOpen, Uri? htmlUrl, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        Number = number;
        Title = title;
        Body = body;
        IsOpen = isOpen;
        HtmlUrl = htmlUrl;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The issue's number in its repository.</summary>
    public long Number { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The body (empty when it has none).</summary>
    public string Body { get; }

    /// <summary>Whether the issue is open.</summary>
    public bool IsOpen { get; }

    /// <summary>The issue's page, when GitHub gave it.</summary>
    public Uri? HtmlUrl { get; }

    /// <summary>When the issue was opened.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the issue was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns <c>#number title</c>.</summary>
    public override string ToString() => $"#{Number} {Title}";
}
