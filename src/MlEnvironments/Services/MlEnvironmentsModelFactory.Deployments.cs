using System;
using System.Collections.Generic;
using System.Linq;
using MlEnvironments.GitHub;

namespace MlEnvironments;

public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="GitHubDeployment"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="ref">The ref.</param>
    /// <param name="sha">The commit (default 40 zeros).</param>
    /// <param name="task">The task (default <c>deploy</c>).</param>
    /// <param name="payloadJson">The payload as JSON text.</param>
    /// <param name="description">The description.</param>
    /// <param name="creatorLogin">The creator.</param>
    /// <param name="productionEnvironment">Whether the environment is production.</param>
    /// <param name="transientEnvironment">Whether the environment is transient.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <param name="updatedAt">When it was updated (default <paramref name="createdAt"/>).</param>
    /// <returns>The model.</returns>
    public static GitHubDeployment GitHubDeployment(
        long id,
        string environment,
        string @ref = "main",
        string? sha = null,
        string task = "deploy",
        string? payloadJson = null,
        string? description = null,
        string? creatorLogin = null,
        bool productionEnvironment = false,
        bool transientEnvironment = false,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(@ref);
        ArgumentNullException.ThrowIfNull(task);
        var created = createdAt ?? DateTimeOffset.UnixEpoch;
        return new GitHub.GitHubDeployment(id, environment, @ref, sha ?? new string('0', 40), task, payloadJson, description, creatorLogin, productionEnvironment, transientEnvironment, created, updatedAt ?? created);
    }

    /// <summary>Builds a <see cref="GitHubDeploymentStatus"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="state">The state.</param>
    /// <param name="description">The description.</param>
    /// <param name="creatorLogin">The creator.</param>
    /// <param name="logUrl">The log URL.</param>
    /// <param name="environmentUrl">The environment URL.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <returns>The model.</returns>
    public static GitHubDeploymentStatus GitHubDeploymentStatus(
        long id,
        GitHubDeploymentState state,
        string? description = null,
        string? creatorLogin = null,
        Uri? logUrl = null,
        Uri? environmentUrl = null,
        DateTimeOffset? createdAt = null) =>
        new(id, state, description, creatorLogin, logUrl, environmentUrl, createdAt ?? DateTimeOffset.UnixEpoch);

    /// <summary>Builds a <see cref="GitHubWorkflowRun"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="status">The status (e.g. <c>waiting</c>).</param>
    /// <param name="displayTitle">The run's title.</param>
    /// <param name="name">The workflow's name.</param>
    /// <param name="conclusion">The conclusion.</param>
    /// <param name="headBranch">The branch.</param>
    /// <param name="headSha">The commit (default 40 zeros).</param>
    /// <param name="triggeringEvent">The event (default <c>workflow_dispatch</c>).</param>
    /// <param name="actorLogin">Who started it.</param>
    /// <param name="triggeringActorLogin">Who triggered this attempt (default <paramref name="actorLogin"/>).</param>
    /// <param name="runNumber">The run number.</param>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="path">The workflow file.</param>
    /// <param name="htmlUrl">The run's page.</param>
    /// <param name="createdAt">When it was created (default the Unix epoch).</param>
    /// <returns>The model.</returns>
    public static GitHubWorkflowRun GitHubWorkflowRun(
        long id,
        string status = "waiting",
        string? displayTitle = null,
        string? name = null,
        string? conclusion = null,
        string? headBranch = "main",
        string? headSha = null,
        string triggeringEvent = "workflow_dispatch",
        string? actorLogin = null,
        string? triggeringActorLogin = null,
        long runNumber = 1,
        long workflowId = 1,
        string? path = null,
        Uri? htmlUrl = null,
        DateTimeOffset? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(triggeringEvent);
        return new GitHub.GitHubWorkflowRun(id, name, displayTitle, status, conclusion, headBranch, headSha ?? new string('0', 40), triggeringEvent, actorLogin, triggeringActorLogin ?? actorLogin, runNumber, workflowId, path, htmlUrl, createdAt ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>Builds a <see cref="GitHubPendingDeployment"/>.</summary>
    /// <param name="environmentId">The environment's id.</param>
    /// <param name="environmentName">The environment's name.</param>
    /// <param name="currentUserCanApprove">Whether the token's user can approve.</param>
    /// <param name="reviewers">The required reviewers.</param>
    /// <param name="waitTimer">The wait timer.</param>
    /// <param name="waitTimerStartedAt">When the timer started.</param>
    /// <returns>The model.</returns>
    public static GitHubPendingDeployment GitHubPendingDeployment(
        long environmentId,
        string environmentName,
        bool currentUserCanApprove = true,
        IEnumerable<GitHubReviewer>? reviewers = null,
        TimeSpan waitTimer = default,
        DateTimeOffset? waitTimerStartedAt = null)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return new GitHub.GitHubPendingDeployment(environmentId, environmentName, waitTimer, waitTimerStartedAt, currentUserCanApprove, reviewers?.ToArray() ?? []);
    }

    /// <summary>Builds a <see cref="GitHubDeploymentReview"/>.</summary>
    /// <param name="state">The decision.</param>
    /// <param name="userLogin">Who decided.</param>
    /// <param name="comment">The comment.</param>
    /// <param name="environmentNames">The environments.</param>
    /// <returns>The model.</returns>
    public static GitHubDeploymentReview GitHubDeploymentReview(GitHubReviewState state, string? userLogin, string? comment, IEnumerable<string> environmentNames)
    {
        ArgumentNullException.ThrowIfNull(environmentNames);
        return new GitHub.GitHubDeploymentReview(state, userLogin, comment, environmentNames.ToArray());
    }
}
