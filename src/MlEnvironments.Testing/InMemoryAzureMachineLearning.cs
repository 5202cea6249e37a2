using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing;

/// <summary>
/// An in-memory Azure Machine Learning that implements every Azure ML interface of the core: workspaces (read and
/// listed per resource group), models and their versions, archiving, registries and their model versions,
/// publishing a workspace's version to a registry, jobs, and MLflow run metrics.
/// </summary>
/// <remarks>
/// <para>
/// Like Azure ML: workspaces and registries compare by ARM id without regard to case; model names and versions and
/// job names are case-sensitive; a version's model URI cannot change once created (409); properties are
/// append-only (409 when one would change); a model (container) exists once it has a version or was added; a
/// call on a workspace or registry that does not exist answers 404 <c>ResourceNotFound</c>, while a missing model,
/// version or job of an existing workspace reads as <see langword="null"/> (or an empty list).
/// </para>
/// <para>
/// Every call is logged in <see cref="Calls"/> under the ARM operation id (<c>ModelVersions_Get</c>, …; the
/// archiver logs <c>ModelVersions_Archive</c>, MLflow reads <c>MLflow_GetRun</c> and <c>MLflow_GetMetricHistory</c>)
/// and can be made to fail with <see cref="Faults"/>. <see cref="AzureResourceManagerEmulator"/> serves the same
/// state over HTTPS.
/// </para>
/// </remarks>
public sealed class InMemoryAzureMachineLearning :
    IMachineLearningWorkspaceReader,
    IMachineLearningWorkspaceLister,
    IModelContainerReader,
    IModelVersionReader,
    IModelVersionWriter,
    IModelVersionArchiver,
    IRegistryModelVersionClient,
    IMachineLearningJobReader,
    IRunMetricsReader
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<WorkspaceId, WorkspaceRecord> _workspaces = [];
    private readonly Dictionary<MachineLearningRegistryId, RegistryRecord> _registries = [];
    private readonly List<FakeCall> _calls = [];

    /// <summary>Creates an empty fake.</summary>
    /// <param name="timeProvider">The clock for metric timestamps logged without one; default <see cref="TimeProvider.System"/>.</param>
    public InMemoryAzureMachineLearning(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Makes calls fail on purpose.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Adds a workspace (or replaces one with the same id, dropping its models, jobs and runs).</summary>
    /// <param name="workspace">Its id.</param>
    /// <param name="location">Its region.</param>
    /// <param name="provisioningState">Its provisioning state.</param>
    /// <param name="publicNetworkAccess">Public network access (<c>Enabled</c> or <c>Disabled</c>).</param>
    /// <param name="workspaceGuid">Its GUID (the service's <c>workspaceId</c>); default one derived from the id.</param>
    /// <param name="tags">Its tags.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning AddWorkspace(
        WorkspaceId workspace,
        string location = "westeurope",
        string provisioningState = "Succeeded",
        string? publicNetworkAccess = "Enabled",
        Guid? workspaceGuid = null,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(provisioningState);
        var tracking = new Uri($"azureml://{location}.api.azureml.ms/mlflow/v1.0{workspace.ResourceId}");
        var guid = workspaceGuid ?? DeterministicGuid(workspace.ResourceId.ToLowerInvariant());
        var data = MlEnvironmentsModelFactory.MachineLearningWorkspaceData(workspace, location, tracking, provisioningState,
            tags is null ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal), publicNetworkAccess, guid.ToString("D"));
        lock (_gate)
        {
            _workspaces[workspace] = new WorkspaceRecord(data);
        }

        return this;
    }

    /// <summary>Adds a registry (or replaces one with the same id, dropping its models).</summary>
    /// <param name="registry">Its id.</param>
    /// <param name="location">Its primary region.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning AddRegistry(MachineLearningRegistryId registry, string location = "westeurope")
    {
        ArgumentNullException.ThrowIfNull(location);
        lock (_gate)
        {
            _registries[registry] = new RegistryRecord(location);
        }

        return this;
    }

    /// <summary>Adds or replaces a model (container) of a workspace, with or without versions.</summary>
    /// <param name="workspace">The workspace (must have been added).</param>
    /// <param name="name">The model's name.</param>
    /// <param name="description">The description.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="isArchived">Whether it is archived.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning AddModelContainer(WorkspaceId workspace, string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, bool isArchived = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            SeedWorkspace(workspace).Containers[name] = new ContainerRecord
            {
                Description = description,
                Tags = tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(tags, StringComparer.Ordinal),
                IsArchived = isArchived,
            };
        }

        return this;
    }

    /// <summary>Adds or replaces a job of a workspace (its name is also its MLflow run id).</summary>
    /// <param name="workspace">The workspace (must have been added).</param>
    /// <param name="name">The job's name.</param>
    /// <param name="status">The status.</param>
    /// <param name="jobType">The type.</param>
    /// <param name="displayName">The display name.</param>
    /// <param name="experimentName">The experiment.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="properties">The properties.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning AddJob(
        WorkspaceId workspace,
        string name,
        MachineLearningJobStatus status,
        string jobType = "Command",
        string? displayName = null,
        string? experimentName = null,
        IReadOnlyDictionary<string, string>? tags = null,
        IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var job = MlEnvironmentsModelFactory.MachineLearningJobData(workspace, name, status, jobType, displayName, experimentName,
            tags is null ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal),
            properties is null ? null : new Dictionary<string, string>(properties, StringComparer.Ordinal));
        lock (_gate)
        {
            var record = SeedWorkspace(workspace);
            record.Jobs[name] = job;
            if (!record.Runs.ContainsKey(name))
            {
                record.Runs[name] = [];
            }
        }

        return this;
    }

    /// <summary>Changes the status of a job that was added.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="name">The job's name.</param>
    /// <param name="status">The new status.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning SetJobStatus(WorkspaceId workspace, string name, MachineLearningJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            var record = SeedWorkspace(workspace);
            if (!record.Jobs.TryGetValue(name, out var job))
            {
                throw new InvalidOperationException($"Job '{name}' was not added to {workspace}.");
            }

            record.Jobs[name] = MlEnvironmentsModelFactory.MachineLearningJobData(workspace, name, status, job.JobType, job.DisplayName, job.ExperimentName, job.Tags, job.Properties);
        }

        return this;
    }

    /// <summary>Logs one value of a run's metric, as <c>mlflow.log_metric</c> does (the run is created when it does not exist).</summary>
    /// <param name="workspace">The workspace (must have been added).</param>
    /// <param name="runId">The run id (a job's name).</param>
    /// <param name="key">The metric's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">The step.</param>
    /// <param name="timestamp">When it was logged; default now on the fake's clock.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning LogMetric(WorkspaceId workspace, string runId, string key, double value, long step = 0, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(key);
        var at = timestamp ?? _time.GetUtcNow();
        var metric = new RunMetric(key, value, step, DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()));
        lock (_gate)
        {
            var record = SeedWorkspace(workspace);
            if (!record.Runs.TryGetValue(runId, out var metrics))
            {
                record.Runs[runId] = metrics = [];
            }

            metrics.Add(metric);
        }

        return this;
    }

    /// <inheritdoc />
    public Task<MachineLearningWorkspaceData?> GetWorkspaceAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        Run("Workspaces_Get", false, workspace.ResourceId, null, cancellationToken, () =>
            _workspaces.TryGetValue(workspace, out var record) ? record.Data : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineLearningWorkspaceData>> ListWorkspacesAsync(string subscriptionId, string resourceGroupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        ArgumentNullException.ThrowIfNull(resourceGroupName);
        return Run("Workspaces_ListByResourceGroup", false, $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}", null, cancellationToken, () =>
            (IReadOnlyList<MachineLearningWorkspaceData>)_workspaces.Values
                .Where(w => w.Data.Id.SubscriptionId.Equals(subscriptionId, StringComparison.OrdinalIgnoreCase) &&
                            w.Data.Id.ResourceGroupName.Equals(resourceGroupName, StringComparison.OrdinalIgnoreCase))
                .Select(w => w.Data)
                .ToList());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineLearningModelContainerData>> ListModelContainersAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        const string operation = "ModelContainers_List";
        return Run(operation, false, workspace.ResourceId, null, cancellationToken, () =>
        {
            var record = Workspace(workspace, operation);
            return (IReadOnlyList<MachineLearningModelContainerData>)ContainerNames(record).Select(name => Container(workspace, record, name)).ToList();
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningModelContainerData?> GetModelContainerAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        const string operation = "ModelContainers_Get";
        return Run(operation, false, workspace.ResourceId, modelName, cancellationToken, () =>
        {
            var record = Workspace(workspace, operation);
            return ContainerNames(record).Contains(modelName) ? Container(workspace, record, modelName) : null;
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningModelVersionData?> GetModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return Run("ModelVersions_Get", false, workspace.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
            Workspace(workspace, "ModelVersions_Get").Models.TryGetValue((modelName, version), out var properties)
                ? MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, version, properties)
                : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineLearningModelVersionData>> ListModelVersionsAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        return Run("ModelVersions_List", false, workspace.ResourceId, modelName, cancellationToken, () =>
        {
            var record = Workspace(workspace, "ModelVersions_List");
            return (IReadOnlyList<MachineLearningModelVersionData>)record.Models
                .Where(m => m.Key.Name == modelName)
                .Select(m => MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, m.Key.Version, m.Value))
                .ToList();
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningModelVersionData> CreateOrUpdateModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(properties);
        const string operation = "ModelVersions_CreateOrUpdate";
        return Run(operation, true, workspace.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
        {
            var record = Workspace(workspace, operation);
            var stored = Merge(operation, record.Models, modelName, version, properties);
            return MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, version, stored);
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningModelVersionData> ArchiveModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        const string operation = "ModelVersions_Archive";
        return Run(operation, true, workspace.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
        {
            var record = Workspace(workspace, operation);
            if (!record.Models.TryGetValue((modelName, version), out var stored))
            {
                throw VersionNotFound(operation, workspace.WorkspaceName, modelName, version);
            }

            stored.IsArchived = true;
            return MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, version, stored);
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningRegistryModelVersionData?> GetRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        const string operation = "RegistryModelVersions_Get";
        return Run(operation, false, registry.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
            Registry(registry, operation).Models.TryGetValue((modelName, version), out var properties)
                ? MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(registry, modelName, version, properties)
                : null);
    }

    /// <inheritdoc />
    public Task<MachineLearningRegistryModelVersionData> CreateOrUpdateRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(properties);
        const string operation = "RegistryModelVersions_CreateOrUpdate";
        return Run(operation, true, registry.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
        {
            var stored = Merge(operation, Registry(registry, operation).Models, modelName, version, properties);
            return MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(registry, modelName, version, stored);
        });
    }

    /// <inheritdoc />
    /// <remarks>The registry's version gets the same name, version and properties; a version that exists there already answers 409.</remarks>
    public Task<MachineLearningRegistryModelVersionData> PublishModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningRegistryId registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        const string operation = "ModelVersions_Publish";
        return Run(operation, true, workspace.ResourceId, $"{modelName}:{version}", cancellationToken, () =>
        {
            var source = CheckPublish(operation, workspace, modelName, version, registry);
            var copy = source.CloneForFake();
            copy.IsArchived = false;
            _registries[registry].Models[(modelName, version)] = copy;
            return MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(registry, modelName, version, copy);
        });
    }

    /// <inheritdoc />
    public Task<MachineLearningJobData?> GetJobAsync(WorkspaceId workspace, string jobName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        const string operation = "Jobs_Get";
        return Run(operation, false, workspace.ResourceId, jobName, cancellationToken, () =>
            Workspace(workspace, operation).Jobs.TryGetValue(jobName, out var job) ? job : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineLearningJobData>> ListJobsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        const string operation = "Jobs_List";
        return Run(operation, false, workspace.ResourceId, null, cancellationToken, () =>
            (IReadOnlyList<MachineLearningJobData>)Workspace(workspace, operation).Jobs.Values.ToList());
    }

    /// <inheritdoc />
    /// <remarks>The latest value of a metric is the one at the largest step, the last logged among equals.</remarks>
    public Task<IReadOnlyDictionary<string, RunMetric>> GetLatestMetricsAsync(WorkspaceId workspace, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        const string operation = "MLflow_GetRun";
        return Run(operation, false, workspace.ResourceId, runId, cancellationToken, () =>
        {
            var latest = new Dictionary<string, RunMetric>(StringComparer.Ordinal);
            foreach (var metric in RunMetrics(operation, workspace, runId))
            {
                if (!latest.TryGetValue(metric.Key, out var current) || metric.Step >= current.Step)
                {
                    latest[metric.Key] = metric;
                }
            }

            return (IReadOnlyDictionary<string, RunMetric>)latest;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunMetric>> GetMetricHistoryAsync(WorkspaceId workspace, string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(metricKey);
        const string operation = "MLflow_GetMetricHistory";
        return Run(operation, false, workspace.ResourceId, $"{runId}/{metricKey}", cancellationToken, () =>
            (IReadOnlyList<RunMetric>)RunMetrics(operation, workspace, runId).Where(m => m.Key == metricKey).OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ToList());
    }

    // Reads for the emulator that are not calls of the interfaces (not logged, no faults).

    internal bool HasWorkspace(WorkspaceId workspace)
    {
        lock (_gate)
        {
            return _workspaces.ContainsKey(workspace);
        }
    }

    internal bool HasRegistry(MachineLearningRegistryId registry)
    {
        lock (_gate)
        {
            return _registries.ContainsKey(registry);
        }
    }

    /// <summary>The registry with this name (without regard to case), as a publish's <c>registryName</c> names it.</summary>
    internal MachineLearningRegistryId? FindRegistry(string name)
    {
        lock (_gate)
        {
            return _registries.Keys.Where(r => r.RegistryName.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(r => (MachineLearningRegistryId?)r).FirstOrDefault();
        }
    }

    internal string? RegistryLocation(MachineLearningRegistryId registry)
    {
        lock (_gate)
        {
            return _registries.TryGetValue(registry, out var record) ? record.Location : null;
        }
    }

    internal bool HasModelVersion(WorkspaceId workspace, string modelName, string version)
    {
        lock (_gate)
        {
            return _workspaces.TryGetValue(workspace, out var record) && record.Models.ContainsKey((modelName, version));
        }
    }

    internal bool HasRegistryModelVersion(MachineLearningRegistryId registry, string modelName, string version)
    {
        lock (_gate)
        {
            return _registries.TryGetValue(registry, out var record) && record.Models.ContainsKey((modelName, version));
        }
    }

    /// <summary>The experiment and job status of a run, for MLflow's <c>run.info</c>.</summary>
    internal (string? ExperimentName, MachineLearningJobStatus? Status) RunInfo(WorkspaceId workspace, string runId)
    {
        lock (_gate)
        {
            return _workspaces.TryGetValue(workspace, out var record) && record.Jobs.TryGetValue(runId, out var job)
                ? (job.ExperimentName, job.Status)
                : (null, null);
        }
    }

    /// <summary>Checks a publish without doing it (the emulator answers these before it accepts the operation).</summary>
    internal void ValidatePublish(WorkspaceId workspace, string modelName, string version, MachineLearningRegistryId registry)
    {
        lock (_gate)
        {
            CheckPublish("ModelVersions_Publish", workspace, modelName, version, registry);
        }
    }

    internal static RemoteServiceException NotFound(string operation, string type, string name, string resourceGroup) =>
        new("Azure", operation, 404, $"The Resource '{type}/{name}' under resource group '{resourceGroup}' was not found.", "ResourceNotFound");

    internal static Guid DeterministicGuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static RemoteServiceException VersionNotFound(string operation, string scope, string modelName, string version) =>
        new("Azure", operation, 404, $"Not found: model {modelName} has no version {version} in {scope}.", "UserError");

    private static MachineLearningModelVersionProperties Merge(
        string operation, Dictionary<(string Name, string Version), MachineLearningModelVersionProperties> models,
        string modelName, string version, MachineLearningModelVersionProperties properties)
    {
        if (modelName.Length is 0 or > 255 || !char.IsAsciiLetterOrDigit(modelName[0]) || !modelName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new RemoteServiceException("Azure", operation, 400, $"The model name '{modelName}' is invalid: it must match ^[a-zA-Z0-9][a-zA-Z0-9\\-_]{{0,254}}$.", "UserError");
        }

        if (version.Length == 0)
        {
            throw new RemoteServiceException("Azure", operation, 400, "The model version must not be empty.", "UserError");
        }

        if (models.TryGetValue((modelName, version), out var existing) && existing.ModelUri is not null &&
            properties.ModelUri is not null && existing.ModelUri != properties.ModelUri)
        {
            throw new RemoteServiceException("Azure", operation, 409,
                $"Model {modelName}:{version} exists with another modelUri; a version's asset cannot change.", "Conflict");
        }

        var stored = properties.CloneForFake();
        if (existing is not null)
        {
            // Like Azure ML: the asset (URI, type, job, flavors) and its properties are set once; tags, description, stage and the archive flag change.
            stored.ModelUri ??= existing.ModelUri;
            stored.ModelType ??= existing.ModelType;
            stored.JobName ??= existing.JobName;
            if (stored.Flavors.Count == 0)
            {
                foreach (var flavor in existing.Flavors)
                {
                    stored.Flavors[flavor.Key] = flavor.Value;
                }
            }
            foreach (var pair in existing.Properties)
            {
                if (stored.Properties.TryGetValue(pair.Key, out var value) && value != pair.Value)
                {
                    throw new RemoteServiceException("Azure", operation, 409,
                        $"Property '{pair.Key}' of model {modelName}:{version} cannot change; properties are append-only.", "Conflict");
                }

                stored.Properties[pair.Key] = pair.Value;
            }
        }

        models[(modelName, version)] = stored;
        return stored;
    }

    private static IEnumerable<string> ContainerNames(WorkspaceRecord record) =>
        record.Containers.Keys.Concat(record.Models.Keys.Select(k => k.Name)).Distinct(StringComparer.Ordinal);

    private static MachineLearningModelContainerData Container(WorkspaceId workspace, WorkspaceRecord record, string name)
    {
        record.Containers.TryGetValue(name, out var container);
        var latest = record.Models.Keys.Where(k => k.Name == name).Select(k => k.Version)
            .OrderBy(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MinValue)
            .ThenBy(v => v, StringComparer.Ordinal)
            .LastOrDefault();
        return MlEnvironmentsModelFactory.MachineLearningModelContainerData(workspace, name, latest, container?.IsArchived ?? false,
            container?.Description, container?.Tags is { } tags ? new Dictionary<string, string>(tags, StringComparer.Ordinal) : null);
    }

    private MachineLearningModelVersionProperties CheckPublish(string operation, WorkspaceId workspace, string modelName, string version, MachineLearningRegistryId registry)
    {
        var record = Workspace(workspace, operation);
        if (!record.Models.TryGetValue((modelName, version), out var source))
        {
            throw VersionNotFound(operation, workspace.WorkspaceName, modelName, version);
        }

        var target = Registry(registry, operation);
        if (target.Models.ContainsKey((modelName, version)))
        {
            throw new RemoteServiceException("Azure", operation, 409,
                $"Registry {registry.RegistryName} already has {modelName}:{version}; registry assets cannot be overwritten.", "Conflict");
        }

        return source;
    }

    private List<RunMetric> RunMetrics(string operation, WorkspaceId workspace, string runId)
    {
        var record = Workspace(workspace, operation);
        return record.Runs.TryGetValue(runId, out var metrics)
            ? metrics
            : throw new RemoteServiceException("Azure", operation, 404, $"Run '{runId}' not found.", "RESOURCE_DOES_NOT_EXIST");
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads better last at the call sites.")]
    private Task<T> Run<T>(string operation, bool isWrite, string resource, string? target, CancellationToken cancellationToken, Func<T> action) =>
        FakeCalls.Run(_gate, _calls, Faults, (operation, isWrite, resource, null, target), action, cancellationToken);

    private WorkspaceRecord SeedWorkspace(WorkspaceId workspace) =>
        _workspaces.TryGetValue(workspace, out var record)
            ? record
            : throw new InvalidOperationException($"Add workspace {workspace} with AddWorkspace first.");

    private WorkspaceRecord Workspace(WorkspaceId workspace, string operation) =>
        _workspaces.TryGetValue(workspace, out var record)
            ? record
            : throw NotFound(operation, "Microsoft.MachineLearningServices/workspaces", workspace.WorkspaceName, workspace.ResourceGroupName);

    private RegistryRecord Registry(MachineLearningRegistryId registry, string operation) =>
        _registries.TryGetValue(registry, out var record)
            ? record
            : throw NotFound(operation, "Microsoft.MachineLearningServices/registries", registry.RegistryName, registry.ResourceGroupName);

    private sealed class WorkspaceRecord(MachineLearningWorkspaceData data)
    {
        public MachineLearningWorkspaceData Data { get; } = data;

        public Dictionary<(string Name, string Version), MachineLearningModelVersionProperties> Models { get; } = [];

        public Dictionary<string, ContainerRecord> Containers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, MachineLearningJobData> Jobs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<RunMetric>> Runs { get; } = new(StringComparer.Ordinal);
    }

    private sealed class RegistryRecord(string location)
    {
        public string Location { get; } = location;

        public Dictionary<(string Name, string Version), MachineLearningModelVersionProperties> Models { get; } = [];
    }

    private sealed class ContainerRecord
    {
        public string? Description { get; init; }

        public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

        public bool IsArchived { get; init; }
    }
}

internal static class ModelPropertiesExtensions
{
    public static MachineLearningModelVersionProperties CloneForFake(this MachineLearningModelVersionProperties source) =>
        MlEnvironmentsModelFactory.MachineLearningModelVersionData(default, "x", "1", source).Properties;
}
