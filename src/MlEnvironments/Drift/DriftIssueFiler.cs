using System;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Drift;

/// <summary>What <see cref="DriftIssueFiler.FileAsync"/> did.</summary>
public enum DriftIssueAction
{
    /// <summary>Nothing: no drift, and no open drift issue.</summary>
    None,

    /// <summary>Drift, and no open drift issue: one was opened.</summary>
    Opened,

    /// <summary>Drift, and the open drift issue's body was replaced by the new report.</summary>
    Updated,

    /// <summary>Drift, and the open drift issue already showed this report: nothing was written.</summary>
    Unchanged,

    /// <summary>No drift any more: the open drift issue was closed with a comment.</summary>
    Closed,
}

/// <summary>The outcome of filing a drift report.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Issue">The issue opened, updated, left or closed; <see langword="null"/> for <see cref="DriftIssueAction.None"/>.</param>
public sealed record DriftIssueResult(DriftIssueAction Action, GitHubIssue? Issue)
{
    /// <summary>One line, e.g. <c>Opened issue #12 (https://…)</c>.</summary>
    public override string ToString() => Issue is null
        ? "No drift issue to open or close."
        : $"{Action} drift issue #{Issue.Number}{(Issue.HtmlUrl is null ? string.Empty : " (" + Issue.HtmlUrl + ")")}.";
}

/// <summary>
/// Keeps one issue per repository about its drift: opens it when drift appears, replaces its body with each new
/// report while drift remains (never a second issue), and closes it with a comment when the drift is gone. The issue
/// is found again by a marker (an HTML comment naming the repository) at the top of its body.
/// </summary>
public sealed class DriftIssueFiler
{
    private readonly IGitHubIssues _issues;

    /// <summary>Creates a filer.</summary>
    /// <param name="issues">Files issues (needs <c>issues: write</c>).</param>
    public DriftIssueFiler(IGitHubIssues issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        _issues = issues;
    }

    /// <summary>The marker the drift issue of a repository carries at the top of its body.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>An HTML comment, invisible in the rendered issue.</returns>
    public static string Marker(RepositoryId repository) => $"<!-- mlenv-drift {repository} -->";

    /// <summary>The title of the drift issue of a repository.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The title.</returns>
    public static string Title(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Drift: GitHub environments of {report.Repository} differ from the definition";
    }

    /// <summary>The body of the drift issue: the marker, the Markdown report (cut to fit GitHub's 65,536 characters) and a footer.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The body.</returns>
    public static string Body(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string Footer = "\n---\n_Filed by `mlenv drift --open-issues`: updated while the drift remains, closed when it is gone. Fix it by applying the definition (`mlenv apply`) or by changing the definition._\n";
        var marker = Marker(report.Repository) + "\n";
        return marker + report.ToMarkdown(GitHubIssue.MaxBodyLength - marker.Length - Footer.Length) + Footer;
    }

    /// <summary>Opens, updates or closes the repository's drift issue to match a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done, and the issue.</returns>
    public async Task<DriftIssueResult> FileAsync(DriftReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var repository = report.Repository;
        var open = await _issues.FindOpenIssueAsync(repository, Marker(repository), cancellationToken).ConfigureAwait(false);
        if (!report.HasDrift)
        {
            if (open is null)
            {
                return new DriftIssueResult(DriftIssueAction.None, null);
            }

            var closed = await _issues.CloseIssueAsync(repository, open.Number,
                "No drift any more: GitHub matches the definition again (`mlenv drift`). Closing.", cancellationToken).ConfigureAwait(false);
            return new DriftIssueResult(DriftIssueAction.Closed, closed);
        }

        var title = Title(report);
        var body = Body(report);
        if (open is null)
        {
            return new DriftIssueResult(DriftIssueAction.Opened, await _issues.CreateIssueAsync(repository, title, body, cancellationToken).ConfigureAwait(false));
        }

        if (string.Equals(open.Body.ReplaceLineEndings("\n"), body.ReplaceLineEndings("\n"), StringComparison.Ordinal) && string.Equals(open.Title, title, StringComparison.Ordinal))
        {
            return new DriftIssueResult(DriftIssueAction.Unchanged, open);
        }

        return new DriftIssueResult(DriftIssueAction.Updated, await _issues.UpdateIssueAsync(repository, open.Number, title, body, cancellationToken).ConfigureAwait(false));
    }
}
