using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Issues over GitHub's REST API (raw calls through Octokit's connection, in our wire types, like the other clients):
/// <c>issues/list-for-repo</c>, <c>issues/create</c>, <c>issues/update</c> and <c>issues/create-comment</c>. The
/// token needs <c>issues: write</c> (<c>GITHUB_TOKEN</c> with <c>permissions: issues: write</c> in a workflow).
/// </summary>
public sealed class GitHubIssueClient : IGitHubIssues
{
    private readonly GitHubConnection _github;

    internal GitHubIssueClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<GitHubIssue?> FindOpenIssueAsync(RepositoryId repository, string marker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var query = new Dictionary<string, string>(StringComparer.Ordinal) { ["state"] = "open", ["sort"] = "created", ["direction"] = "asc" };
        var issues = await _github.GetAllAsync<List<IssueDto>, IssueDto>(
            "issues/list-for-repo", repository, GitHubPath.Repository(repository).Literal("issues"), 100, page => page, query, cancellationToken).ConfigureAwait(false);
        return issues
            .Where(i => i.PullRequest is null && i.Body is not null && i.Body.Contains(marker, StringComparison.Ordinal))
            .OrderBy(i => i.Number)
            .Select(ToModel)
            .FirstOrDefault();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The title is blank, or the body is longer than <see cref="GitHubIssue.MaxBodyLength"/>; nothing was sent.</exception>
    public async Task<GitHubIssue> CreateIssueAsync(RepositoryId repository, string title, string body, CancellationToken cancellationToken = default)
    {
        Check(title, body);
        var dto = await _github.PostAsync<IssueCreateDto, IssueDto>("issues/create", repository,
            GitHubPath.Repository(repository).Literal("issues"), new IssueCreateDto { Title = title, Body = body }, cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The title is blank, or the body is longer than <see cref="GitHubIssue.MaxBodyLength"/>; nothing was sent.</exception>
    public async Task<GitHubIssue> UpdateIssueAsync(RepositoryId repository, long number, string title, string body, CancellationToken cancellationToken = default)
    {
        Check(title, body);
        var dto = await _github.PatchAsync<IssueEditDto, IssueDto>("issues/update", repository, IssuePath(repository, number),
            new IssueEditDto { Title = title, Body = body }, cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The comment is empty or longer than <see cref="GitHubIssue.MaxBodyLength"/>; nothing was sent.</exception>
    public async Task<GitHubIssue> CloseIssueAsync(RepositoryId repository, long number, string comment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(comment);
        Check("comment", comment);
        await _github.PostAsync<IssueCommentCreateDto, object>("issues/create-comment", repository, IssuePath(repository, number).Literal("comments"),
            new IssueCommentCreateDto { Body = comment }, cancellationToken).ConfigureAwait(false);
        var dto = await _github.PatchAsync<IssueCloseDto, IssueDto>("issues/update", repository, IssuePath(repository, number),
            new IssueCloseDto(), cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    private static GitHubPath IssuePath(RepositoryId repository, long number) =>
        GitHubPath.Repository(repository).Literal("issues").Id(number);

    private static void Check(string title, string body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > GitHubIssue.MaxBodyLength)
        {
            throw new ArgumentException($"GitHub takes at most {GitHubIssue.MaxBodyLength} characters in an issue's body or comment; this one has {body.Length}.", nameof(body));
        }
    }

    private static GitHubIssue ToModel(IssueDto dto) =>
        MlEnvironmentsModelFactory.GitHubIssue(
            dto.Number,
            dto.Title ?? string.Empty,
            dto.Body,
            !string.Equals(dto.State, "closed", StringComparison.Ordinal),
            Uri.TryCreate(dto.HtmlUrl, UriKind.Absolute, out var url) ? url : null,
            dto.CreatedAt,
            dto.UpdatedAt);
}
