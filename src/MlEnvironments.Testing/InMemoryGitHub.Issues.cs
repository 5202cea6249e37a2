using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Issues and their comments, as GitHub keeps them: numbers start at 1 in each repository; a title is required; a
/// body or comment holds at most 65,536 characters (422 otherwise); closing sets <c>closed_at</c>; unknown repositories
/// and issues answer 404. Issues are created and commented on as <see cref="CurrentUserLogin"/> (or
/// <c>github-actions[bot]</c> for a token without a user).
/// </content>
public sealed partial class InMemoryGitHub : IGitHubIssues
{
    private readonly Dictionary<RepositoryId, List<IssueRecord>> _issues = [];

    /// <summary>Every issue of a repository (open and closed), by number.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The issues.</returns>
    public IReadOnlyList<GitHubIssue> GetIssues(RepositoryId repository)
    {
        lock (_gate)
        {
            return _issues.TryGetValue(repository, out var issues) ? [.. issues.Select(i => i.ToModel(repository))] : [];
        }
    }

    /// <summary>The comments of an issue, oldest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="number">The issue's number.</param>
    /// <returns>The comments' bodies.</returns>
    public IReadOnlyList<string> GetIssueComments(RepositoryId repository, long number)
    {
        lock (_gate)
        {
            return _issues.TryGetValue(repository, out var issues) && issues.FirstOrDefault(i => i.Number == number) is { } issue
                ? [.. issue.Comments.Select(c => c.Body)]
                : [];
        }
    }

    /// <inheritdoc />
    public async Task<GitHubIssue?> FindOpenIssueAsync(RepositoryId repository, string marker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var open = await ListIssuesAsync(repository, "open", cancellationToken).ConfigureAwait(false);
        return open.OrderBy(i => i.Number).FirstOrDefault(i => i.Body.Contains(marker, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public Task<GitHubIssue> CreateIssueAsync(RepositoryId repository, string title, string body, CancellationToken cancellationToken = default)
    {
        const string operation = "issues/create";
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(body);
        return Run(operation, true, repository, null, null, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            if (string.IsNullOrWhiteSpace(title))
            {
                throw Error(operation, 422, "Validation Failed: title can't be blank.");
            }

            CheckBody(operation, body);
            if (!_issues.TryGetValue(repository, out var issues))
            {
                issues = [];
                _issues.Add(repository, issues);
            }

            var now = _time.GetUtcNow();
            var issue = new IssueRecord(++_nextId, issues.Count + 1, IssueAuthor(), now) { Title = title, Body = body, UpdatedAt = now };
            issues.Add(issue);
            return issue.ToModel(repository);
        });
    }

    /// <inheritdoc />
    public Task<GitHubIssue> UpdateIssueAsync(RepositoryId repository, long number, string title, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(body);
        return PatchIssueAsync(repository, number, title, body, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<GitHubIssue> CloseIssueAsync(RepositoryId repository, long number, string comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        await CommentOnIssueAsync(repository, number, comment, cancellationToken).ConfigureAwait(false);
        return await PatchIssueAsync(repository, number, null, null, "closed", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The issues of a repository in a state (<c>open</c>, <c>closed</c> or <c>all</c>), newest first (GitHub's default order).</summary>
    internal Task<IReadOnlyList<GitHubIssue>> ListIssuesAsync(RepositoryId repository, string state, CancellationToken cancellationToken)
    {
        const string operation = "issues/list-for-repo";
        return Run(operation, false, repository, null, null, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            var issues = _issues.TryGetValue(repository, out var list) ? list : [];
            return (IReadOnlyList<GitHubIssue>)[.. issues
                .Where(i => state == "all" || (state == "closed") == (i.ClosedAt is not null))
                .OrderByDescending(i => i.Number)
                .Select(i => i.ToModel(repository))];
        });
    }

    /// <summary>Changes an issue's title, body or state; <see langword="null"/> leaves a field as it is.</summary>
    internal Task<GitHubIssue> PatchIssueAsync(RepositoryId repository, long number, string? title, string? body, string? state, CancellationToken cancellationToken)
    {
        const string operation = "issues/update";
        return Run(operation, true, repository, null, number.ToString(CultureInfo.InvariantCulture), cancellationToken, () =>
        {
            var issue = Issue(repository, number, operation);
            if (title is not null && string.IsNullOrWhiteSpace(title))
            {
                throw Error(operation, 422, "Validation Failed: title can't be blank.");
            }

            if (body is not null)
            {
                CheckBody(operation, body);
            }

            var now = _time.GetUtcNow();
            issue.Title = title ?? issue.Title;
            issue.Body = body ?? issue.Body;
            if (state == "closed" && issue.ClosedAt is null)
            {
                issue.ClosedAt = now;
            }
            else if (state == "open")
            {
                issue.ClosedAt = null;
            }

            issue.UpdatedAt = now;
            return issue.ToModel(repository);
        });
    }

    /// <summary>Adds a comment to an issue; returns the comment's id, author and time.</summary>
    internal Task<(long Id, string Author, DateTimeOffset CreatedAt)> CommentOnIssueAsync(RepositoryId repository, long number, string body, CancellationToken cancellationToken)
    {
        const string operation = "issues/create-comment";
        return Run(operation, true, repository, null, number.ToString(CultureInfo.InvariantCulture), cancellationToken, () =>
        {
            var issue = Issue(repository, number, operation);
            if (string.IsNullOrEmpty(body))
            {
                throw Error(operation, 422, "Validation Failed: body can't be blank.");
            }

            CheckBody(operation, body);
            var now = _time.GetUtcNow();
            var comment = new IssueCommentRecord(++_nextId, body, IssueAuthor(), now);
            issue.Comments.Add(comment);
            issue.UpdatedAt = now;
            return (comment.Id, comment.Author, now);
        });
    }

    /// <summary>The login an issue or comment is written as.</summary>
    internal string IssueAuthor() => _currentUserLogin ?? ActionsBot;

    /// <summary>What the emulator answers about an issue besides its model: its id, author, comment count and closing time.</summary>
    internal (long Id, string Author, int Comments, DateTimeOffset? ClosedAt) PeekIssue(RepositoryId repository, long number)
    {
        lock (_gate)
        {
            var issue = _issues[repository].First(i => i.Number == number);
            return (issue.Id, issue.Author, issue.Comments.Count, issue.ClosedAt);
        }
    }

    private IssueRecord Issue(RepositoryId repository, long number, string operation)
    {
        _ = Repository(repository, operation);
        return _issues.TryGetValue(repository, out var issues) && issues.FirstOrDefault(i => i.Number == number) is { } issue
            ? issue
            : throw Error(operation, 404, $"Not Found: issue {number}.");
    }

    private static void CheckBody(string operation, string body)
    {
        if (body.Length > GitHubIssue.MaxBodyLength)
        {
            throw Error(operation, 422, $"Validation Failed: body is too long (maximum is {GitHubIssue.MaxBodyLength} characters).");
        }
    }

    private sealed class IssueRecord(long id, long number, string author, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public long Number { get; } = number;

        public string Author { get; } = author;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public string Title { get; set; } = string.Empty;

        public string Body { get; set; } = string.Empty;

        public DateTimeOffset UpdatedAt { get; set; }

        public DateTimeOffset? ClosedAt { get; set; }

        public List<IssueCommentRecord> Comments { get; } = [];

        public GitHubIssue ToModel(RepositoryId repository) =>
            MlEnvironmentsModelFactory.GitHubIssue(Number, Title, Body, ClosedAt is null,
                new Uri($"https://github.com/{repository.Owner}/{repository.Name}/issues/{Number.ToString(CultureInfo.InvariantCulture)}"), CreatedAt, UpdatedAt);
    }

    private sealed record IssueCommentRecord(long Id, string Body, string Author, DateTimeOffset CreatedAt);
}
