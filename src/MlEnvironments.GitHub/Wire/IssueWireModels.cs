using System;
using System.Collections.Generic;

namespace MlEnvironments.GitHub.Wire;

internal sealed class IssueDto
{
    public long Number { get; set; }

    public string? Title { get; set; }

    public string? Body { get; set; }

    public string? State { get; set; }

    public string? HtmlUrl { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Set when the "issue" is a pull request (the issues list holds both).</summary>
    public object? PullRequest { get; set; }
}

internal sealed class IssueCreateDto
{
    public string Title { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;
}

internal sealed class IssueEditDto
{
    public string Title { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;
}

internal sealed class IssueCloseDto
{
    public string State { get; set; } = "closed";

    public string StateReason { get; set; } = "completed";
}

internal sealed class IssueCommentCreateDto
{
    public string Body { get; set; } = string.Empty;
}
