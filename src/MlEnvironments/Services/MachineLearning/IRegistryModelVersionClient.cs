using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Model versions in Azure ML registries, and publishing a workspace's version to one.</summary>
public interface IRegistryModelVersionClient
{
    /// <summary>Gets a registry model version.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, or <see langword="null"/>.</returns>
    Task<MachineLearningRegistryModelVersionData?> GetRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, CancellationToken cancellationToken = default);

    /// <summary>Creates or updates a registry model version: a long-running operation polled through <c>Azure-AsyncOperation</c>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="properties">The properties.</param>
    /// <param name="cancellationToken">Cancels the call and the polling.</param>
    /// <returns>The version once the operation succeeded.</returns>
    Task<MachineLearningRegistryModelVersionData> CreateOrUpdateRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default);

    /// <summary>Publishes a workspace model version to a registry (<c>…/publish</c>, polled through <c>Location</c>).</summary>
    /// <param name="workspace">The source workspace.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="registry">The destination registry.</param>
    /// <param name="cancellationToken">Cancels the call and the polling.</param>
    /// <returns>The registry's version once published.</returns>
    Task<MachineLearningRegistryModelVersionData> PublishModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningRegistryId registry, CancellationToken cancellationToken = default);
}
