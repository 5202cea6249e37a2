using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlEnvironments.GitHub.Wire;

// The JSON shapes of deployments, deployment statuses, workflow runs, pending deployments, reviews, custom gates,
// workflows and file contents (REST API version 2022-11-28). Only what we read or send is declared.

internal sealed class SimpleUserDto
{
    public long Id { get; set; }

    public string? Login { get; set; }
}

internal sealed class DeploymentDto
{
    public long Id { get; set; }

    public string? Sha { get; set; }

    public string? Ref { get; set; }

    public string? Task { get; set; }

    // An object or a string (GitHub's description: oneOf).
    public JsonElement Payload { get; set; }

    public string? Environment { get; set; }

    public string? Description { get; set; }

    public SimpleUserDto? Creator { get; set; }

    public bool? TransientEnvironment { get; set; }

    public bool? ProductionEnvironment { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    // Only in the 202 answer (the default branch was merged into the ref; no deployment was made).
    public string? Message { get; set; }
}

internal sealed class DeploymentCreateDto
{
    public string Ref { get; set; } = string.Empty;

    public string Task { get; set; } = "deploy";

    public bool AutoMerge { get; set; }

    // Omitted when null: GitHub then requires every commit-status context; [] skips the check.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? RequiredContexts { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Payload { get; set; }

    public string Environment { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; set; }

    public bool TransientEnvironment { get; set; }

    public bool ProductionEnvironment { get; set; }
}

internal sealed class DeploymentStatusDto
{
    public long Id { get; set; }

    public string State { get; set; } = string.Empty;

    public string? Description { get; set; }

    public SimpleUserDto? Creator { get; set; }

    public string? LogUrl { get; set; }

    public string? TargetUrl { get; set; }

    public string? EnvironmentUrl { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
}

internal sealed class DeploymentStatusCreateDto
{
    public string State { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LogUrl { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EnvironmentUrl { get; set; }

    public bool AutoInactive { get; set; } = true;
}

internal sealed class WorkflowRunListDto
{
    public int TotalCount { get; set; }

    public List<WorkflowRunDto> WorkflowRuns { get; set; } = [];
}

internal sealed class WorkflowRunDto
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? DisplayTitle { get; set; }

    public string? Status { get; set; }

    public string? Conclusion { get; set; }

    public string? HeadBranch { get; set; }

    public string? HeadSha { get; set; }

    public string? Event { get; set; }

    public SimpleUserDto? Actor { get; set; }

    public SimpleUserDto? TriggeringActor { get; set; }

    public long RunNumber { get; set; }

    public long WorkflowId { get; set; }

    public string? Path { get; set; }

    public string? HtmlUrl { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
}

internal sealed class WorkflowDispatchDto
{
    public string Ref { get; set; } = string.Empty;

    public Dictionary<string, string> Inputs { get; set; } = [];
}

internal sealed class PendingEnvironmentDto
{
    public long Id { get; set; }

    public string? Name { get; set; }
}

internal sealed class PendingDeploymentDto
{
    public PendingEnvironmentDto? Environment { get; set; }

    public int WaitTimer { get; set; }

    public DateTimeOffset? WaitTimerStartedAt { get; set; }

    public bool CurrentUserCanApprove { get; set; }

    public List<ReviewerEntryDto>? Reviewers { get; set; }
}

internal sealed class PendingDeploymentReviewDto
{
    public List<long> EnvironmentIds { get; set; } = [];

    public string State { get; set; } = string.Empty;

    public string Comment { get; set; } = string.Empty;
}

internal sealed class EnvironmentApprovalDto
{
    public List<PendingEnvironmentDto>? Environments { get; set; }

    public string State { get; set; } = string.Empty;

    public SimpleUserDto? User { get; set; }

    public string? Comment { get; set; }
}

internal sealed class CustomGateReviewDto
{
    public string EnvironmentName { get; set; } = string.Empty;

    public string State { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; set; }
}

internal sealed class WorkflowListDto
{
    public int TotalCount { get; set; }

    public List<WorkflowDto> Workflows { get; set; } = [];
}

internal sealed class WorkflowDto
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string Path { get; set; } = string.Empty;

    public string? State { get; set; }
}

internal sealed class ContentFileDto
{
    public string? Type { get; set; }

    public string? Path { get; set; }

    public string? Encoding { get; set; }

    public string? Content { get; set; }
}
