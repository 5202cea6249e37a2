using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>An Azure Machine Learning registry, parsed once from or rendered to its ARM id.</summary>
public readonly struct MachineLearningRegistryId : IEquatable<MachineLearningRegistryId>
{
    private MachineLearningRegistryId(string subscriptionId, string resourceGroupName, string registryName)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        RegistryName = registryName;
    }

    /// <summary>The subscription id.</summary>
    public string SubscriptionId => field ?? string.Empty;

    /// <summary>The resource group's name.</summary>
    public string ResourceGroupName => field ?? string.Empty;

    /// <summary>The registry's name.</summary>
    public string RegistryName => field ?? string.Empty;

    /// <summary>The ARM id.</summary>
    public string ResourceId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/Microsoft.MachineLearningServices/registries/{RegistryName}";

    /// <summary>Creates a registry id.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="resourceGroupName">The resource group.</param>
    /// <param name="registryName">The registry.</param>
    /// <returns>The id.</returns>
    public static MachineLearningRegistryId Create(string subscriptionId, string resourceGroupName, string registryName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceGroupName);
        ArgumentException.ThrowIfNullOrWhiteSpace(registryName);
        return new MachineLearningRegistryId(subscriptionId, resourceGroupName, registryName);
    }

    /// <summary>Parses the ARM id of a registry.</summary>
    /// <param name="resourceId">The ARM id.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">The text is not a registry's ARM id.</exception>
    public static MachineLearningRegistryId Parse(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        var parts = resourceId.Trim('/').Split('/');
        if (parts.Length != 8 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ||
            !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) ||
            !parts[5].Equals("Microsoft.MachineLearningServices", StringComparison.OrdinalIgnoreCase) ||
            !parts[6].Equals("registries", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{resourceId}' is not the ARM id of an Azure Machine Learning registry.");
        }

        return new MachineLearningRegistryId(parts[1], parts[3], parts[7]);
    }

    /// <inheritdoc />
    public bool Equals(MachineLearningRegistryId other) => string.Equals(ResourceId, other.ResourceId, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MachineLearningRegistryId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ResourceId);

    /// <summary>Returns the ARM id.</summary>
    public override string ToString() => ResourceId;

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(MachineLearningRegistryId left, MachineLearningRegistryId right) => left.Equals(right);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(MachineLearningRegistryId left, MachineLearningRegistryId right) => !left.Equals(right);
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

/// <summary>The status of a job (named after the Azure SDK's extensible enum; unknown values are kept).</summary>
public readonly struct MachineLearningJobStatus : IEquatable<MachineLearningJobStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from the service's text.</summary>
    /// <param name="value">The text, e.g. <c>Completed</c>.</param>
    public MachineLearningJobStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Not started.</summary>
    public static MachineLearningJobStatus NotStarted { get; } = new("NotStarted");

    /// <summary>Starting.</summary>
    public static MachineLearningJobStatus Starting { get; } = new("Starting");

    /// <summary>Provisioning compute.</summary>
    public static MachineLearningJobStatus Provisioning { get; } = new("Provisioning");

    /// <summary>Preparing.</summary>
    public static MachineLearningJobStatus Preparing { get; } = new("Preparing");

    /// <summary>Queued.</summary>
    public static MachineLearningJobStatus Queued { get; } = new("Queued");

    /// <summary>Running.</summary>
    public static MachineLearningJobStatus Running { get; } = new("Running");

    /// <summary>Finalizing.</summary>
    public static MachineLearningJobStatus Finalizing { get; } = new("Finalizing");

    /// <summary>Cancellation requested.</summary>
    public static MachineLearningJobStatus CancelRequested { get; } = new("CancelRequested");

    /// <summary>Completed successfully.</summary>
    public static MachineLearningJobStatus Completed { get; } = new("Completed");

    /// <summary>Failed.</summary>
    public static MachineLearningJobStatus Failed { get; } = new("Failed");

    /// <summary>Canceled.</summary>
    public static MachineLearningJobStatus Canceled { get; } = new("Canceled");

    /// <summary>Not responding.</summary>
    public static MachineLearningJobStatus NotResponding { get; } = new("NotResponding");

    /// <summary>Paused.</summary>
    public static MachineLearningJobStatus Paused { get; } = new("Paused");

    /// <summary>Unknown.</summary>
    public static MachineLearningJobStatus Unknown { get; } = new("Unknown");

    /// <summary>Whether the job has finished (completed, failed or canceled).</summary>
    public bool IsTerminal => Equals(Completed) || Equals(Failed) || Equals(Canceled);

    /// <inheritdoc />
    public bool Equals(MachineLearningJobStatus other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MachineLearningJobStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);

    /// <summary>Returns the service's text.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Compares two statuses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(MachineLearningJobStatus left, MachineLearningJobStatus right) => left.Equals(right);

    /// <summary>Compares two statuses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(MachineLearningJobStatus left, MachineLearningJobStatus right) => !left.Equals(right);
}

/// <summary>A job of a workspace (named after the Azure SDK's type).</summary>
public sealed class MachineLearningJobData
{
    internal MachineLearningJobData(WorkspaceId workspace, string name, string jobType, MachineLearningJobStatus status, string? displayName, string? experimentName, IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> properties)
    {
        Workspace = workspace;
        Name = name;
        JobType = jobType;
        Status = status;
        DisplayName = displayName;
        ExperimentName = experimentName;
        Tags = tags;
        Properties = properties;
    }

    /// <summary>The workspace.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The job's name (its MLflow run id).</summary>
    public string Name { get; }

    /// <summary>The job type, e.g. <c>Command</c>, <c>Pipeline</c>, <c>Sweep</c>.</summary>
    public string JobType { get; }

    /// <summary>The status.</summary>
    public MachineLearningJobStatus Status { get; }

    /// <summary>The display name.</summary>
    public string? DisplayName { get; }

    /// <summary>The experiment.</summary>
    public string? ExperimentName { get; }

    /// <summary>The tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Returns <c>name (status)</c>.</summary>
    public override string ToString() => $"{Name} ({Status})";
}

/// <summary>One recorded value of a run's metric (MLflow).</summary>
/// <param name="Key">The metric's name.</param>
/// <param name="Value">The value.</param>
/// <param name="Step">The step.</param>
/// <param name="Timestamp">When it was logged.</param>
public sealed record RunMetric(string Key, double Value, long Step, DateTimeOffset Timestamp);

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

/// <summary>Reads jobs of a workspace.</summary>
public interface IMachineLearningJobReader
{
    /// <summary>Gets a job.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="jobName">The job's name (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or <see langword="null"/>.</returns>
    Task<MachineLearningJobData?> GetJobAsync(WorkspaceId workspace, string jobName, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs (following <c>nextLink</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<MachineLearningJobData>> ListJobsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);
}

/// <summary>Reads a run's metrics through the workspace's MLflow REST endpoint.</summary>
public interface IRunMetricsReader
{
    /// <summary>Gets the latest value of every metric of a run (MLflow <c>runs/get</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="runId">The run id (the job's name).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The metrics by name.</returns>
    Task<IReadOnlyDictionary<string, RunMetric>> GetLatestMetricsAsync(WorkspaceId workspace, string runId, CancellationToken cancellationToken = default);

    /// <summary>Gets every value of one metric (MLflow <c>metrics/get-history</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The values in order.</returns>
    Task<IReadOnlyList<RunMetric>> GetMetricHistoryAsync(WorkspaceId workspace, string runId, string metricKey, CancellationToken cancellationToken = default);
}
