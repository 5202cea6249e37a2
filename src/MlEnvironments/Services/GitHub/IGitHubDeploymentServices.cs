using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>Reads a repository's deployments and their statuses (the promotion ledger).</summary>
public interface IGitHubDeploymentReader
{
    /// <summary>Lists deployments, newest first, following every page.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">Only deployments to this environment; <see langword="null"/> for all.</param>
    /// <param name="task">Only deployments with this task; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments, newest first.</returns>
    Task<IReadOnlyList<GitHubDeployment>> ListDeploymentsAsync(RepositoryId repository, string? environment, string? task, CancellationToken cancellationToken = default);

    /// <summary>Lists a deployment's statuses, newest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statuses, newest first.</returns>
    /// <exception cref="RemoteServiceException">The deployment does not exist (404) or the call failed.</exception>
    Task<IReadOnlyList<GitHubDeploymentStatus>> ListDeploymentStatusesAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken = default);
}

/// <summary>Creates deployments and deployment statuses.</summary>
public interface IGitHubDeploymentWriter
{
    /// <summary>Creates a deployment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deployment">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created deployment.</returns>
    /// <exception cref="RemoteServiceException">GitHub refused it (409 merge conflict or failed contexts, 422 invalid).</exception>
    Task<GitHubDeployment> CreateDeploymentAsync(RepositoryId repository, GitHubNewDeployment deployment, CancellationToken cancellationToken = default);

    /// <summary>Adds a status to a deployment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created status.</returns>
    Task<GitHubDeploymentStatus> CreateDeploymentStatusAsync(RepositoryId repository, long deploymentId, GitHubNewDeploymentStatus status, CancellationToken cancellationToken = default);
}

/// <summary>Reads workflow runs.</summary>
public interface IGitHubWorkflowRunReader
{
    /// <summary>Lists a repository's workflow runs, newest first, following every page.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="status">Only runs with this status or conclusion (e.g. <c>waiting</c>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<GitHubWorkflowRun>> ListWorkflowRunsAsync(RepositoryId repository, string? status, CancellationToken cancellationToken = default);

    /// <summary>Gets one workflow run.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, or <see langword="null"/> when it does not exist.</returns>
    Task<GitHubWorkflowRun?> GetWorkflowRunAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default);
}

/// <summary>Starts workflows through their <c>workflow_dispatch</c> trigger.</summary>
public interface IGitHubWorkflowDispatcher
{
    /// <summary>Starts a workflow run (<c>actions/create-workflow-dispatch</c>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="workflow">The workflow file name (e.g. <c>promote.yml</c>) or its numeric id as text.</param>
    /// <param name="ref">The branch or tag to run on.</param>
    /// <param name="inputs">The inputs (at most 25; no secrets: GitHub shows inputs in the run's page).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub accepted the request (the run appears shortly after).</returns>
    Task DispatchWorkflowAsync(RepositoryId repository, string workflow, string @ref, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reviews the environments a workflow run waits on (required reviewers). GitHub requires a <em>user</em> token whose
/// user is one of the environment's required reviewers; a GitHub App installation token cannot call this.
/// </summary>
public interface IGitHubDeploymentReviewClient
{
    /// <summary>Lists the environments a run waits on.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending deployments (empty when the run waits on nothing).</returns>
    Task<IReadOnlyList<GitHubPendingDeployment>> GetPendingDeploymentsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default);

    /// <summary>Approves or rejects the run's wait on some environments, as the token's user.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="environmentIds">The environments' ids (from <see cref="GitHubPendingDeployment.EnvironmentId"/>).</param>
    /// <param name="state"><see cref="GitHubReviewState.Approved"/> or <see cref="GitHubReviewState.Rejected"/>.</param>
    /// <param name="comment">The comment (required by GitHub).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub recorded the review.</returns>
    Task ReviewPendingDeploymentsAsync(RepositoryId repository, long runId, IReadOnlyList<long> environmentIds, GitHubReviewState state, string comment, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's review history (who approved or rejected which environment).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reviews, oldest first.</returns>
    Task<IReadOnlyList<GitHubDeploymentReview>> ListReviewsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Answers a custom deployment protection rule (<c>actions/review-custom-gates-for-run</c>). GitHub accepts this only from
/// the App that provides the rule, with its installation token.
/// </summary>
public interface IGitHubCustomGateReviewer
{
    /// <summary>Approves or rejects a run's deployment to an environment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run (from the webhook's <c>deployment_callback_url</c>).</param>
    /// <param name="environmentName">The environment, exactly as the webhook named it.</param>
    /// <param name="state"><see cref="GitHubReviewState.Approved"/> or <see cref="GitHubReviewState.Rejected"/>.</param>
    /// <param name="comment">A Markdown comment, at most 1024 characters (longer text is cut).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub accepted the answer.</returns>
    Task ReviewCustomGateAsync(RepositoryId repository, long runId, string environmentName, GitHubReviewState state, string? comment, CancellationToken cancellationToken = default);
}

/// <summary>Reads a repository's workflow files.</summary>
public interface IGitHubWorkflowFileReader
{
    /// <summary>Lists the repository's workflows and reads each file's text.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="ref">The branch, tag or SHA; <see langword="null"/> for the default branch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflow files, by path (e.g. <c>.github/workflows/promote.yml</c>).</returns>
    Task<IReadOnlyList<GitHubWorkflowFile>> ListWorkflowFilesAsync(RepositoryId repository, string? @ref, CancellationToken cancellationToken = default);
}

/// <summary>A workflow file's path and text.</summary>
public sealed class GitHubWorkflowFile
{
    /// <summary>Creates a value.</summary>
    /// <param name="path">The path in the repository.</param>
    /// <param name="content">The YAML text.</param>
    public GitHubWorkflowFile(string path, string content)
    {
        System.ArgumentException.ThrowIfNullOrEmpty(path);
        System.ArgumentNullException.ThrowIfNull(content);
        Path = path;
        Content = content;
    }

    /// <summary>The path, e.g. <c>.github/workflows/promote.yml</c>.</summary>
    public string Path { get; }

    /// <summary>The YAML text.</summary>
    public string Content { get; }

    /// <summary>Returns the path.</summary>
    public override string ToString() => Path;
}
