using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Registers model versions in a workspace.</summary>
public interface IModelVersionWriter
{
    /// <summary>Creates a model version, or updates its mutable fields (tags, description, stage, archive flag).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="properties">The properties.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version as stored.</returns>
    Task<MachineLearningModelVersionData> CreateOrUpdateModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default);
}
