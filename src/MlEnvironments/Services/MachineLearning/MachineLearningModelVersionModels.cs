using System;
using System.Collections.Generic;

namespace MlEnvironments.MachineLearning;

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

    /// <summary>
    /// The MLflow flavors of the model (ModelVersion <c>flavors</c>: flavor name, e.g. <c>python_function</c> or
    /// <c>sklearn</c>, to its data); empty when the version has none. Part of the asset: set when the version is created.
    /// </summary>
    public IDictionary<string, MachineLearningFlavorData> Flavors { get; } = new Dictionary<string, MachineLearningFlavorData>(StringComparer.Ordinal);

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

        foreach (var pair in Flavors)
        {
            copy.Flavors[pair.Key] = pair.Value.Clone();
        }

        return copy;
    }
}

/// <summary>The data of one MLflow flavor of a model version (named after the Azure SDK's type).</summary>
public sealed class MachineLearningFlavorData
{
    /// <summary>The flavor's data, e.g. <c>loader_module</c> → <c>mlflow.sklearn</c>.</summary>
    public IDictionary<string, string> Data { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal MachineLearningFlavorData Clone()
    {
        var copy = new MachineLearningFlavorData();
        foreach (var pair in Data)
        {
            copy.Data[pair.Key] = pair.Value;
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

/// <summary>A model (container) in a workspace (named after the Azure SDK's type).</summary>
public sealed class MachineLearningModelContainerData
{
    internal MachineLearningModelContainerData(WorkspaceId workspace, string name, string? latestVersion, bool isArchived, string? description, IReadOnlyDictionary<string, string> tags)
    {
        Workspace = workspace;
        Name = name;
        LatestVersion = latestVersion;
        IsArchived = isArchived;
        Description = description;
        Tags = tags;
    }

    /// <summary>The workspace.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>The latest version, if the service reports it.</summary>
    public string? LatestVersion { get; }

    /// <summary>Whether the model is archived.</summary>
    public bool IsArchived { get; }

    /// <summary>The description.</summary>
    public string? Description { get; }

    /// <summary>The tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Returns the name.</summary>
    public override string ToString() => Name;
}

/// <summary>A model version in a registry (same shape as a workspace's, addressed by registry).</summary>
public sealed class MachineLearningRegistryModelVersionData
{
    internal MachineLearningRegistryModelVersionData(MachineLearningRegistryId registry, string modelName, string version, MachineLearningModelVersionProperties properties)
    {
        Registry = registry;
        ModelName = modelName;
        Version = version;
        Properties = properties;
    }

    /// <summary>The registry.</summary>
    public MachineLearningRegistryId Registry { get; }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The version.</summary>
    public string Version { get; }

    /// <summary>The version's properties.</summary>
    public MachineLearningModelVersionProperties Properties { get; }

    /// <summary>The asset id deployments use: <c>azureml://registries/{registry}/models/{name}/versions/{version}</c>.</summary>
    public string AssetId => $"azureml://registries/{Registry.RegistryName}/models/{ModelName}/versions/{Version}";

    /// <summary>Returns <c>registry/model:version</c>.</summary>
    public override string ToString() => $"{Registry.RegistryName}/{ModelName}:{Version}";
}
