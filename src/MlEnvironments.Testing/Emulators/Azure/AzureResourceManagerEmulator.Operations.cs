using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing;

public sealed partial class AzureResourceManagerEmulator
{
    private const string Ml = "Microsoft.MachineLearningServices";
    private const string WorkspacePrefix = "subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}";
    private const string RegistryPrefix = "subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/registries/{reg}";
    private const string IdentityPrefix = "subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}";
    private const string MlflowPrefix = "mlflow/v1.0/" + WorkspacePrefix + "/api/2.0/mlflow";

    private static readonly (string Method, string[] Template, string Operation, bool IsMlflow)[] Templates =
    [
        ("GET", Split("subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces"), "Workspaces_ListByResourceGroup", false),
        ("GET", Split(WorkspacePrefix), "Workspaces_Get", false),
        ("GET", Split(WorkspacePrefix + "/models"), "ModelContainers_List", false),
        ("GET", Split(WorkspacePrefix + "/models/{model}"), "ModelContainers_Get", false),
        ("GET", Split(WorkspacePrefix + "/models/{model}/versions"), "ModelVersions_List", false),
        ("GET", Split(WorkspacePrefix + "/models/{model}/versions/{version}"), "ModelVersions_Get", false),
        ("PUT", Split(WorkspacePrefix + "/models/{model}/versions/{version}"), "ModelVersions_CreateOrUpdate", false),
        ("POST", Split(WorkspacePrefix + "/models/{model}/versions/{version}/publish"), "ModelVersions_Publish", false),
        ("GET", Split(WorkspacePrefix + "/jobs"), "Jobs_List", false),
        ("GET", Split(WorkspacePrefix + "/jobs/{job}"), "Jobs_Get", false),
        ("GET", Split(RegistryPrefix + "/models/{model}/versions/{version}"), "RegistryModelVersions_Get", false),
        ("PUT", Split(RegistryPrefix + "/models/{model}/versions/{version}"), "RegistryModelVersions_CreateOrUpdate", false),
        ("GET", Split("subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}/mfeOperationsStatus/{operation}"), "OperationStatus_Get", false),
        ("GET", Split("subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}/mfeOperationResults/{operation}"), "OperationResult_Get", false),
        ("GET", Split(IdentityPrefix), "UserAssignedIdentities_Get", false),
        ("GET", Split(IdentityPrefix + "/federatedIdentityCredentials"), "FederatedIdentityCredentials_List", false),
        ("GET", Split(IdentityPrefix + "/federatedIdentityCredentials/{credential}"), "FederatedIdentityCredentials_Get", false),
        ("PUT", Split(IdentityPrefix + "/federatedIdentityCredentials/{credential}"), "FederatedIdentityCredentials_CreateOrUpdate", false),
        ("DELETE", Split(IdentityPrefix + "/federatedIdentityCredentials/{credential}"), "FederatedIdentityCredentials_Delete", false),
        ("GET", Split(MlflowPrefix + "/runs/get"), "MLflow_GetRun", true),
        ("GET", Split(MlflowPrefix + "/metrics/get-history"), "MLflow_GetMetricHistory", true),
    ];

    private readonly List<FailureAfterProcessing> _failuresAfterProcessing = [];

    private static string[] Split(string template) => template.Split('/');

    private Route? Match(string method, string rawPath)
    {
        var segments = rawPath.Trim('/').Split('/').Select(Unescape).ToArray();

        // {scope}/providers/Microsoft.Authorization/roleAssignments[/{name}], where the scope has any depth.
        for (var i = 1; i + 2 < segments.Length; i++)
        {
            if (segments[i].Equals("providers", StringComparison.OrdinalIgnoreCase) &&
                segments[i + 1].Equals("Microsoft.Authorization", StringComparison.OrdinalIgnoreCase) &&
                segments[i + 2].Equals("roleAssignments", StringComparison.OrdinalIgnoreCase))
            {
                var scope = "/" + string.Join('/', segments[..i]);
                if (segments.Length == i + 3 && method == "GET")
                {
                    return new Route(method, "RoleAssignments_ListForScope", false, new() { ["scope"] = scope }, WithFailureAfterProcessing("RoleAssignments_ListForScope", ListRoleAssignmentsAsync));
                }

                if (segments.Length == i + 4 && method == "PUT")
                {
                    return new Route(method, "RoleAssignments_Create", false, new() { ["scope"] = scope, ["name"] = segments[i + 3] }, WithFailureAfterProcessing("RoleAssignments_Create", PutRoleAssignmentAsync));
                }

                return null;
            }
        }

        foreach (var (templateMethod, template, operation, isMlflow) in Templates)
        {
            if (templateMethod != method || template.Length != segments.Length)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var matched = true;
            for (var i = 0; i < template.Length && matched; i++)
            {
                if (template[i].StartsWith('{'))
                {
                    matched = segments[i].Length > 0;
                    parameters[template[i][1..^1]] = segments[i];
                }
                else
                {
                    matched = template[i].Equals(segments[i], StringComparison.OrdinalIgnoreCase);
                }
            }

            if (matched)
            {
                return new Route(method, operation, isMlflow, parameters, WithFailureAfterProcessing(operation, HandlerFor(operation)));
            }
        }

        return null;
    }

    private Func<ArmRequest, Task<ArmAnswer>> HandlerFor(string operation) => operation switch
    {
        "Workspaces_ListByResourceGroup" => ListWorkspacesAsync,
        "Workspaces_Get" => GetWorkspaceAsync,
        "ModelContainers_List" => ListModelContainersAsync,
        "ModelContainers_Get" => GetModelContainerAsync,
        "ModelVersions_List" => ListModelVersionsAsync,
        "ModelVersions_Get" => GetModelVersionAsync,
        "ModelVersions_CreateOrUpdate" => PutModelVersionAsync,
        "ModelVersions_Publish" => PublishAsync,
        "Jobs_List" => ListJobsAsync,
        "Jobs_Get" => GetJobAsync,
        "RegistryModelVersions_Get" => GetRegistryModelVersionAsync,
        "RegistryModelVersions_CreateOrUpdate" => PutRegistryModelVersionAsync,
        "OperationStatus_Get" => PollAsync,
        "OperationResult_Get" => PollAsync,
        "UserAssignedIdentities_Get" => GetIdentityAsync,
        "FederatedIdentityCredentials_List" => ListCredentialsAsync,
        "FederatedIdentityCredentials_Get" => GetCredentialAsync,
        "FederatedIdentityCredentials_CreateOrUpdate" => PutCredentialAsync,
        "FederatedIdentityCredentials_Delete" => DeleteCredentialAsync,
        "MLflow_GetRun" => GetRunAsync,
        "MLflow_GetMetricHistory" => GetMetricHistoryAsync,
        _ => throw new InvalidOperationException("No handler for " + operation),
    };

    private static string Unescape(string segment)
    {
        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return segment;
        }
    }

    // ---- Workspaces, models, jobs ----

    private static WorkspaceId WorkspaceOf(ArmRequest request) => MlEnvironment.Workspace(request["sub"], request["rg"], request["ws"]);

    private static MachineLearningRegistryId RegistryOf(ArmRequest request) => MachineLearningRegistryId.Create(request["sub"], request["rg"], request["reg"]);

    private static UserAssignedIdentityId IdentityOf(ArmRequest request) => UserAssignedIdentityId.Create(request["sub"], request["rg"], request["identity"]);

    private async Task<ArmAnswer> GetWorkspaceAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var data = await MachineLearning.GetWorkspaceAsync(workspace, request.CancellationToken).ConfigureAwait(false);
        return data is null
            ? throw InMemoryAzureMachineLearning.NotFound(request.Route.Operation, Ml + "/workspaces", workspace.WorkspaceName, workspace.ResourceGroupName)
            : ArmAnswer.Json(200, WorkspaceJson(data));
    }

    private async Task<ArmAnswer> ListWorkspacesAsync(ArmRequest request)
    {
        var workspaces = await MachineLearning.ListWorkspacesAsync(request["sub"], request["rg"], request.CancellationToken).ConfigureAwait(false);
        return Page(request, workspaces.Select(WorkspaceJson));
    }

    private async Task<ArmAnswer> ListModelContainersAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var view = ListView(request);
        var containers = await MachineLearning.ListModelContainersAsync(workspace, request.CancellationToken).ConfigureAwait(false);
        return Page(request, containers.Where(c => InView(view, c.IsArchived)).Select(ContainerJson));
    }

    private async Task<ArmAnswer> GetModelContainerAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var container = await MachineLearning.GetModelContainerAsync(workspace, request["model"], request.CancellationToken).ConfigureAwait(false);
        return container is null
            ? ArmAnswer.Error(404, "UserError", $"Not found: model {request["model"]} does not exist in workspace {workspace.WorkspaceName}.")
            : ArmAnswer.Json(200, ContainerJson(container));
    }

    private async Task<ArmAnswer> ListModelVersionsAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var view = ListView(request);
        var versions = await MachineLearning.ListModelVersionsAsync(workspace, request["model"], request.CancellationToken).ConfigureAwait(false);
        return Page(request, versions.Where(v => InView(view, v.Properties.IsArchived))
            .Select(v => VersionJson(v.ResourceId, Ml + "/workspaces/models/versions", v.Version, v.Properties)));
    }

    private async Task<ArmAnswer> GetModelVersionAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var version = await MachineLearning.GetModelVersionAsync(workspace, request["model"], request["version"], request.CancellationToken).ConfigureAwait(false);
        return version is null
            ? ArmAnswer.Error(404, "UserError", $"Not found: model {request["model"]} has no version {request["version"]} in workspace {workspace.WorkspaceName}.")
            : ArmAnswer.Json(200, VersionJson(version.ResourceId, Ml + "/workspaces/models/versions", version.Version, version.Properties));
    }

    private async Task<ArmAnswer> PutModelVersionAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var properties = ParseVersion(request);
        var existed = MachineLearning.HasModelVersion(workspace, request["model"], request["version"]);
        var stored = await MachineLearning.CreateOrUpdateModelVersionAsync(workspace, request["model"], request["version"], properties, request.CancellationToken).ConfigureAwait(false);
        return ArmAnswer.Json(existed ? 200 : 201, VersionJson(stored.ResourceId, Ml + "/workspaces/models/versions", stored.Version, stored.Properties));
    }

    private async Task<ArmAnswer> PublishAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        string model = request["model"], version = request["version"];
        var registryName = BodyString(request, "registryName", required: true)!;
        var destinationName = BodyString(request, "destinationName", required: false) ?? model;
        var destinationVersion = BodyString(request, "destinationVersion", required: false) ?? version;
        if (destinationName != model || destinationVersion != version)
        {
            throw new EmulatorBadRequestException("UserError", "The emulator publishes a version under its own name and version; destinationName and destinationVersion must match.", "destinationName");
        }

        var registry = MachineLearning.FindRegistry(registryName)
                       ?? throw new RemoteServiceException("Azure", request.Route.Operation, 404, $"Registry '{registryName}' was not found.", "ResourceNotFound");
        MachineLearning.ValidatePublish(workspace, model, version, registry);
        var location = (await MachineLearning.GetWorkspaceAsync(workspace, request.CancellationToken).ConfigureAwait(false))?.Location ?? "westeurope";
        return await StartOperationAsync(request, viaLocation: true, location,
            // The work may run during a later poll, after this request has ended: it must not use the request.
            () => MachineLearning.PublishModelVersionAsync(workspace, model, version, registry, CancellationToken.None),
            immediate: () => ArmAnswer.Empty(200)).ConfigureAwait(false);
    }

    private async Task<ArmAnswer> ListJobsAsync(ArmRequest request)
    {
        var jobs = await MachineLearning.ListJobsAsync(WorkspaceOf(request), request.CancellationToken).ConfigureAwait(false);
        return Page(request, jobs.Select(JobJson));
    }

    private async Task<ArmAnswer> GetJobAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var job = await MachineLearning.GetJobAsync(workspace, request["job"], request.CancellationToken).ConfigureAwait(false);
        return job is null
            ? ArmAnswer.Error(404, "UserError", $"Not found: job {request["job"]} does not exist in workspace {workspace.WorkspaceName}.")
            : ArmAnswer.Json(200, JobJson(job));
    }

    private async Task<ArmAnswer> GetRegistryModelVersionAsync(ArmRequest request)
    {
        var registry = RegistryOf(request);
        var version = await MachineLearning.GetRegistryModelVersionAsync(registry, request["model"], request["version"], request.CancellationToken).ConfigureAwait(false);
        return version is null
            ? ArmAnswer.Error(404, "UserError", $"Not found: model {request["model"]} has no version {request["version"]} in registry {registry.RegistryName}.")
            : ArmAnswer.Json(200, RegistryVersionJson(version));
    }

    private async Task<ArmAnswer> PutRegistryModelVersionAsync(ArmRequest request)
    {
        var registry = RegistryOf(request);
        string model = request["model"], version = request["version"];
        var properties = ParseVersion(request);
        var location = MachineLearning.RegistryLocation(registry)
                       ?? throw InMemoryAzureMachineLearning.NotFound(request.Route.Operation, Ml + "/registries", registry.RegistryName, registry.ResourceGroupName);
        var existed = MachineLearning.HasRegistryModelVersion(registry, model, version);
        MachineLearningRegistryModelVersionData? stored = null;
        var answer = await StartOperationAsync(request, viaLocation: false, location,
            async () => stored = await MachineLearning.CreateOrUpdateRegistryModelVersionAsync(registry, model, version, properties, CancellationToken.None).ConfigureAwait(false),
            immediate: () => ArmAnswer.Json(existed ? 200 : 201, RegistryVersionJson(stored!))).ConfigureAwait(false);
        if (answer.StatusCode == 201 && stored is null)
        {
            // Accepted: the body is the version as requested, still being created.
            var pending = MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(registry, model, version, properties);
            var body = RegistryVersionJson(pending);
            body["properties"]!["provisioningState"] = "Creating";
            var accepted = ArmAnswer.Json(201, body);
            foreach (var header in answer.Headers)
            {
                accepted.WithHeader(header.Key, header.Value);
            }

            return accepted;
        }

        return answer;
    }

    // ---- Long-running operations ----

    private async Task<ArmAnswer> StartOperationAsync(ArmRequest request, bool viaLocation, string location, Func<Task> work, Func<ArmAnswer> immediate)
    {
        (string Code, string Message)? failure;
        lock (_gate)
        {
            failure = _failNextOperation;
            _failNextOperation = null;
        }

        if (_options.LongRunningOperationPolls == 0 && failure is null)
        {
            await work().ConfigureAwait(false);
            return immediate();
        }

        var id = Guid.NewGuid().ToString("D");
        var kind = viaLocation ? "mfeOperationResults" : "mfeOperationsStatus";
        var url = $"{Endpoint}subscriptions/{Uri.EscapeDataString(request["sub"])}/providers/{Ml}/locations/{Uri.EscapeDataString(location)}/{kind}/{id}?api-version={Uri.EscapeDataString(request.ApiVersion)}";
        var operation = new PendingOperation(id, viaLocation, url, work, _options.LongRunningOperationPolls, failure);
        lock (_gate)
        {
            _operations[id] = operation;
        }

        var answer = viaLocation ? ArmAnswer.Empty(202).WithHeader("Location", url) : ArmAnswer.Empty(201).WithHeader("Azure-AsyncOperation", url);
        WithRetryAfter(answer);
        if (!viaLocation && _options.AsyncOperationTimeout is { } timeout)
        {
            answer.WithHeader("x-ms-async-operation-timeout", XmlConvert.ToString(timeout));
        }

        return answer;
    }

    private async Task<ArmAnswer> PollAsync(ArmRequest request)
    {
        PendingOperation? operation;
        lock (_gate)
        {
            _operations.TryGetValue(request["operation"], out operation);
        }

        var viaLocation = request.Route.Operation == "OperationResult_Get";
        if (operation is null || operation.ViaLocation != viaLocation)
        {
            return ArmAnswer.Error(404, "NotFound", $"Operation {request["operation"]} does not exist.");
        }

        if (operation.Status == "InProgress")
        {
            if (operation.Remaining > 0)
            {
                operation.Remaining--;
                return WithRetryAfter(viaLocation
                    ? ArmAnswer.Empty(202).WithHeader("Location", operation.Url)
                    : ArmAnswer.Json(200, StatusJson(operation)));
            }

            await CompleteAsync(operation).ConfigureAwait(false);
        }

        if (!viaLocation)
        {
            return ArmAnswer.Json(200, StatusJson(operation));
        }

        return operation.Status == "Succeeded"
            ? ArmAnswer.Empty(200)
            : ArmAnswer.Error(operation.ErrorStatus, operation.ErrorCode!, operation.ErrorMessage!);
    }

    /// <summary>Does an operation's work (or its injected failure) and records how it ended.</summary>
    private static async Task CompleteAsync(PendingOperation operation)
    {
        if (operation.InjectedFailure is { } injected)
        {
            operation.Fail(500, injected.Code, injected.Message);
            return;
        }

        try
        {
            await operation.Work().ConfigureAwait(false);
            operation.Status = "Succeeded";
        }
        catch (RemoteServiceException e)
        {
            operation.Fail(e.StatusCode is >= 400 and < 600 ? e.StatusCode : 500, e.ErrorCode ?? DefaultCode(e.StatusCode), e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            operation.Fail(500, "InternalServerError", e.Message);
        }
    }

    // ---- Failures after processing ----

    /// <summary>
    /// Makes the next <paramref name="count"/> requests of <paramref name="operation"/> (e.g. <c>ModelVersions_Publish</c>)
    /// that succeed answer <paramref name="statusCode"/> instead — <em>after</em> the emulator has done them: the state
    /// changes as for the success, and a long-running operation the request starts is completed at once, as the
    /// service would go on with it. This is a gateway's 503 or 504 after the service processed the call, where a client
    /// that sends the call again does it twice. Requests that fail anyway are not counted.
    /// </summary>
    /// <param name="operation">The operation, as in <see cref="AzureEmulatorRequest.Operation"/>.</param>
    /// <param name="count">How many requests fail this way.</param>
    /// <param name="statusCode">The status answered, 408 or 500 to 599; default 503 <c>ServiceUnavailable</c>.</param>
    public void InjectFailureAfterProcessing(string operation, int count = 1, int statusCode = 503)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (statusCode is not (408 or (>= 500 and <= 599)))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A failure after processing answers 408 or a 5xx status.");
        }

        lock (_gate)
        {
            _failuresAfterProcessing.Add(new FailureAfterProcessing(operation, count, statusCode));
        }
    }

    private Func<ArmRequest, Task<ArmAnswer>> WithFailureAfterProcessing(string operation, Func<ArmRequest, Task<ArmAnswer>> handler) => async request =>
    {
        var answer = await handler(request).ConfigureAwait(false);
        if (answer.StatusCode is < 200 or > 299 || TakeFailureAfterProcessing(operation) is not { } status)
        {
            return answer;
        }

        if (answer.Headers.TryGetValue("Location", out var url) || answer.Headers.TryGetValue("Azure-AsyncOperation", out url))
        {
            PendingOperation? started;
            lock (_gate)
            {
                started = _operations.Values.FirstOrDefault(o => o.Url == url);
            }

            if (started is { Status: "InProgress" })
            {
                await CompleteAsync(started).ConfigureAwait(false);
            }
        }

        var code = status switch
        {
            408 => "RequestTimeout",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => DefaultCode(status),
        };
        return request.Route.IsMlflow
            ? ArmAnswer.Mlflow(status, "TEMPORARILY_UNAVAILABLE", "The service is unavailable (injected by the emulator after it processed the request).")
            : ArmAnswer.Error(status, code, "The service is unavailable (injected by the emulator after it processed the request).");
    };

    private int? TakeFailureAfterProcessing(string operation)
    {
        lock (_gate)
        {
            var index = _failuresAfterProcessing.FindIndex(f => string.Equals(f.Operation, operation, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var failure = _failuresAfterProcessing[index];
            if (failure.Remaining <= 1)
            {
                _failuresAfterProcessing.RemoveAt(index);
            }
            else
            {
                _failuresAfterProcessing[index] = failure with { Remaining = failure.Remaining - 1 };
            }

            return failure.StatusCode;
        }
    }

    private static JsonObject StatusJson(PendingOperation operation)
    {
        var status = new JsonObject
        {
            ["id"] = new Uri(operation.Url).AbsolutePath,
            ["name"] = operation.Id,
            ["status"] = operation.Status,
        };
        if (operation.Status == "Failed")
        {
            status["error"] = new JsonObject { ["code"] = operation.ErrorCode, ["message"] = operation.ErrorMessage, ["details"] = new JsonArray() };
        }

        return status;
    }

    /// <summary>Adds <see cref="AzureResourceManagerEmulatorOptions.PollRetryAfter"/> in whole seconds, unless it is <see langword="null"/>.</summary>
    private ArmAnswer WithRetryAfter(ArmAnswer answer) =>
        _options.PollRetryAfter is { } wait
            ? answer.WithHeader("Retry-After", Math.Max(0, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture))
            : answer;

    // ---- Identities and federated credentials ----

    private async Task<ArmAnswer> GetIdentityAsync(ArmRequest request)
    {
        var identity = IdentityOf(request);
        var data = await Identity.GetIdentityAsync(identity, request.CancellationToken).ConfigureAwait(false);
        return data is null
            ? throw InMemoryAzureMachineLearning.NotFound(request.Route.Operation, "Microsoft.ManagedIdentity/userAssignedIdentities", identity.Name, identity.ResourceGroupName)
            : ArmAnswer.Json(200, new JsonObject
            {
                ["id"] = data.Id.ResourceId,
                ["name"] = data.Id.Name,
                ["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities",
                ["location"] = data.Location,
                ["tags"] = new JsonObject(),
                ["properties"] = new JsonObject
                {
                    ["tenantId"] = data.TenantId.ToString("D"),
                    ["principalId"] = data.PrincipalId.ToString("D"),
                    ["clientId"] = data.ClientId.ToString("D"),
                },
            });
    }

    private async Task<ArmAnswer> ListCredentialsAsync(ArmRequest request)
    {
        var identity = IdentityOf(request);
        var credentials = await Identity.ListFederatedIdentityCredentialsAsync(identity, request.CancellationToken).ConfigureAwait(false);
        return Page(request, credentials.Select(c => CredentialJson(identity, c)));
    }

    private async Task<ArmAnswer> GetCredentialAsync(ArmRequest request)
    {
        var identity = IdentityOf(request);
        var credential = await Identity.GetFederatedIdentityCredentialAsync(identity, request["credential"], request.CancellationToken).ConfigureAwait(false);
        return credential is null
            ? ArmAnswer.Error(404, "NotFound", $"Federated identity credential '{request["credential"]}' of identity {identity.Name} was not found.")
            : ArmAnswer.Json(200, CredentialJson(identity, credential));
    }

    private async Task<ArmAnswer> PutCredentialAsync(ArmRequest request)
    {
        var identity = IdentityOf(request);
        var properties = Properties(request);
        var issuerText = RequiredString(properties, "issuer", "properties.issuer");
        if (!Uri.TryCreate(issuerText, UriKind.Absolute, out var issuer))
        {
            throw new EmulatorBadRequestException("BadRequest", $"The issuer '{issuerText}' is not an absolute URL.", "properties.issuer");
        }

        var subject = RequiredString(properties, "subject", "properties.subject");
        if (!properties.TryGetProperty("audiences", out var audiences) || audiences.ValueKind != JsonValueKind.Array ||
            audiences.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
        {
            throw new EmulatorBadRequestException("BadRequest", "properties.audiences must be an array of strings.", "properties.audiences");
        }

        var existed = Identity.HasCredential(identity, request["credential"]);
        var stored = await Identity.CreateOrUpdateFederatedIdentityCredentialAsync(identity,
            new FederatedIdentityCredentialData(request["credential"], issuer, subject, [.. audiences.EnumerateArray().Select(a => a.GetString()!)]),
            request.CancellationToken).ConfigureAwait(false);
        return ArmAnswer.Json(existed ? 200 : 201, CredentialJson(identity, stored));
    }

    private async Task<ArmAnswer> DeleteCredentialAsync(ArmRequest request)
    {
        var identity = IdentityOf(request);
        var existed = Identity.HasCredential(identity, request["credential"]);
        await Identity.DeleteFederatedIdentityCredentialAsync(identity, request["credential"], request.CancellationToken).ConfigureAwait(false);
        return ArmAnswer.Empty(existed ? 200 : 204);
    }

    // ---- Role assignments ----

    private async Task<ArmAnswer> ListRoleAssignmentsAsync(ArmRequest request)
    {
        var filter = request.Query("$filter")?.Trim();
        Guid? principal = null;
        var atScope = false;
        if (!string.IsNullOrEmpty(filter))
        {
            foreach (var clause in filter.Split(" and ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (clause.Equals("atScope()", StringComparison.OrdinalIgnoreCase))
                {
                    atScope = true;
                }
                else if (clause.StartsWith("principalId eq '", StringComparison.OrdinalIgnoreCase) && clause.EndsWith('\'') &&
                         Guid.TryParse(clause["principalId eq '".Length..^1], out var id))
                {
                    principal = id;
                }
                else
                {
                    throw new EmulatorBadRequestException("InvalidFilterInQueryString", $"The filter '{filter}' is not supported: use atScope(), principalId eq '{{id}}' or both.", "$filter");
                }
            }
        }

        var assignments = await Identity.QueryRoleAssignmentsAsync(request["scope"], principal, atScope, request.CancellationToken).ConfigureAwait(false);
        return Page(request, assignments.Select(RoleAssignmentJson));
    }

    private async Task<ArmAnswer> PutRoleAssignmentAsync(ArmRequest request)
    {
        if (!Guid.TryParse(request["name"], out _))
        {
            throw new EmulatorBadRequestException("InvalidRoleAssignmentId", $"The role assignment ID '{request["name"]}' is not valid. The role assignment ID must be a GUID.");
        }

        var properties = Properties(request);
        var role = RequiredString(properties, "roleDefinitionId", "properties.roleDefinitionId");
        var principalText = RequiredString(properties, "principalId", "properties.principalId");
        if (!Guid.TryParse(principalText, out var principal))
        {
            throw new EmulatorBadRequestException("InvalidPrincipalId", $"A valid principal ID must be provided for role assignment; '{principalText}' is not one.", "properties.principalId");
        }

        try
        {
            InMemoryAzureIdentity.RoleGuid(role);
        }
        catch (ArgumentException)
        {
            throw new EmulatorBadRequestException("InvalidRoleDefinitionId", $"The role definition ID '{role}' is not valid.", "properties.roleDefinitionId");
        }

        var principalType = properties.TryGetProperty("principalType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        var (assignment, created) = await Identity.PutRoleAssignmentAsync(request["scope"], request["name"], role, principal, principalType, request.CancellationToken).ConfigureAwait(false);
        return ArmAnswer.Json(created ? 201 : 200, RoleAssignmentJson(assignment));
    }

    // ---- MLflow ----

    private async Task<ArmAnswer> GetRunAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var runId = request.Query("run_id") ?? request.Query("run_uuid")
                    ?? throw new EmulatorBadRequestException("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'run_id'.");
        var metrics = await MachineLearning.GetLatestMetricsAsync(workspace, runId, request.CancellationToken).ConfigureAwait(false);
        var (experiment, status) = MachineLearning.RunInfo(workspace, runId);
        var list = new JsonArray();
        foreach (var metric in metrics.Values.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            list.Add((JsonNode)MetricJson(metric));
        }

        return ArmAnswer.Json(200, new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["info"] = new JsonObject
                {
                    ["run_id"] = runId,
                    ["run_uuid"] = runId,
                    ["experiment_id"] = InMemoryAzureMachineLearning.DeterministicGuid(experiment ?? "Default").ToString("D"),
                    ["status"] = MlflowStatus(status),
                    ["artifact_uri"] = $"azureml://experiments/{experiment ?? "Default"}/runs/{runId}/artifacts",
                    ["lifecycle_stage"] = "active",
                },
                ["data"] = new JsonObject
                {
                    ["metrics"] = list,
                    ["params"] = new JsonArray(),
                    ["tags"] = new JsonArray(),
                },
            },
        });
    }

    private async Task<ArmAnswer> GetMetricHistoryAsync(ArmRequest request)
    {
        var workspace = WorkspaceOf(request);
        var runId = request.Query("run_id") ?? request.Query("run_uuid")
                    ?? throw new EmulatorBadRequestException("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'run_id'.");
        var key = request.Query("metric_key")
                  ?? throw new EmulatorBadRequestException("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'metric_key'.");
        var size = int.TryParse(request.Query("max_results"), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0 ? Math.Min(max, _options.PageSize) : _options.PageSize;
        var offset = 0;
        if (request.Query("page_token") is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            throw new EmulatorBadRequestException("INVALID_PARAMETER_VALUE", $"Invalid page token '{token}'.");
        }

        var history = await MachineLearning.GetMetricHistoryAsync(workspace, runId, key, request.CancellationToken).ConfigureAwait(false);
        var page = new JsonArray();
        foreach (var metric in history.Skip(offset).Take(size))
        {
            page.Add((JsonNode)MetricJson(metric));
        }

        var body = new JsonObject { ["metrics"] = page };
        if (offset + size < history.Count)
        {
            body["next_page_token"] = (offset + size).ToString(CultureInfo.InvariantCulture);
        }

        return ArmAnswer.Json(200, body);
    }

    private static string MlflowStatus(MachineLearningJobStatus? status)
    {
        if (status is not { } value)
        {
            return "FINISHED";
        }

        if (value == MachineLearningJobStatus.Completed)
        {
            return "FINISHED";
        }

        if (value == MachineLearningJobStatus.Failed)
        {
            return "FAILED";
        }

        if (value == MachineLearningJobStatus.Canceled || value == MachineLearningJobStatus.CancelRequested)
        {
            return "KILLED";
        }

        return value == MachineLearningJobStatus.NotStarted || value == MachineLearningJobStatus.Queued ? "SCHEDULED" : "RUNNING";
    }

    private static JsonObject MetricJson(RunMetric metric) => new()
    {
        ["key"] = metric.Key,

        // MLflow writes NaN and infinities as strings; JSON has no such numbers.
        ["value"] = double.IsFinite(metric.Value) ? JsonValue.Create(metric.Value) : JsonValue.Create(double.IsNaN(metric.Value) ? "NaN" : metric.Value > 0 ? "Infinity" : "-Infinity"),
        ["timestamp"] = metric.Timestamp.ToUnixTimeMilliseconds(),
        ["step"] = metric.Step,
    };

    // ---- JSON ----

    private ArmAnswer Page(ArmRequest request, IEnumerable<JsonNode> items)
    {
        var all = items.ToList();
        var skip = 0;
        if (request.Query("$skip") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            throw new EmulatorBadRequestException("InvalidQueryParameterValue", $"The value '{text}' of $skip is not valid.", "$skip");
        }

        var value = new JsonArray();
        foreach (var item in all.Skip(skip).Take(_options.PageSize))
        {
            value.Add(item);
        }

        var body = new JsonObject { ["value"] = value };
        if (skip + _options.PageSize < all.Count)
        {
            var query = new StringBuilder();
            foreach (var pair in request.Http.Request.Query.Where(q => q.Key != "$skip"))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(pair.Key).Replace("%24", "$", StringComparison.Ordinal))
                    .Append('=').Append(Uri.EscapeDataString(pair.Value.ToString()));
            }

            query.Append(query.Length == 0 ? '?' : '&').Append("$skip=").Append((skip + _options.PageSize).ToString(CultureInfo.InvariantCulture));
            body["nextLink"] = Endpoint.AbsoluteUri + request.Http.Request.Path.ToUriComponent().TrimStart('/') + query;
        }

        return ArmAnswer.Json(200, body);
    }

    private static string ListView(ArmRequest request)
    {
        var view = request.Query("listViewType") ?? "ActiveOnly";
        return view.ToUpperInvariant() switch
        {
            "ACTIVEONLY" or "ARCHIVEDONLY" or "ALL" => view.ToUpperInvariant(),
            _ => throw new EmulatorBadRequestException("BadRequest", $"listViewType must be ActiveOnly, ArchivedOnly or All; it is '{view}'.", "listViewType"),
        };
    }

    private static bool InView(string view, bool archived) => view switch
    {
        "ALL" => true,
        "ARCHIVEDONLY" => archived,
        _ => !archived,
    };

    private JsonObject WorkspaceJson(MachineLearningWorkspaceData data)
    {
        var properties = new JsonObject
        {
            ["friendlyName"] = data.Name,
            ["provisioningState"] = data.ProvisioningState,
            ["discoveryUrl"] = $"https://{data.Location}.api.azureml.ms/discovery",
            ["hbiWorkspace"] = false,
        };
        if (data.WorkspaceGuid is { } guid)
        {
            properties["workspaceId"] = guid;
        }

        if (data.PublicNetworkAccess is { } access)
        {
            properties["publicNetworkAccess"] = access;
        }

        if (data.MlFlowTrackingUri is { } tracking)
        {
            properties["mlFlowTrackingUri"] = _options.RewriteTrackingUris
                ? $"azureml://{Endpoint.Authority}{tracking.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped)}"
                : tracking.OriginalString;
        }

        return new JsonObject
        {
            ["id"] = data.Id.ResourceId,
            ["name"] = data.Name,
            ["type"] = Ml + "/workspaces",
            ["location"] = data.Location,
            ["tags"] = Map(data.Tags),
            ["kind"] = "Default",
            ["properties"] = properties,
        };
    }

    private static JsonObject ContainerJson(MachineLearningModelContainerData data)
    {
        var properties = new JsonObject
        {
            ["tags"] = Map(data.Tags),
            ["properties"] = new JsonObject(),
            ["isArchived"] = data.IsArchived,
            ["provisioningState"] = "Succeeded",
        };
        if (data.Description is { } description)
        {
            properties["description"] = description;
        }

        if (data.LatestVersion is { } latest)
        {
            properties["latestVersion"] = latest;
            if (long.TryParse(latest, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                properties["nextVersion"] = (number + 1).ToString(CultureInfo.InvariantCulture);
            }
        }

        return new JsonObject
        {
            ["id"] = $"{data.Workspace.ResourceId}/models/{data.Name}",
            ["name"] = data.Name,
            ["type"] = Ml + "/workspaces/models",
            ["properties"] = properties,
        };
    }

    private static JsonObject RegistryVersionJson(MachineLearningRegistryModelVersionData data) =>
        VersionJson($"{data.Registry.ResourceId}/models/{data.ModelName}/versions/{data.Version}", Ml + "/registries/models/versions", data.Version, data.Properties);

    private static JsonObject VersionJson(string id, string type, string version, MachineLearningModelVersionProperties source)
    {
        var properties = new JsonObject
        {
            ["tags"] = Map(source.Tags),
            ["properties"] = Map(source.Properties),
            ["isAnonymous"] = false,
            ["isArchived"] = source.IsArchived,
            ["provisioningState"] = "Succeeded",
        };
        Set(properties, "description", source.Description);
        Set(properties, "modelType", source.ModelType);
        Set(properties, "modelUri", source.ModelUri?.OriginalString);
        Set(properties, "jobName", source.JobName);
        Set(properties, "stage", source.Stage);
        SetFlavors(properties, source);
        return new JsonObject
        {
            ["id"] = id,
            ["name"] = version,
            ["type"] = type,
            ["properties"] = properties,
        };
    }

    private static JsonObject JobJson(MachineLearningJobData job)
    {
        var properties = new JsonObject
        {
            ["jobType"] = job.JobType,
            ["status"] = job.Status.ToString(),
            ["tags"] = Map(job.Tags),
            ["properties"] = Map(job.Properties),
            ["isArchived"] = false,
        };
        Set(properties, "displayName", job.DisplayName);
        Set(properties, "experimentName", job.ExperimentName);
        return new JsonObject
        {
            ["id"] = $"{job.Workspace.ResourceId}/jobs/{job.Name}",
            ["name"] = job.Name,
            ["type"] = Ml + "/workspaces/jobs",
            ["properties"] = properties,
        };
    }

    private static JsonObject CredentialJson(UserAssignedIdentityId identity, FederatedIdentityCredentialData credential)
    {
        var audiences = new JsonArray();
        foreach (var audience in credential.Audiences)
        {
            audiences.Add((JsonNode?)JsonValue.Create(audience));
        }

        return new JsonObject
        {
            ["id"] = $"{identity.ResourceId}/federatedIdentityCredentials/{credential.Name}",
            ["name"] = credential.Name,
            ["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
            ["properties"] = new JsonObject
            {
                ["issuer"] = credential.Issuer.OriginalString,
                ["subject"] = credential.Subject,
                ["audiences"] = audiences,
            },
        };
    }

    private static JsonObject RoleAssignmentJson(RoleAssignmentData assignment)
    {
        var properties = new JsonObject
        {
            ["roleDefinitionId"] = assignment.RoleDefinitionId,
            ["principalId"] = assignment.PrincipalId.ToString("D"),
            ["scope"] = assignment.Scope,
        };
        Set(properties, "principalType", assignment.PrincipalType);
        return new JsonObject
        {
            ["id"] = $"{assignment.Scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments/{assignment.Name}",
            ["name"] = assignment.Name,
            ["type"] = "Microsoft.Authorization/roleAssignments",
            ["properties"] = properties,
        };
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var pair in pairs)
        {
            map[pair.Key] = pair.Value;
        }

        return map;
    }

    private static void Set(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    private static JsonElement Properties(ArmRequest request)
    {
        if (request.Body is not { ValueKind: JsonValueKind.Object } body)
        {
            throw new EmulatorBadRequestException("InvalidRequestContent", "The request content must be a JSON object.");
        }

        if (!body.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            throw new EmulatorBadRequestException("BadRequest", "The request content must have an object 'properties'.", "properties");
        }

        return properties;
    }

    private static string RequiredString(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new EmulatorBadRequestException("BadRequest", $"'{path}' is required and must be a non-empty string.", path);

    private static string? BodyString(ArmRequest request, string name, bool required)
    {
        if (request.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            if (value.ValueKind != JsonValueKind.Null)
            {
                throw new EmulatorBadRequestException("BadRequest", $"'{name}' must be a string.", name);
            }
        }

        return required ? throw new EmulatorBadRequestException("BadRequest", $"'{name}' is required.", name) : null;
    }

    /// <summary>Reads a model version's PUT body into the core's properties, refusing what ARM would refuse.</summary>
    private static MachineLearningModelVersionProperties ParseVersion(ArmRequest request)
    {
        var body = Properties(request);
        var properties = new MachineLearningModelVersionProperties
        {
            Description = OptionalString(body, "description"),
            ModelType = OptionalString(body, "modelType"),
            JobName = OptionalString(body, "jobName"),
            Stage = OptionalString(body, "stage"),
        };
        if (OptionalString(body, "modelUri") is { } uri)
        {
            properties.ModelUri = Uri.TryCreate(uri, UriKind.RelativeOrAbsolute, out var parsed)
                ? parsed
                : throw new EmulatorBadRequestException("BadRequest", $"modelUri '{uri}' is not a URI.", "properties.modelUri");
        }

        if (body.TryGetProperty("isArchived", out var archived))
        {
            properties.IsArchived = archived.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw new EmulatorBadRequestException("BadRequest", "isArchived must be a boolean.", "properties.isArchived"),
            };
        }

        CopyMap(body, "tags", properties.Tags);
        CopyMap(body, "properties", properties.Properties);
        ParseFlavors(body, properties);
        return properties;
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new EmulatorBadRequestException("BadRequest", $"'properties.{name}' must be a string.", "properties." + name);
    }

    private static void CopyMap(JsonElement element, string name, IDictionary<string, string> into)
    {
        if (!element.TryGetProperty(name, out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new EmulatorBadRequestException("BadRequest", $"'properties.{name}' must be an object of strings.", "properties." + name);
        }

        foreach (var pair in map.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw new EmulatorBadRequestException("BadRequest", $"'properties.{name}.{pair.Name}' must be a string.", $"properties.{name}.{pair.Name}");
            }

            into[pair.Name] = pair.Value.GetString()!;
        }
    }

    private sealed record FailureAfterProcessing(string Operation, int Remaining, int StatusCode);

    /// <summary>A request's route: the operation, its path parameters and its handler.</summary>
    internal sealed class Route(string method, string operation, bool isMlflow, Dictionary<string, string> parameters, Func<ArmRequest, Task<ArmAnswer>> handler)
    {
        public string Method { get; } = method;

        public string Operation { get; } = operation;

        public bool IsMlflow { get; } = isMlflow;

        public Dictionary<string, string> Parameters { get; } = parameters;

        public Func<ArmRequest, Task<ArmAnswer>> Handler { get; } = handler;
    }

    private sealed class PendingOperation(string id, bool viaLocation, string url, Func<Task> work, int polls, (string Code, string Message)? injectedFailure)
    {
        public string Id { get; } = id;

        public bool ViaLocation { get; } = viaLocation;

        public string Url { get; } = url;

        public Func<Task> Work { get; } = work;

        public (string Code, string Message)? InjectedFailure { get; } = injectedFailure;

        public int Remaining { get; set; } = polls;

        public string Status { get; set; } = "InProgress";

        public int ErrorStatus { get; private set; }

        public string? ErrorCode { get; private set; }

        public string? ErrorMessage { get; private set; }

        public void Fail(int status, string code, string message)
        {
            Status = "Failed";
            ErrorStatus = status;
            ErrorCode = code;
            ErrorMessage = message;
        }
    }
}
