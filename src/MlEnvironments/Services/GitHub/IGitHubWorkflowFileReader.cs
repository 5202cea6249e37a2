using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

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
