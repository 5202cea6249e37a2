using System;
using System.Collections.Generic;

namespace MlEnvironments.GitHub;

/// <summary>The state of a GitHub deployment status (<c>repos/create-deployment-status</c>).</summary>
public enum GitHubDeploymentState
{
    /// <summary><c>error</c>: the deployment could not be carried out.</summary>
    Error,

    /// <summary><c>failure</c>: the deployment was refused or failed.</summary>
    Failure,

    /// <summary><c>inactive</c>: superseded by a later deployment to the same environment.</summary>
    Inactive,

    /// <summary><c>in_progress</c>: being carried out.</summary>
    InProgress,

    /// <summary><c>queued</c>: waiting to start.</summary>
    Queued,

    /// <summary><c>pending</c>: created, not started.</summary>
    Pending,

    /// <summary><c>success</c>: done.</summary>
    Success,
}

/// <summary>What to send when creating a deployment (<c>repos/create-deployment</c>).</summary>
public sealed class GitHubNewDeployment
{
    /// <summary>Creates a request.</summary>
    /// <param name="ref">The branch, tag or SHA the deployment is for.</param>
    /// <param name="environment">The environment it targets.</param>
    public GitHubNewDeployment(string @ref, string environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@ref);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        Ref = @ref;
        Environment = environment;
    }

    /// <summary>The branch, tag or SHA.</summary>
    public string Ref { get; }

    /// <summary>The environment.</summary>
    public string Environment { get; }

    /// <summary>The task, e.g. <c>deploy:model</c> (GitHub's default is <c>deploy</c>).</summary>
    public string Task { get; init; } = "deploy";

    /// <summary>A JSON object, as text, stored with the deployment (no secrets).</summary>
    public string? PayloadJson { get; init; }

    /// <summary>A short description.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the environment is production. Always sent.</summary>
    public bool ProductionEnvironment { get; init; }

    /// <summary>Whether the environment is transient. Always sent.</summary>
    public bool TransientEnvironment { get; init; }

    /// <summary>
    /// Whether GitHub may merge the default branch into <see cref="Ref"/>; default <see langword="false"/>
    /// (GitHub's own default is <see langword="true"/>). Always sent.
    /// </summary>
    public bool AutoMerge { get; init; }

    /// <summary>
    /// Commit-status contexts that must pass; default empty, which skips the check. <see langword="null"/> omits the
    /// field, so GitHub requires every context.
    /// </summary>
    public IReadOnlyList<string>? RequiredContexts { get; init; } = Array.Empty<string>();
}

/// <summary>A deployment (<c>repos/get-deployment</c>).</summary>
public sealed class GitHubDeployment
{
    internal GitHubDeployment(
        long id,
        string environment,
        string @ref,
        string sha,
        string task,
        string? payloadJson,
        string? description,
        string? creatorLogin,
        bool productionEnvironment,
        bool transientEnvironment,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt)
    {
        Id = id;
        Environment = environment;
        Ref = @ref;
        Sha = sha;
        Task = task;
        PayloadJson = payloadJson;
        Description = description;
        CreatorLogin = creatorLogin;
        ProductionEnvironment = productionEnvironment;
        TransientEnvironment = transientEnvironment;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The deployment's id.</summary>
    public long Id { get; }

    /// <summary>The environment.</summary>
    public string Environment { get; }

    /// <summary>The ref it was created for.</summary>
    public string Ref { get; }

    /// <summary>The commit SHA GitHub resolved the ref to.</summary>
    public string Sha { get; }

    /// <summary>The task.</summary>
    public string Task { get; }

    /// <summary>The payload as JSON text (<see langword="null"/> when empty).</summary>
    public string? PayloadJson { get; }

    /// <summary>The description.</summary>
    public string? Description { get; }

    /// <summary>The login of the user or App that created it.</summary>
    public string? CreatorLogin { get; }

    /// <summary>Whether the environment is production.</summary>
    public bool ProductionEnvironment { get; }

    /// <summary>Whether the environment is transient.</summary>
    public bool TransientEnvironment { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns <c>#id task → environment (ref)</c>.</summary>
    public override string ToString() => $"#{Id} {Task} → {Environment} ({Ref})";
}

/// <summary>What to send when adding a status to a deployment (<c>repos/create-deployment-status</c>).</summary>
public sealed class GitHubNewDeploymentStatus
{
    /// <summary>Creates a request.</summary>
    /// <param name="state">The new state.</param>
    public GitHubNewDeploymentStatus(GitHubDeploymentState state) => State = state;

    /// <summary>The state.</summary>
    public GitHubDeploymentState State { get; }

    /// <summary>A short description; GitHub allows at most 140 characters, longer text is cut with an ellipsis.</summary>
    public string? Description { get; init; }

    /// <summary>A URL with the details (sent as <c>log_url</c>).</summary>
    public Uri? LogUrl { get; init; }

    /// <summary>The URL of the deployed thing (e.g. the workspace).</summary>
    public Uri? EnvironmentUrl { get; init; }

    /// <summary>
    /// Whether GitHub marks earlier successful non-production deployments to the environment <c>inactive</c>
    /// (GitHub's default, <see langword="true"/>).
    /// </summary>
    public bool AutoInactive { get; init; } = true;
}

/// <summary>A deployment status (<c>repos/get-deployment-status</c>).</summary>
public sealed class GitHubDeploymentStatus
{
    internal GitHubDeploymentStatus(long id, GitHubDeploymentState state, string? description, string? creatorLogin, Uri? logUrl, Uri? environmentUrl, DateTimeOffset createdAt)
    {
        Id = id;
        State = state;
        Description = description;
        CreatorLogin = creatorLogin;
        LogUrl = logUrl;
        EnvironmentUrl = environmentUrl;
        CreatedAt = createdAt;
    }

    /// <summary>The status's id.</summary>
    public long Id { get; }

    /// <summary>The state.</summary>
    public GitHubDeploymentState State { get; }

    /// <summary>The description.</summary>
    public string? Description { get; }

    /// <summary>Who created it.</summary>
    public string? CreatorLogin { get; }

    /// <summary>The log URL.</summary>
    public Uri? LogUrl { get; }

    /// <summary>The environment URL.</summary>
    public Uri? EnvironmentUrl { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Returns <c>state: description</c>.</summary>
    public override string ToString() => Description is null ? State.ToString() : $"{State}: {Description}";
}

/// <summary>A workflow run (<c>actions/get-workflow-run</c>), with the fields promotion needs.</summary>
public sealed class GitHubWorkflowRun
{
    internal GitHubWorkflowRun(
        long id,
        string? name,
        string? displayTitle,
        string status,
        string? conclusion,
        string? headBranch,
        string headSha,
        string triggeringEvent,
        string? actorLogin,
        string? triggeringActorLogin,
        long runNumber,
        long workflowId,
        string? path,
        Uri? htmlUrl,
        DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        DisplayTitle = displayTitle;
        Status = status;
        Conclusion = conclusion;
        HeadBranch = headBranch;
        HeadSha = headSha;
        Event = triggeringEvent;
        ActorLogin = actorLogin;
        TriggeringActorLogin = triggeringActorLogin;
        RunNumber = runNumber;
        WorkflowId = workflowId;
        Path = path;
        HtmlUrl = htmlUrl;
        CreatedAt = createdAt;
    }

    /// <summary>The run's id.</summary>
    public long Id { get; }

    /// <summary>The workflow's name.</summary>
    public string? Name { get; }

    /// <summary>The run's title (the workflow's <c>run-name</c>, which generated workflows use to carry the model and version).</summary>
    public string? DisplayTitle { get; }

    /// <summary>The status, e.g. <c>queued</c>, <c>in_progress</c>, <c>waiting</c>, <c>completed</c>.</summary>
    public string Status { get; }

    /// <summary>The conclusion once completed, e.g. <c>success</c>.</summary>
    public string? Conclusion { get; }

    /// <summary>The branch.</summary>
    public string? HeadBranch { get; }

    /// <summary>The commit.</summary>
    public string HeadSha { get; }

    /// <summary>The event that triggered the run, e.g. <c>workflow_dispatch</c>.</summary>
    public string Event { get; }

    /// <summary>The user who started the run first.</summary>
    public string? ActorLogin { get; }

    /// <summary>The user who triggered this attempt.</summary>
    public string? TriggeringActorLogin { get; }

    /// <summary>The run number.</summary>
    public long RunNumber { get; }

    /// <summary>The workflow's id.</summary>
    public long WorkflowId { get; }

    /// <summary>The workflow file, e.g. <c>.github/workflows/promote.yml</c>.</summary>
    public string? Path { get; }

    /// <summary>The run's page.</summary>
    public Uri? HtmlUrl { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Returns <c>#id title (status)</c>.</summary>
    public override string ToString() => $"#{Id} {DisplayTitle ?? Name} ({Status})";
}

/// <summary>An environment a workflow run waits on (<c>actions/get-pending-deployments-for-run</c>).</summary>
public sealed class GitHubPendingDeployment
{
    internal GitHubPendingDeployment(long environmentId, string environmentName, TimeSpan waitTimer, DateTimeOffset? waitTimerStartedAt, bool currentUserCanApprove, IReadOnlyList<GitHubReviewer> reviewers)
    {
        EnvironmentId = environmentId;
        EnvironmentName = environmentName;
        WaitTimer = waitTimer;
        WaitTimerStartedAt = waitTimerStartedAt;
        CurrentUserCanApprove = currentUserCanApprove;
        Reviewers = reviewers;
    }

    /// <summary>The environment's id (what a review sends).</summary>
    public long EnvironmentId { get; }

    /// <summary>The environment's name.</summary>
    public string EnvironmentName { get; }

    /// <summary>The wait timer.</summary>
    public TimeSpan WaitTimer { get; }

    /// <summary>When the wait timer started.</summary>
    public DateTimeOffset? WaitTimerStartedAt { get; }

    /// <summary>Whether the token's user is one of the required reviewers.</summary>
    public bool CurrentUserCanApprove { get; }

    /// <summary>The required reviewers.</summary>
    public IReadOnlyList<GitHubReviewer> Reviewers { get; }

    /// <summary>Returns the environment and the reviewers.</summary>
    public override string ToString() => $"{EnvironmentName} (#{EnvironmentId}), reviewers: {string.Join(", ", Reviewers)}";
}

/// <summary>The decision on a deployment review.</summary>
public enum GitHubReviewState
{
    /// <summary>Approved.</summary>
    Approved,

    /// <summary>Rejected.</summary>
    Rejected,

    /// <summary>Not decided yet (history entries only).</summary>
    Pending,
}

/// <summary>One entry of a run's review history (<c>actions/get-reviews-for-run</c>).</summary>
public sealed class GitHubDeploymentReview
{
    internal GitHubDeploymentReview(GitHubReviewState state, string? userLogin, string? comment, IReadOnlyList<string> environmentNames)
    {
        State = state;
        UserLogin = userLogin;
        Comment = comment;
        EnvironmentNames = environmentNames;
    }

    /// <summary>The decision.</summary>
    public GitHubReviewState State { get; }

    /// <summary>Who decided.</summary>
    public string? UserLogin { get; }

    /// <summary>The comment.</summary>
    public string? Comment { get; }

    /// <summary>The environments the decision covered.</summary>
    public IReadOnlyList<string> EnvironmentNames { get; }

    /// <summary>Returns <c>state by user on environments</c>.</summary>
    public override string ToString() => $"{State} by {UserLogin ?? "(unknown)"} on {string.Join(", ", EnvironmentNames)}";
}
