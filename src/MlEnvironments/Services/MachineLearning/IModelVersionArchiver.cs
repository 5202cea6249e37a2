using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Archives model versions (GET, set <c>isArchived</c>, PUT back, as the Azure ML SDK does).</summary>
public interface IModelVersionArchiver
{
    /// <summary>Archives a model version.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The archived version.</returns>
    Task<MachineLearningModelVersionData> ArchiveModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default);
}
