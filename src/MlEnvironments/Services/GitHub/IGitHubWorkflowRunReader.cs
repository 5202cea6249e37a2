using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

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
