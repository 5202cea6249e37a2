using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads model versions of a workspace.</summary>
public interface IModelVersionReader
{
    /// <summary>Gets a model version.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name (case-sensitive).</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, or <see langword="null"/> when it does not exist.</returns>
    /// <exception cref="RemoteServiceException">The workspace does not exist (404) or the call failed.</exception>
    Task<MachineLearningModelVersionData?> GetModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default);

    /// <summary>Lists the versions of a model (all pages).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions; empty when the model does not exist.</returns>
    Task<IReadOnlyList<MachineLearningModelVersionData>> ListModelVersionsAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default);
}
