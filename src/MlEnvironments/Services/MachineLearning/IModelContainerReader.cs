using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads the models (containers) of a workspace.</summary>
public interface IModelContainerReader
{
    /// <summary>Lists the models of a workspace (following <c>nextLink</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    Task<IReadOnlyList<MachineLearningModelContainerData>> ListModelContainersAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Gets a model.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    Task<MachineLearningModelContainerData?> GetModelContainerAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default);
}
