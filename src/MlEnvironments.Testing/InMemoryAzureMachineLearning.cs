using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing;

/// <summary>
/// An in-memory Azure Machine Learning that implements the workspace and model interfaces: workspaces compare by
/// ARM id without regard to case, model names and versions are case-sensitive, a version's model URI cannot change
/// once created (409), and writes to an unknown workspace answer 404. Calls are logged and can be made to fail.
/// </summary>
public sealed class InMemoryAzureMachineLearning : IMachineLearningWorkspaceReader, IModelVersionReader, IModelVersionWriter
{
    private readonly object _gate = new();
    private readonly Dictionary<WorkspaceId, WorkspaceRecord> _workspaces = [];
    private readonly List<FakeCall> _calls = [];

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

    /// <summary>Adds a workspace.</summary>
    /// <param name="workspace">Its id.</param>
    /// <param name="location">Its region.</param>
    /// <param name="provisioningState">Its provisioning state.</param>
    /// <returns>This fake.</returns>
    public InMemoryAzureMachineLearning AddWorkspace(WorkspaceId workspace, string location = "westeurope", string provisioningState = "Succeeded")
    {
        lock (_gate)
        {
            var tracking = new Uri($"azureml://{location}.api.azureml.ms/mlflow/v1.0{workspace.ResourceId}");
            _workspaces[workspace] = new WorkspaceRecord(MlEnvironmentsModelFactory.MachineLearningWorkspaceData(workspace, location, tracking, provisioningState));
        }

        return this;
    }

    /// <inheritdoc />
    public Task<MachineLearningWorkspaceData?> GetWorkspaceAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        Run("Workspaces_Get", false, workspace, null, cancellationToken, () =>
            _workspaces.TryGetValue(workspace, out var record) ? record.Data : null);

    /// <inheritdoc />
    public Task<MachineLearningModelVersionData?> GetModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return Run("ModelVersions_Get", false, workspace, $"{modelName}:{version}", cancellationToken, () =>
            Workspace(workspace, "ModelVersions_Get").Models.TryGetValue((modelName, version), out var properties)
                ? MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, version, properties)
                : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineLearningModelVersionData>> ListModelVersionsAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        return Run("ModelVersions_List", false, workspace, modelName, cancellationToken, () =>
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
        return Run(operation, true, workspace, $"{modelName}:{version}", cancellationToken, () =>
        {
            var record = Workspace(workspace, operation);
            if (modelName.Length is 0 or > 255 || !char.IsAsciiLetterOrDigit(modelName[0]) || !modelName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new RemoteServiceException("Azure", operation, 400, $"The model name '{modelName}' is invalid.", "UserError");
            }

            if (record.Models.TryGetValue((modelName, version), out var existing) && existing.ModelUri is not null &&
                properties.ModelUri is not null && existing.ModelUri != properties.ModelUri)
            {
                throw new RemoteServiceException("Azure", operation, 409,
                    $"Model {modelName}:{version} exists with another modelUri; a version's asset cannot change.", "Conflict");
            }

            var stored = properties.CloneForFake();
            if (existing is not null)
            {
                // Like Azure ML: the asset and its properties are set once; tags, description, stage and the archive flag change.
                stored.ModelUri ??= existing.ModelUri;
                stored.ModelType ??= existing.ModelType;
                stored.JobName ??= existing.JobName;
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

            record.Models[(modelName, version)] = stored;
            return MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, modelName, version, stored);
        });
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads better last at the call sites.")]
    private Task<T> Run<T>(string operation, bool isWrite, WorkspaceId workspace, string? target, CancellationToken cancellationToken, Func<T> action)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        FakeCall call;
        lock (_gate)
        {
            call = new FakeCall(_calls.Count + 1, operation, isWrite, workspace.ResourceId, null, target);
            _calls.Add(call);
        }

        try
        {
            Faults.Check(call);
            lock (_gate)
            {
                return Task.FromResult(action());
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private WorkspaceRecord Workspace(WorkspaceId workspace, string operation) =>
        _workspaces.TryGetValue(workspace, out var record)
            ? record
            : throw new RemoteServiceException("Azure", operation, 404, $"Workspace {workspace} was not found.", "ResourceNotFound");

    private sealed class WorkspaceRecord(MachineLearningWorkspaceData data)
    {
        public MachineLearningWorkspaceData Data { get; } = data;

        public Dictionary<(string Name, string Version), MachineLearningModelVersionProperties> Models { get; } = [];
    }
}

internal static class ModelPropertiesExtensions
{
    public static MachineLearningModelVersionProperties CloneForFake(this MachineLearningModelVersionProperties source) =>
        MlEnvironmentsModelFactory.MachineLearningModelVersionData(default, "x", "1", source).Properties;
}
