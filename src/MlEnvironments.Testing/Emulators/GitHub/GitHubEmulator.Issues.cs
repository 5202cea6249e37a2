using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Issues: list (<c>state</c> open, closed or all; newest first; paged), create, update (title, body, state) and
/// comment, over the fake's issues, answered in the <c>issue</c> and <c>issue-comment</c> shapes.
/// </content>
public sealed partial class GitHubEmulator
{
    private Task<EmulatorResult>? DispatchIssuesAsync(RequestContext c) => c.Operation.Id switch
    {
        "issues/list-for-repo" => ListIssuesAsync(c),
        "issues/create" => CreateIssueAsync(c),
        "issues/update" => UpdateIssueAsync(c),
        "issues/create-comment" => CreateIssueCommentAsync(c),
        _ => null,
    };

    private async Task<EmulatorResult> ListIssuesAsync(RequestContext c)
    {
        var state = Query(c, "state") ?? "open";
        if (state is not ("open" or "closed" or "all"))
        {
            return ValidationFailed(c, "state must be one of open, closed, all.");
        }

        var issues = await State.ListIssuesAsync(c.Repository, state, c.CancellationToken).ConfigureAwait(false);
        return PageArray(c, issues, 30, 100, i => IssueJson(c.Repository, i));
    }

    private async Task<EmulatorResult> CreateIssueAsync(RequestContext c)
    {
        var title = c.TryGetBodyProperty("title", out var titleElement) ? Text(titleElement) : null;
        if (title is null)
        {
            return ValidationFailed(c, "title wasn't supplied.");
        }

        var body = c.TryGetBodyProperty("body", out var bodyElement) ? Text(bodyElement) ?? string.Empty : string.Empty;
        var issue = await State.CreateIssueAsync(c.Repository, title, body, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(201, IssueJson(c.Repository, issue));
    }

    private async Task<EmulatorResult> UpdateIssueAsync(RequestContext c)
    {
        var title = c.TryGetBodyProperty("title", out var titleElement) ? Text(titleElement) : null;
        var body = c.TryGetBodyProperty("body", out var bodyElement) ? Text(bodyElement) : null;
        var state = c.TryGetBodyProperty("state", out var stateElement) ? stateElement.GetString() : null;
        var issue = await State.PatchIssueAsync(c.Repository, c.LongParameter("issue_number"), title, body, state, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, IssueJson(c.Repository, issue));
    }

    private async Task<EmulatorResult> CreateIssueCommentAsync(RequestContext c)
    {
        c.TryGetBodyProperty("body", out var bodyElement);
        var number = c.LongParameter("issue_number");
        var (id, author, createdAt) = await State.CommentOnIssueAsync(c.Repository, number, bodyElement.GetString() ?? string.Empty, c.CancellationToken).ConfigureAwait(false);
        var issueApi = Json.RepositoryApi(c.Repository) + "/issues/" + number.ToString(CultureInfo.InvariantCulture);
        var idText = id.ToString(CultureInfo.InvariantCulture);
        return EmulatorResult.Json(201, new JsonObject
        {
            ["id"] = id,
            ["node_id"] = "IC_" + idText,
            ["url"] = Json.RepositoryApi(c.Repository) + "/issues/comments/" + idText,
            ["html_url"] = $"https://github.com/{c.Repository.Owner}/{c.Repository.Name}/issues/{number.ToString(CultureInfo.InvariantCulture)}#issuecomment-{idText}",
            ["issue_url"] = issueApi,
            ["body"] = bodyElement.GetString(),
            ["user"] = Creator(author),
            ["author_association"] = "CONTRIBUTOR",
            ["created_at"] = Timestamp(createdAt),
            ["updated_at"] = Timestamp(createdAt),
        });
    }

    // GitHub takes a title as a string or a number.
    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private JsonObject IssueJson(RepositoryId repository, GitHubIssue issue)
    {
        var (id, author, comments, closedAt) = State.PeekIssue(repository, issue.Number);
        var api = Json.RepositoryApi(repository);
        var number = issue.Number.ToString(CultureInfo.InvariantCulture);
        var url = api + "/issues/" + number;
        return new JsonObject
        {
            ["id"] = id,
            ["node_id"] = "I_" + id.ToString(CultureInfo.InvariantCulture),
            ["url"] = url,
            ["repository_url"] = api,
            ["labels_url"] = url + "/labels{/name}",
            ["comments_url"] = url + "/comments",
            ["events_url"] = url + "/events",
            ["html_url"] = issue.HtmlUrl?.AbsoluteUri,
            ["number"] = issue.Number,
            ["state"] = issue.IsOpen ? "open" : "closed",
            ["state_reason"] = issue.IsOpen ? null : "completed",
            ["title"] = issue.Title,
            ["body"] = issue.Body.Length == 0 ? null : issue.Body,
            ["user"] = Creator(author),
            ["labels"] = new JsonArray(),
            ["assignee"] = null,
            ["assignees"] = new JsonArray(),
            ["milestone"] = null,
            ["locked"] = false,
            ["active_lock_reason"] = null,
            ["comments"] = comments,
            ["closed_at"] = closedAt is { } closed ? Timestamp(closed) : null,
            ["created_at"] = Timestamp(issue.CreatedAt),
            ["updated_at"] = Timestamp(issue.UpdatedAt),
            ["closed_by"] = closedAt is null ? null : Creator(author),
            ["author_association"] = "CONTRIBUTOR",
        };
    }
}
