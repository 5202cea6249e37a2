using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads and lists workspaces.</summary>
public interface IMachineLearningWorkspaceLister
{
    /// <summary>Lists the workspaces of a resource group (following <c>nextLink</c>).</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="resourceGroupName">The resource group.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workspaces.</returns>
    Task<IReadOnlyList<MachineLearningWorkspaceData>> ListWorkspacesAsync(string subscriptionId, string resourceGroupName, CancellationToken cancellationToken = default);
}
