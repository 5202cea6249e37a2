using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>An Azure Machine Learning workspace (named after the Azure SDK's type). Create instances in tests with <see cref="MlEnvironmentsModelFactory"/>.</summary>
public sealed class MachineLearningWorkspaceData
{
    internal MachineLearningWorkspaceData(
        WorkspaceId id,
        string location,
        Uri? mlFlowTrackingUri,
        string provisioningState,
        IReadOnlyDictionary<string, string> tags,
        string? publicNetworkAccess = null,
        string? workspaceGuid = null)
    {
        PublicNetworkAccess = publicNetworkAccess;
        WorkspaceGuid = workspaceGuid;
        Id = id;
        Location = location;
        MlFlowTrackingUri = mlFlowTrackingUri;
        ProvisioningState = provisioningState;
        Tags = tags;
    }

    /// <summary>The workspace's ARM id.</summary>
    public WorkspaceId Id { get; }

    /// <summary>The workspace's name.</summary>
    public string Name => Id.WorkspaceName;

    /// <summary>The Azure region, e.g. <c>westeurope</c>.</summary>
    public string Location { get; }

    /// <summary>The MLflow tracking URI (<c>azureml://…</c>), when the workspace reports one.</summary>
    public Uri? MlFlowTrackingUri { get; }

    /// <summary>The provisioning state; only <c>Succeeded</c> workspaces can be bound.</summary>
    public string ProvisioningState { get; }

    /// <summary>The workspace's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Whether the workspace accepts requests from public networks (<c>Enabled</c> or <c>Disabled</c>).</summary>
    public string? PublicNetworkAccess { get; }

    /// <summary>The workspace's GUID (the service's <c>workspaceId</c>), used in cross-workspace asset ids.</summary>
    public string? WorkspaceGuid { get; }

    /// <summary>Returns the ARM id.</summary>
    public override string ToString() => Id.ToString();
}

/// <summary>The properties of a model version (named after the Azure SDK's type); used both to create and to read.</summary>
public sealed class MachineLearningModelVersionProperties
{
    /// <summary>The model's URI, e.g. <c>azureml://jobs/{job}/outputs/artifacts/paths/model/</c>.</summary>
    public Uri? ModelUri { get; set; }

    /// <summary>The model type, e.g. <c>mlflow_model</c>, <c>custom_model</c>.</summary>
    public string? ModelType { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The name of the job that produced the model.</summary>
    public string? JobName { get; set; }

    /// <summary>The stage (free text in Azure ML, e.g. <c>Development</c>, <c>Production</c>).</summary>
    public string? Stage { get; set; }

    /// <summary>Whether the version is archived.</summary>
    public bool IsArchived { get; set; }

    /// <summary>Mutable tags.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Append-only properties.</summary>
    public IDictionary<string, string> Properties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal MachineLearningModelVersionProperties Clone()
    {
        var copy = new MachineLearningModelVersionProperties
        {
            ModelUri = ModelUri,
            ModelType = ModelType,
            Description = Description,
            JobName = JobName,
            Stage = Stage,
            IsArchived = IsArchived,
        };
        foreach (var pair in Tags)
        {
            copy.Tags[pair.Key] = pair.Value;
        }

        foreach (var pair in Properties)
        {
            copy.Properties[pair.Key] = pair.Value;
        }

        return copy;
    }
}

/// <summary>A version of a model in a workspace (named after the Azure SDK's type).</summary>
public sealed class MachineLearningModelVersionData
{
    internal MachineLearningModelVersionData(WorkspaceId workspace, string modelName, string version, MachineLearningModelVersionProperties properties)
    {
        Workspace = workspace;
        ModelName = modelName;
        Version = version;
        Properties = properties;
    }

    /// <summary>The workspace that holds the version.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The version, e.g. <c>3</c>.</summary>
    public string Version { get; }

    /// <summary>The version's properties (a snapshot: changing it changes nothing remotely).</summary>
    public MachineLearningModelVersionProperties Properties { get; }

    /// <summary>The ARM id of the version.</summary>
    public string ResourceId => $"{Workspace.ResourceId}/models/{ModelName}/versions/{Version}";

    /// <summary>Returns <c>model:version</c>.</summary>
    public override string ToString() => $"{ModelName}:{Version}";
}

/// <summary>Reads Azure Machine Learning workspaces.</summary>
public interface IMachineLearningWorkspaceReader
{
    /// <summary>Gets a workspace.</summary>
    /// <param name="workspace">The workspace's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workspace, or <see langword="null"/> when it does not exist.</returns>
    Task<MachineLearningWorkspaceData?> GetWorkspaceAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);
}

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
