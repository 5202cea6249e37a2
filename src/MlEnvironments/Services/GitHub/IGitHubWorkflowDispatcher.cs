using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

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
