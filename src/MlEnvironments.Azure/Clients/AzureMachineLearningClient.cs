using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using MlEnvironments.Azure.Http;
using MlEnvironments.Azure.Wire;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;

namespace MlEnvironments.Azure;

/// <summary>
/// Azure Machine Learning over ARM (<c>Microsoft.MachineLearningServices</c>, api-version 2025-12-01 by default):
/// workspaces, models and their versions, archiving, registry model versions and publishing, jobs.
/// </summary>
/// <remarks>
/// A 404 on a workspace's model, version or job is answered as "does not exist" (<see langword="null"/>, or an empty
/// list) only when the workspace itself exists: when ARM's error code says a parent is missing
/// (<c>ParentResourceNotFound</c>, <c>ResourceGroupNotFound</c>, <c>SubscriptionNotFound</c>), or a GET of the
/// workspace answers 404 too, the call throws an <see cref="AzureException"/>. Writes of model versions read the
/// version first and put back what the client does not model (MLflow flavors, <c>isAnonymous</c>, …).
/// </remarks>
public sealed class AzureMachineLearningClient :
    IMachineLearningWorkspaceReader,
    IMachineLearningWorkspaceLister,
    IModelContainerReader,
    IModelVersionReader,
    IModelVersionWriter,
    IModelVersionArchiver,
    IRegistryModelVersionClient,
    IMachineLearningJobReader
{
    internal const string Provider = "Microsoft.MachineLearningServices";
    internal const string WorkspaceType = Provider + "/workspaces";
    internal const string ModelContainerType = Provider + "/workspaces/models";
    internal const string ModelVersionType = Provider + "/workspaces/models/versions";
    internal const string JobType = Provider + "/workspaces/jobs";
    internal const string RegistryModelVersionType = Provider + "/registries/models/versions";

    private static readonly string[] ReadOnlyTopLevel = ["id", "name", "type", "systemData"];

    private readonly ArmConnection _arm;

    internal AzureMachineLearningClient(ArmConnection arm) => _arm = arm;

    /// <inheritdoc />
    public async Task<MachineLearningWorkspaceData?> GetWorkspaceAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        const string operation = "Workspaces_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get, _arm.ArmUri(WorkspacePath(workspace), WorkspaceType), null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        EnsureSuccess(operation, response);
        return MapWorkspace(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoWorkspacePropertiesDto), workspace);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MachineLearningWorkspaceData>> ListWorkspacesAsync(string subscriptionId, string resourceGroupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceGroupName);
        var path = $"subscriptions/{ArmConnection.Segment(subscriptionId)}/resourceGroups/{ArmConnection.Segment(resourceGroupName)}/providers/{Provider}/workspaces";
        var workspaces = await _arm.ListAsync("Workspaces_ListByResourceGroup", _arm.ArmUri(path, WorkspaceType),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoWorkspacePropertiesDto,
            dto => dto.Name is { Length: > 0 } name ? MapWorkspace(dto, MlEnvironment.Workspace(subscriptionId, resourceGroupName, name)) : null,
            nullOnNotFound: false, cancellationToken).ConfigureAwait(false);
        return workspaces!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MachineLearningModelContainerData>> ListModelContainersAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        const string operation = "ModelContainers_List";
        var containers = await _arm.ListAsync(operation, _arm.ArmUri(WorkspacePath(workspace) + "/models", ModelContainerType, ("listViewType", "All")),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoModelContainerPropertiesDto,
            dto => MapContainer(dto, workspace, null), nullOnNotFound: true, cancellationToken).ConfigureAwait(false);
        if (containers is null)
        {
            throw await WorkspaceMissingAsync(operation, workspace, cancellationToken).ConfigureAwait(false);
        }

        return containers;
    }

    /// <inheritdoc />
    public async Task<MachineLearningModelContainerData?> GetModelContainerAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        const string operation = "ModelContainers_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get,
            _arm.ArmUri($"{WorkspacePath(workspace)}/models/{ArmConnection.Segment(modelName)}", ModelContainerType), null, cancellationToken).ConfigureAwait(false);
        if (await IsAbsentAsync(operation, workspace, response, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return MapContainer(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoModelContainerPropertiesDto), workspace, modelName);
    }

    /// <inheritdoc />
    public async Task<MachineLearningModelVersionData?> GetModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        const string operation = "ModelVersions_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get, _arm.ArmUri(VersionPath(workspace, modelName, version), ModelVersionType), null, cancellationToken).ConfigureAwait(false);
        if (await IsAbsentAsync(operation, workspace, response, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return MapVersion(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), workspace, modelName, version);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MachineLearningModelVersionData>> ListModelVersionsAsync(WorkspaceId workspace, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        const string operation = "ModelVersions_List";
        var versions = await _arm.ListAsync(operation,
            _arm.ArmUri($"{WorkspacePath(workspace)}/models/{ArmConnection.Segment(modelName)}/versions", ModelVersionType, ("listViewType", "All")),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoModelVersionPropertiesDto,
            dto => MapVersion(dto, workspace, modelName, null), nullOnNotFound: true, cancellationToken).ConfigureAwait(false);
        if (versions is null)
        {
            // The model does not exist (an empty list), unless the workspace does not either.
            if (await GetWorkspaceAsync(workspace, cancellationToken).ConfigureAwait(false) is null)
            {
                throw await WorkspaceMissingAsync(operation, workspace, cancellationToken).ConfigureAwait(false);
            }

            return [];
        }

        return versions;
    }

    /// <inheritdoc />
    public async Task<MachineLearningModelVersionData> CreateOrUpdateModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(properties);
        const string operation = "ModelVersions_CreateOrUpdate";
        var uri = _arm.ArmUri(VersionPath(workspace, modelName, version), ModelVersionType);
        var existing = await GetRawAsync("ModelVersions_Get", uri, workspace, cancellationToken).ConfigureAwait(false);
        var body = BuildVersionBody(properties, existing);
        var response = await _arm.SendAsync(operation, RequestMethod.Put, uri, body, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(operation, response);
        return await ReadVersionOrGetAsync(operation, response, uri, workspace, modelName, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MachineLearningModelVersionData> ArchiveModelVersionAsync(WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var uri = _arm.ArmUri(VersionPath(workspace, modelName, version), ModelVersionType);
        var response = await _arm.SendAsync("ModelVersions_Get", RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess("ModelVersions_Get", response);
        var body = ArmConnection.ReadNode("ModelVersions_Get", response);
        StripReadOnly(body);
        var properties = body["properties"] as JsonObject ?? [];
        body["properties"] = properties;
        properties["isArchived"] = true;

        const string operation = "ModelVersions_CreateOrUpdate";
        var put = await _arm.SendAsync(operation, RequestMethod.Put, uri, body, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(operation, put);
        return await ReadVersionOrGetAsync(operation, put, uri, workspace, modelName, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MachineLearningRegistryModelVersionData?> GetRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        const string operation = "RegistryModelVersions_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get, _arm.ArmUri(RegistryVersionPath(registry, modelName, version), RegistryModelVersionType), null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !IsParentMissing(response))
        {
            return null;
        }

        EnsureSuccess(operation, response);
        return MapRegistryVersion(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), registry, modelName, version);
    }

    /// <inheritdoc />
    public async Task<MachineLearningRegistryModelVersionData> CreateOrUpdateRegistryModelVersionAsync(MachineLearningRegistryId registry, string modelName, string version, MachineLearningModelVersionProperties properties, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(properties);
        const string operation = "RegistryModelVersions_CreateOrUpdate";
        var uri = _arm.ArmUri(RegistryVersionPath(registry, modelName, version), RegistryModelVersionType);
        var current = await _arm.SendAsync("RegistryModelVersions_Get", RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        JsonObject? existing = null;
        if (current.IsSuccess)
        {
            existing = ArmConnection.ReadNode("RegistryModelVersions_Get", current);
        }
        else if (current.Status != 404 || IsParentMissing(current))
        {
            throw ArmConnection.Error("RegistryModelVersions_Get", current);
        }

        var response = await _arm.SendAsync(operation, RequestMethod.Put, uri, BuildVersionBody(properties, existing), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(operation, response);
        if (response.AsyncOperation is not null)
        {
            await _arm.WaitForAsyncOperationAsync(operation, response, cancellationToken).ConfigureAwait(false);
        }
        else if (response.Status is 200 or 201 && response.HasContent)
        {
            // Done at once: no status to poll, the answer is the version.
            return MapRegistryVersion(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), registry, modelName, version);
        }
        else if (response.Location is not null && response.Status == 202)
        {
            await _arm.WaitForLocationAsync(operation, response, cancellationToken).ConfigureAwait(false);
        }

        // final-state-via: original-uri
        var final = await _arm.SendAsync("RegistryModelVersions_Get", RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess("RegistryModelVersions_Get", final);
        return MapRegistryVersion(ArmConnection.Read("RegistryModelVersions_Get", final, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), registry, modelName, version);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Publishing is a <c>POST</c>, which is not idempotent, so it is never sent again blindly: after a 408 or 5xx
    /// answer, or no answer, the service may have published already. The client then reads the registry's version
    /// and continues from there: when it exists and is a copy of the workspace's version (see
    /// <see cref="IsPublishedFrom"/>), the publish is done; when it does not exist, sending the <c>POST</c> again
    /// cannot make a second copy (registry versions are immutable: a publish that got there first makes it answer
    /// 409, and the version is read again), so it is sent again, up to <see cref="AzureOptions.MaxRetries"/> times,
    /// after the back-off of <see cref="AzureOptions.RetryDelay"/>. A 5xx or a timeout while polling an accepted
    /// publish is checked the same way, but not sent again (the service took it); the error then says what to check.
    /// </remarks>
    public async Task<MachineLearningRegistryModelVersionData> PublishModelVersionAsync(WorkspaceId workspace, string modelName, string version, MachineLearningRegistryId registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        const string operation = "ModelVersions_Publish";
        var uri = _arm.ArmUri(VersionPath(workspace, modelName, version) + "/publish", ModelVersionType);
        var body = new JsonObject
        {
            ["registryName"] = registry.RegistryName,
            ["destinationName"] = modelName,
            ["destinationVersion"] = version,
        };
        for (var attempt = 0; ; attempt++)
        {
            AzureException failure;
            ArmResponse? response = null;
            try
            {
                response = await _arm.SendAsync(operation, RequestMethod.Post, uri, body, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccess)
                {
                    await WaitForPublishAsync(operation, response, cancellationToken).ConfigureAwait(false);
                    return await GetRegistryModelVersionAsync(registry, modelName, version, cancellationToken).ConfigureAwait(false)
                           ?? throw new AzureException(operation, 404,
                               $"Azure reported {operation} of {modelName}:{version} to registry {registry.RegistryName} as done, but the registry has no such version.", "ResourceNotFound");
                }

                failure = ArmConnection.Error(operation, response);

                // A conflict on the first POST is someone else's version (or an earlier publish): the caller decides.
                if (!IsUncertain(response.Status) && !(response.Status == 409 && attempt > 0))
                {
                    throw failure;
                }
            }
            catch (AzureException e) when (response is null ? e.StatusCode == 0 : response.IsSuccess && IsUncertain(e.StatusCode))
            {
                // No answer to the POST, or the polling failed on the way (a 5xx, a timeout, a failed operation).
                failure = e;
            }

            // Continue from what exists.
            var published = await GetRegistryModelVersionAsync(registry, modelName, version, cancellationToken).ConfigureAwait(false);
            if (published is not null)
            {
                var source = await GetModelVersionAsync(workspace, modelName, version, cancellationToken).ConfigureAwait(false);
                if (source is not null && IsPublishedFrom(workspace, source, published))
                {
                    return published;
                }

                throw new AzureException(operation, failure.StatusCode,
                    $"Publishing {modelName}:{version} of workspace {workspace.WorkspaceName} to registry {registry.RegistryName} failed ({failure.Message}), and the registry has {modelName}:{version}, " +
                    $"but it does not look like a copy of the workspace's version (job, model type, properties or mlenv.source.* tags differ{(source is null ? "; the workspace's version is gone" : string.Empty)}). " +
                    $"Check which asset registry {registry.RegistryName} holds as {modelName}:{version} before promoting again.",
                    "PublishConflict", requestId: failure.RequestId, innerException: failure);
            }

            if (attempt >= _arm.Options.MaxRetries || (response is not null && response.IsSuccess))
            {
                throw new AzureException(operation, failure.StatusCode,
                    $"Publishing {modelName}:{version} of workspace {workspace.WorkspaceName} to registry {registry.RegistryName} did not complete ({failure.Message}), and the registry has no such version " +
                    $"after {attempt + 1} attempt(s). A publish the service accepted may still be running: check registry {registry.RegistryName} for {modelName}:{version} " +
                    "(az ml model show --registry-name … --name … --version …) before promoting again; promoting again publishes only when the version is absent.",
                    failure.ErrorCode ?? "PublishNotConfirmed", requestId: failure.RequestId, innerException: failure)
                {
                    CorrelationId = failure.CorrelationId,
                    ClientRequestId = failure.ClientRequestId,
                };
            }

            // The registry has no such version: sending the POST again cannot make a second one.
            await Task.Delay(_arm.RetryBackoff(attempt), _arm.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether a registry version is a copy of a workspace's version: the same model type and training job where
    /// both name one, every property of the source (append-only, copied by a publish) with the same value, and —
    /// when the registry version carries MlEnvironments' lineage tags — the same source workspace and version.
    /// </summary>
    internal static bool IsPublishedFrom(WorkspaceId workspace, MachineLearningModelVersionData source, MachineLearningRegistryModelVersionData published)
    {
        var from = source.Properties;
        var to = published.Properties;
        if ((from.ModelType is not null && to.ModelType is not null && !string.Equals(from.ModelType, to.ModelType, StringComparison.OrdinalIgnoreCase)) ||
            (from.JobName is not null && to.JobName is not null && !string.Equals(from.JobName, to.JobName, StringComparison.Ordinal)))
        {
            return false;
        }

        if (from.Properties.Any(p => !to.Properties.TryGetValue(p.Key, out var value) || value != p.Value))
        {
            return false;
        }

        return (!to.Tags.TryGetValue(ModelPromoter.SourceWorkspaceTag, out var taggedWorkspace) || string.Equals(taggedWorkspace, workspace.ResourceId, StringComparison.OrdinalIgnoreCase)) &&
               (!to.Tags.TryGetValue(ModelPromoter.SourceVersionTag, out var taggedVersion) || taggedVersion == source.Version);
    }

    /// <summary>Whether a status leaves open that the service did the work: 408 and 5xx (0 is no answer).</summary>
    private static bool IsUncertain(int status) => status is 0 or 408 or >= 500;

    private async Task WaitForPublishAsync(string operation, ArmResponse response, CancellationToken cancellationToken)
    {
        if (response.Status != 202)
        {
            return;
        }

        if (response.Location is not null)
        {
            await _arm.WaitForLocationAsync(operation, response, cancellationToken).ConfigureAwait(false);
        }
        else if (response.AsyncOperation is not null)
        {
            await _arm.WaitForAsyncOperationAsync(operation, response, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new AzureException(operation, 202, $"Azure accepted {operation} without a Location to poll; the client cannot tell when it ends.", "InvalidResponse", requestId: response.RequestId);
        }
    }

    /// <inheritdoc />
    public async Task<MachineLearningJobData?> GetJobAsync(WorkspaceId workspace, string jobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        const string operation = "Jobs_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get,
            _arm.ArmUri($"{WorkspacePath(workspace)}/jobs/{ArmConnection.Segment(jobName)}", JobType), null, cancellationToken).ConfigureAwait(false);
        if (await IsAbsentAsync(operation, workspace, response, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return MapJob(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoJobPropertiesDto), workspace, jobName);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MachineLearningJobData>> ListJobsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        const string operation = "Jobs_List";
        var jobs = await _arm.ListAsync(operation, _arm.ArmUri(WorkspacePath(workspace) + "/jobs", JobType),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoJobPropertiesDto,
            dto => MapJob(dto, workspace, null), nullOnNotFound: true, cancellationToken).ConfigureAwait(false);
        return jobs ?? throw await WorkspaceMissingAsync(operation, workspace, cancellationToken).ConfigureAwait(false);
    }

    internal static string WorkspacePath(WorkspaceId workspace)
    {
        if (workspace.WorkspaceName.Length == 0)
        {
            throw new ArgumentException("The workspace id is empty (default).", nameof(workspace));
        }

        return $"subscriptions/{ArmConnection.Segment(workspace.SubscriptionId)}/resourceGroups/{ArmConnection.Segment(workspace.ResourceGroupName)}/providers/{Provider}/workspaces/{ArmConnection.Segment(workspace.WorkspaceName)}";
    }

    internal static MachineLearningWorkspaceData MapWorkspace(ArmResourceDto<WorkspacePropertiesDto> dto, WorkspaceId requested)
    {
        var id = WorkspaceId.TryParse(dto.Id, out var parsed) ? parsed : requested;
        var properties = dto.Properties;
        Uri? tracking = null;
        if (properties?.MlFlowTrackingUri is { Length: > 0 } text)
        {
            Uri.TryCreate(text, UriKind.Absolute, out tracking);
        }

        return MlEnvironmentsModelFactory.MachineLearningWorkspaceData(
            id,
            dto.Location ?? string.Empty,
            tracking,
            properties?.ProvisioningState ?? "Unknown",
            Tags(dto.Tags),
            properties?.PublicNetworkAccess,
            properties?.WorkspaceId);
    }

    internal static MachineLearningModelContainerData MapContainer(ArmResourceDto<ModelContainerPropertiesDto> dto, WorkspaceId requested, string? requestedName)
    {
        var id = ArmResourceId.TryParse(dto.Id);
        var workspace = id?.Workspace ?? requested;
        var name = id?.NameOf("models") ?? dto.Name ?? requestedName ?? string.Empty;
        var properties = dto.Properties;
        return MlEnvironmentsModelFactory.MachineLearningModelContainerData(workspace, name, properties?.LatestVersion, properties?.IsArchived ?? false,
            properties?.Description, Tags(properties?.Tags));
    }

    internal static MachineLearningModelVersionData MapVersion(ArmResourceDto<ModelVersionPropertiesDto> dto, WorkspaceId requested, string requestedModel, string? requestedVersion)
    {
        var id = ArmResourceId.TryParse(dto.Id);
        var parsed = id is not null && id.Is(Provider, "workspaces", "models", "versions");
        var workspace = parsed ? id!.Workspace!.Value : requested;
        var model = parsed ? id!.NameOf("models")! : requestedModel;
        var version = parsed ? id!.NameOf("versions")! : dto.Name ?? requestedVersion ?? string.Empty;
        return MlEnvironmentsModelFactory.MachineLearningModelVersionData(workspace, model, version, MapProperties(dto.Properties));
    }

    internal static MachineLearningRegistryModelVersionData MapRegistryVersion(ArmResourceDto<ModelVersionPropertiesDto> dto, MachineLearningRegistryId requested, string requestedModel, string requestedVersion)
    {
        var id = ArmResourceId.TryParse(dto.Id);
        var parsed = id is not null && id.Is(Provider, "registries", "models", "versions");
        var registry = parsed ? id!.Registry!.Value : requested;
        var model = parsed ? id!.NameOf("models")! : requestedModel;
        var version = parsed ? id!.NameOf("versions")! : dto.Name ?? requestedVersion;
        return MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(registry, model, version, MapProperties(dto.Properties));
    }

    internal static MachineLearningJobData MapJob(ArmResourceDto<JobPropertiesDto> dto, WorkspaceId requested, string? requestedName)
    {
        var id = ArmResourceId.TryParse(dto.Id);
        var workspace = id?.Workspace ?? requested;
        var name = id?.NameOf("jobs") ?? dto.Name ?? requestedName ?? string.Empty;
        var properties = dto.Properties;
        return MlEnvironmentsModelFactory.MachineLearningJobData(workspace, name,
            new MachineLearningJobStatus(properties?.Status ?? "Unknown"),
            properties?.JobType ?? "Unknown",
            properties?.DisplayName,
            properties?.ExperimentName,
            Tags(properties?.Tags),
            Tags(properties?.Properties));
    }

    internal static MachineLearningModelVersionProperties MapProperties(ModelVersionPropertiesDto? dto)
    {
        var properties = new MachineLearningModelVersionProperties
        {
            ModelUri = dto?.ModelUri is { Length: > 0 } uri && Uri.TryCreate(uri, UriKind.RelativeOrAbsolute, out var parsed) ? parsed : null,
            ModelType = dto?.ModelType,
            Description = dto?.Description,
            JobName = dto?.JobName,
            Stage = dto?.Stage,
            IsArchived = dto?.IsArchived ?? false,
        };
        foreach (var pair in Tags(dto?.Tags))
        {
            properties.Tags[pair.Key] = pair.Value;
        }

        foreach (var pair in Tags(dto?.Properties))
        {
            properties.Properties[pair.Key] = pair.Value;
        }

        foreach (var flavor in dto?.Flavors ?? [])
        {
            var data = new MachineLearningFlavorData();
            foreach (var pair in Tags(flavor.Value?.Data))
            {
                data.Data[pair.Key] = pair.Value;
            }

            properties.Flavors[flavor.Key] = data;
        }

        return properties;
    }

    /// <summary>
    /// The PUT body of a model version: what the caller gives (description, tags, stage, archive flag; the asset's
    /// URI, type, job and MLflow flavors when given), over what exists (properties appended, fields not given kept),
    /// without read-only fields.
    /// </summary>
    internal static JsonObject BuildVersionBody(MachineLearningModelVersionProperties source, JsonObject? existing)
    {
        var body = existing ?? [];
        StripReadOnly(body);
        var properties = body["properties"] as JsonObject ?? [];
        body["properties"] = properties;
        Set(properties, "description", source.Description);
        properties["tags"] = Map(source.Tags);
        var merged = properties["properties"] as JsonObject ?? [];
        foreach (var pair in source.Properties)
        {
            merged[pair.Key] = pair.Value;
        }

        properties["properties"] = merged;
        if (source.ModelUri is not null)
        {
            properties["modelUri"] = source.ModelUri.OriginalString;
        }

        if (source.ModelType is not null)
        {
            properties["modelType"] = source.ModelType;
        }

        if (source.JobName is not null)
        {
            properties["jobName"] = source.JobName;
        }

        if (source.Flavors.Count > 0)
        {
            var flavors = new JsonObject();
            foreach (var flavor in source.Flavors)
            {
                flavors[flavor.Key] = new JsonObject { ["data"] = Map(flavor.Value.Data) };
            }

            properties["flavors"] = flavors;
        }

        Set(properties, "stage", source.Stage);
        properties["isArchived"] = source.IsArchived;
        return body;
    }

    internal static bool IsParentMissing(ArmResponse response)
    {
        if (response.Status != 404 || !response.HasContent)
        {
            return false;
        }

        var code = ArmConnection.Error("(probe)", response).ErrorCode;
        return code is "ParentResourceNotFound" or "ResourceGroupNotFound" or "SubscriptionNotFound";
    }

    internal static IReadOnlyDictionary<string, string> Tags(Dictionary<string, string?>? source) =>
        source is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : source.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    private static string VersionPath(WorkspaceId workspace, string modelName, string version) =>
        $"{WorkspacePath(workspace)}/models/{ArmConnection.Segment(modelName)}/versions/{ArmConnection.Segment(version)}";

    private static string RegistryVersionPath(MachineLearningRegistryId registry, string modelName, string version)
    {
        if (registry.RegistryName.Length == 0)
        {
            throw new ArgumentException("The registry id is empty (default).", nameof(registry));
        }

        return $"subscriptions/{ArmConnection.Segment(registry.SubscriptionId)}/resourceGroups/{ArmConnection.Segment(registry.ResourceGroupName)}/providers/{Provider}/registries/{ArmConnection.Segment(registry.RegistryName)}/models/{ArmConnection.Segment(modelName)}/versions/{ArmConnection.Segment(version)}";
    }

    private static JsonObject Map(IDictionary<string, string> source)
    {
        var map = new JsonObject();
        foreach (var pair in source)
        {
            map[pair.Key] = pair.Value;
        }

        return map;
    }

    private static void Set(JsonObject target, string name, string? value)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value;
        }
    }

    private static void StripReadOnly(JsonObject body)
    {
        foreach (var name in ReadOnlyTopLevel)
        {
            body.Remove(name);
        }

        if (body["properties"] is JsonObject properties)
        {
            properties.Remove("provisioningState");
        }
    }

    private static void EnsureSuccess(string operation, ArmResponse response)
    {
        if (!response.IsSuccess)
        {
            throw ArmConnection.Error(operation, response);
        }
    }

    /// <summary>A GET of a version as JSON, or <see langword="null"/> when it does not exist in an existing workspace.</summary>
    private async Task<JsonObject?> GetRawAsync(string operation, Uri uri, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var response = await _arm.SendAsync(operation, RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        return await IsAbsentAsync(operation, workspace, response, cancellationToken).ConfigureAwait(false)
            ? null
            : ArmConnection.ReadNode(operation, response);
    }

    /// <summary>
    /// Whether a child of a workspace is absent: <see langword="true"/> for a 404 in an existing workspace; throws for
    /// other errors and for a missing workspace; <see langword="false"/> for a success.
    /// </summary>
    private async Task<bool> IsAbsentAsync(string operation, WorkspaceId workspace, ArmResponse response, CancellationToken cancellationToken)
    {
        if (response.IsSuccess)
        {
            return false;
        }

        if (response.Status != 404 || IsParentMissing(response))
        {
            throw ArmConnection.Error(operation, response);
        }

        // A 403 on the workspace itself still means it exists: AzureML Data Scientist (what a binding assigns) may read
        // everything in a workspace but not the workspace resource, and the 404 came from inside it.
        var check = await _arm.SendAsync("Workspaces_Get", RequestMethod.Get, _arm.ArmUri(WorkspacePath(workspace), WorkspaceType), null, cancellationToken).ConfigureAwait(false);
        if (check.Status == 404)
        {
            throw ArmConnection.Error(operation, response, $"workspace {workspace.ResourceGroupName}/{workspace.WorkspaceName} does not exist");
        }

        if (!check.IsSuccess && check.Status != 403)
        {
            throw ArmConnection.Error("Workspaces_Get", check);
        }

        return true;
    }

    private async Task<AzureException> WorkspaceMissingAsync(string operation, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var response = await _arm.SendAsync("Workspaces_Get", RequestMethod.Get, _arm.ArmUri(WorkspacePath(workspace), WorkspaceType), null, cancellationToken).ConfigureAwait(false);
        return response.IsSuccess
            ? new AzureException(operation, 404, $"Azure answered 404 to {operation} although workspace {workspace.WorkspaceName} exists.", "NotFound")
            : ArmConnection.Error(operation, response, $"workspace {workspace.ResourceGroupName}/{workspace.WorkspaceName} does not exist");
    }

    private async Task<MachineLearningModelVersionData> ReadVersionOrGetAsync(string operation, ArmResponse response, Uri uri, WorkspaceId workspace, string modelName, string version, CancellationToken cancellationToken)
    {
        if (response.HasContent)
        {
            return MapVersion(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), workspace, modelName, version);
        }

        var final = await _arm.SendAsync("ModelVersions_Get", RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess("ModelVersions_Get", final);
        return MapVersion(ArmConnection.Read("ModelVersions_Get", final, ArmJsonContext.Default.ArmResourceDtoModelVersionPropertiesDto), workspace, modelName, version);
    }
}
