using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads Azure Machine Learning workspaces.</summary>
public interface IMachineLearningWorkspaceReader
{
    /// <summary>Gets a workspace.</summary>
    /// <param name="workspace">The workspace's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workspace, or <see langword="null"/> when it does not exist.</returns>
    Task<MachineLearningWorkspaceData?> GetWorkspaceAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);
}
