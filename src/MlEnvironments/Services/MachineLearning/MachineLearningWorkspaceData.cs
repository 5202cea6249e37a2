using System;
using System.Collections.Generic;

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
