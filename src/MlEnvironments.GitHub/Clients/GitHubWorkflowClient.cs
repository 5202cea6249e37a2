using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Workflow runs, <c>workflow_dispatch</c> and workflow files, over GitHub's REST API (raw calls through Octokit's
/// connection, in our wire types).
/// </summary>
public sealed class GitHubWorkflowClient : IGitHubWorkflowRunReader, IGitHubWorkflowDispatcher, IGitHubWorkflowFileReader
{
    /// <summary>The most inputs <c>actions/create-workflow-dispatch</c> accepts.</summary>
    internal const int MaxInputs = 25;

    private const string WorkflowFolder = ".github/workflows/";

    private readonly GitHubConnection _github;

    internal GitHubWorkflowClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubWorkflowRun>> ListWorkflowRunsAsync(RepositoryId repository, string? status, CancellationToken cancellationToken = default)
    {
        var query = status is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = status };
        var runs = await _github.GetAllAsync<WorkflowRunListDto, WorkflowRunDto>(
            "actions/list-workflow-runs-for-repo", repository, GitHubPath.Repository(repository).Literal("actions/runs"), 100,
            page => page.WorkflowRuns, query, cancellationToken).ConfigureAwait(false);
        return runs.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<GitHubWorkflowRun?> GetWorkflowRunAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-workflow-run";
        var dto = await GitHubConnection.RunOrNullAsync(operation, repository,
            () => _github.GetAsync<WorkflowRunDto>(operation, repository, RunPath(repository, runId), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return dto is null ? null : ToModel(dto);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">More than 25 inputs.</exception>
    public async Task DispatchWorkflowAsync(RepositoryId repository, string workflow, string @ref, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflow);
        ArgumentException.ThrowIfNullOrWhiteSpace(@ref);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count > MaxInputs)
        {
            throw new ArgumentException($"GitHub accepts at most {MaxInputs} workflow_dispatch inputs; {inputs.Count} were given.", nameof(inputs));
        }

        var body = new WorkflowDispatchDto { Ref = @ref, Inputs = inputs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };
        await _github.PostAsync<WorkflowDispatchDto, object>("actions/create-workflow-dispatch", repository,
            GitHubPath.Repository(repository).Literal("actions/workflows").Name(workflow, nameof(workflow)).Literal("dispatches"),
            body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lists the workflows (<c>actions/list-repo-workflows</c>), then reads each file under <c>.github/workflows/</c>
    /// (<c>repos/get-content</c>) at <paramref name="ref"/>; a workflow whose file is not at that ref is left out.
    /// </remarks>
    public async Task<IReadOnlyList<GitHubWorkflowFile>> ListWorkflowFilesAsync(RepositoryId repository, string? @ref, CancellationToken cancellationToken = default)
    {
        var workflows = await _github.GetAllAsync<WorkflowListDto, WorkflowDto>(
            "actions/list-repo-workflows", repository, GitHubPath.Repository(repository).Literal("actions/workflows"), 100,
            page => page.Workflows, cancellationToken).ConfigureAwait(false);
        var files = new List<GitHubWorkflowFile>();
        foreach (var path in workflows.Select(w => w.Path).Where(p => p.StartsWith(WorkflowFolder, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var content = await ReadFileAsync(repository, path, @ref, cancellationToken).ConfigureAwait(false);
            if (content is not null)
            {
                files.Add(new GitHubWorkflowFile(path, content));
            }
        }

        return files;
    }

    internal static GitHubWorkflowRun ToModel(WorkflowRunDto dto) =>
        MlEnvironmentsModelFactory.GitHubWorkflowRun(
            dto.Id,
            dto.Status ?? "unknown",
            dto.DisplayTitle,
            dto.Name,
            dto.Conclusion,
            dto.HeadBranch,
            dto.HeadSha,
            dto.Event ?? "unknown",
            dto.Actor?.Login,
            dto.TriggeringActor?.Login ?? dto.Actor?.Login,
            dto.RunNumber,
            dto.WorkflowId,
            dto.Path,
            Uri.TryCreate(dto.HtmlUrl, UriKind.Absolute, out var url) ? url : null,
            dto.CreatedAt);

    internal static GitHubPath RunPath(RepositoryId repository, long runId) =>
        GitHubPath.Repository(repository).Literal("actions/runs").Id(runId);

    private async Task<string?> ReadFileAsync(RepositoryId repository, string path, string? @ref, CancellationToken cancellationToken)
    {
        const string operation = "repos/get-content";

        // The path parameter spans segments (x-multi-segment): each segment is escaped, the slashes stay.
        string relative = GitHubPath.Repository(repository).Literal("contents").Names(path, "path");
        if (@ref is not null)
        {
            relative += "?ref=" + Uri.EscapeDataString(@ref);
        }

        var file = await GitHubConnection.RunOrNullAsync(operation, repository,
            () => _github.GetAsync<ContentFileDto>(operation, repository, relative, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            return null;
        }

        if (!string.Equals(file.Type, "file", StringComparison.Ordinal) || !string.Equals(file.Encoding, "base64", StringComparison.OrdinalIgnoreCase) || file.Content is null)
        {
            throw new GitHubException(operation, 200,
                $"GitHub answered {path} in {repository} as a {file.Type ?? "(no type)"} with encoding '{file.Encoding ?? "(none)"}', not a base64 file: " +
                "files over 1 MB need the raw media type, which MlEnvironments does not read.");
        }

        // GitHub wraps the base64 text in lines; Convert ignores the line breaks.
        return Encoding.UTF8.GetString(Convert.FromBase64String(file.Content));
    }
}
