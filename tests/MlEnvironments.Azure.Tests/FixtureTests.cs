using System.Net;
using System.Text.Json.Nodes;
using MlEnvironments.Azure.Wire;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// The official x-ms-examples (Fixtures/, MIT, see NOTICE.md): each response body is served to the real client through
/// a scripted transport and the parsed values are asserted; the client's request bodies are compared with the
/// examples' request bodies by shape (property names and nesting), and the request paths and api-versions with the
/// examples' parameters.
/// </summary>
public class FixtureTests
{
    // Maps whose keys are data, not property names.
    private static readonly HashSet<string> Maps = new(StringComparer.Ordinal)
    {
        "properties.tags", "properties.properties", "properties.flavors", "properties.flavors.*.data",
    };

    // Properties of the spec's ModelVersion/AssetBase that the examples leave out and the client may send.
    private static readonly HashSet<string> SpecFieldsNotInExamples = new(StringComparer.Ordinal)
    {
        "properties.isArchived", "properties.jobName", "properties.stage",
    };

    // Fixtures no MlEnvironments interface calls; checked to be well-formed and readable as ARM envelopes.
    private static readonly HashSet<string> NotCalled = new(StringComparer.Ordinal)
    {
        "online_endpoint_get", "registry_model_version_start_pending_upload",
    };

    private static WorkspaceId WorkspaceOf(Fixture fixture) =>
        MlEnvironment.Workspace(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"), fixture.Parameter("workspaceName"));

    private static MachineLearningRegistryId RegistryOf(Fixture fixture) =>
        MachineLearningRegistryId.Create(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"), fixture.Parameter("registryName"));

    private static void AssertRequest(RecordedRequest request, string method, string path, string apiVersion)
    {
        Assert.Equal(method, request.Method);
        Assert.Equal("https://management.azure.com" + path, request.Uri.GetLeftPart(UriPartial.Path), ignoreCase: true);
        Assert.Contains("api-version=" + apiVersion, request.Uri.Query, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.True(Guid.TryParse(request.Headers["x-ms-client-request-id"], out _));
    }

    [Fact]
    public void EveryFixture_IsCoveredByATest_OrNamedAsNotCalled()
    {
        var covered = typeof(FixtureTests).GetMethods().Select(m => m.Name).ToList();
        foreach (var name in Fixture.All)
        {
            var fixture = Fixture.Load(name);
            Assert.NotNull(fixture.Root["parameters"]);
            Assert.NotNull(fixture.Root["responses"]);
            var camel = string.Concat(name.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            Assert.True(NotCalled.Contains(name) || covered.Any(m => m.StartsWith(camel + "_", StringComparison.Ordinal)), $"No test reads fixture {name}.");
        }

        Assert.Equal(17, Fixture.All.Count());
    }

    [Fact]
    public async Task WorkspaceGet_IsParsed()
    {
        var fixture = Fixture.Load("workspace_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));
        var requested = WorkspaceOf(fixture);

        var workspace = await azure.MachineLearning.GetWorkspaceAsync(requested);

        Assert.NotNull(workspace);
        Assert.Equal((requested, "testworkspace", "eastus2euap", "Disabled", "Unknown", (Uri?)null, (string?)null),
            (workspace.Id, workspace.Name, workspace.Location, workspace.PublicNetworkAccess, workspace.ProvisioningState, workspace.MlFlowTrackingUri, workspace.WorkspaceGuid));
        Assert.Empty(workspace.Tags);
        AssertRequest(azure.Handler.Requests[0], "GET", requested.ResourceId, fixture.Parameter("api-version"));
    }

    [Fact]
    public async Task WorkspaceGet_WithTheReadOnlyFieldsRealAnswersCarry_IsParsed()
    {
        var fixture = Fixture.Load("workspace_get");
        var body = fixture.ResponseBody(200)!.DeepClone().AsObject();
        var properties = body["properties"]!.AsObject();
        properties["workspaceId"] = "8f1c5b1e-0000-4000-8000-000000000001";
        properties["provisioningState"] = "Succeeded";
        properties["mlFlowTrackingUri"] = "azureml://eastus2euap.api.azureml.ms/mlflow/v1.0" + body["id"];
        body["tags"] = new JsonObject { ["env"] = "prod" };
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.OK, body.ToJsonString());

        var workspace = (await azure.MachineLearning.GetWorkspaceAsync(WorkspaceOf(fixture)))!;

        Assert.Equal(("8f1c5b1e-0000-4000-8000-000000000001", "Succeeded", "prod", "eastus2euap.api.azureml.ms"),
            (workspace.WorkspaceGuid, workspace.ProvisioningState, workspace.Tags["env"], workspace.MlFlowTrackingUri!.Host));
    }

    [Fact]
    public async Task WorkspaceListByResourceGroup_IsParsed_AndItsNextLinkFollowedVerbatim()
    {
        var fixture = Fixture.Load("workspace_list_by_resource_group");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200)).Then(HttpStatusCode.OK, """{"value":[]}""");

        var workspaces = await azure.MachineLearning.ListWorkspacesAsync(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"));

        Assert.Equal([("testworkspace", "eastus2euap"), ("testworkspace1", "eastus2euap")], workspaces.Select(w => (w.Name, w.Location)));
        Assert.All(workspaces, w => Assert.Equal(("00000000-1111-2222-3333-444444444444", "workspace-1234"), (w.Id.SubscriptionId, w.Id.ResourceGroupName)));
        AssertRequest(azure.Handler.Requests[0], "GET", "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/workspace-1234/providers/Microsoft.MachineLearningServices/workspaces", "2025-12-01");
        Assert.Equal(fixture.ResponseBody(200)!["nextLink"]!.GetValue<string>(), azure.Handler.Requests[1].Uri.OriginalString);
    }

    [Fact]
    public async Task ModelContainerGet_IsParsed()
    {
        var fixture = Fixture.Load("model_container_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));

        var container = await azure.MachineLearning.GetModelContainerAsync(WorkspaceOf(fixture), fixture.Parameter("name"));

        Assert.NotNull(container);
        Assert.Equal((WorkspaceOf(fixture), "testContainer", "Model container description", false, (string?)null),
            (container.Workspace, container.Name, container.Description, container.IsArchived, container.LatestVersion));
        Assert.Equal(new Dictionary<string, string> { ["tag1"] = "value1", ["tag2"] = "value2" }, container.Tags);
        AssertRequest(azure.Handler.Requests[0], "GET", WorkspaceOf(fixture).ResourceId + "/models/testContainer", "2025-12-01");
    }

    [Fact]
    public async Task ModelContainerList_IsParsed_AndItsRelativeNextLinkResolvedOnTheEndpoint()
    {
        var fixture = Fixture.Load("model_container_list");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200)).Then(HttpStatusCode.OK, """{"value":[]}""");

        var containers = await azure.MachineLearning.ListModelContainersAsync(WorkspaceOf(fixture));

        var container = Assert.Single(containers);
        Assert.Equal(("testContainer", "Model container description", "value2"), (container.Name, container.Description, container.Tags["tag2"]));
        Assert.Contains("listViewType=All", azure.Handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Equal("https://management.azure.com/nextlink", azure.Handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ModelVersionGet_IsParsed_KeepingTheRequestedIdsWhenTheExampleHasNone()
    {
        var fixture = Fixture.Load("model_version_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));

        var version = await azure.MachineLearning.GetModelVersionAsync(WorkspaceOf(fixture), fixture.Parameter("name"), fixture.Parameter("version"));

        Assert.NotNull(version);
        AssertVersion(version.Properties);
        Assert.Equal((WorkspaceOf(fixture), "string", "string"), (version.Workspace, version.ModelName, version.Version));
        AssertRequest(azure.Handler.Requests[0], "GET", WorkspaceOf(fixture).ResourceId + "/models/string/versions/string", "2025-12-01");
    }

    [Fact]
    public async Task ModelVersionList_IsParsed_AndItsNextLinkFollowed()
    {
        var fixture = Fixture.Load("model_version_list");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200)).Then(HttpStatusCode.OK, """{"value":[]}""");

        var versions = await azure.MachineLearning.ListModelVersionsAsync(WorkspaceOf(fixture), fixture.Parameter("name"));

        AssertVersion(Assert.Single(versions).Properties);
        Assert.Equal(fixture.ResponseBody(200)!["nextLink"]!.GetValue<string>(), azure.Handler.Requests[1].Uri.OriginalString);
    }

    [Fact]
    public async Task ModelVersionCreateOrUpdate_SendsTheExamplesShape_AndParsesTheAnswer()
    {
        var fixture = Fixture.Load("model_version_create_or_update");
        using var azure = new ScriptedAzure();
        var workspace = WorkspaceOf(fixture);
        azure.Handler
            .Then(HttpStatusCode.NotFound, """{"error":{"code":"UserError","message":"Not found"}}""")
            .Then(HttpStatusCode.OK, new JsonObject { ["id"] = workspace.ResourceId, ["name"] = workspace.WorkspaceName, ["location"] = "westeurope", ["properties"] = new JsonObject() }.ToJsonString())
            .Then(_ => fixture.Response(200));

        var stored = await azure.MachineLearning.CreateOrUpdateModelVersionAsync(workspace, fixture.Parameter("name"), fixture.Parameter("version"), PropertiesOf(fixture.RequestBody!));

        AssertVersion(stored.Properties);
        var put = azure.Handler.Requests[2];
        AssertRequest(put, "PUT", workspace.ResourceId + "/models/string/versions/string", "2025-12-01");
        var sent = JsonNode.Parse(put.Body!)!;
        var ours = Fixture.Shape(sent, Maps);
        var theirs = Fixture.Shape(fixture.RequestBody, Maps);
        Assert.Empty(ours.Except(theirs).Except(SpecFieldsNotInExamples));
        Assert.Equal(["properties.flavors", "properties.flavors.*", "properties.flavors.*.data", "properties.flavors.*.data.*", "properties.isAnonymous"], theirs.Except(ours));
        Assert.Equal("CustomModel", sent["properties"]!["modelType"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelVersionCreateOrUpdate_OfAnExistingVersion_PutsBackWhatTheClientDoesNotModel()
    {
        var fixture = Fixture.Load("model_version_create_or_update");
        var existing = Fixture.Load("model_version_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => existing.Response(200)).Then(_ => fixture.Response(200));
        var update = PropertiesOf(fixture.RequestBody!);
        update.Tags["mlenv.stage"] = "staging";

        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(WorkspaceOf(fixture), "string", "string", update);

        var sent = JsonNode.Parse(azure.Handler.Requests[1].Body!)!;
        Assert.Equal(new SortedSet<string>(Fixture.Shape(fixture.RequestBody, Maps).Union(["properties.isArchived"]), StringComparer.Ordinal), Fixture.Shape(sent, Maps));
        Assert.Equal("string", sent["properties"]!["flavors"]!["string"]!["data"]!["string"]!.GetValue<string>());
        Assert.Null(sent["systemData"]);
        Assert.Null(sent["id"]);
    }

    [Fact]
    public async Task RegistryModelVersionGet_IsParsed()
    {
        var fixture = Fixture.Load("registry_model_version_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));
        var registry = RegistryOf(fixture);

        var version = await azure.MachineLearning.GetRegistryModelVersionAsync(registry, fixture.Parameter("modelName"), fixture.Parameter("version"));

        Assert.NotNull(version);
        AssertVersion(version.Properties);
        Assert.Equal((registry, "string", "string", "azureml://registries/my-aml-registry/models/string/versions/string"),
            (version.Registry, version.ModelName, version.Version, version.AssetId));
        AssertRequest(azure.Handler.Requests[0], "GET", registry.ResourceId + "/models/string/versions/string", "2025-12-01");
    }

    [Fact]
    public async Task RegistryModelVersionCreateOrUpdate_SendsTheExamplesShape_AndReadsA201Body()
    {
        var fixture = Fixture.Load("registry_model_version_create_or_update");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.NotFound, """{"error":{"code":"UserError","message":"Not found"}}""").Then(_ => fixture.Response(201));

        var stored = await azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(RegistryOf(fixture), "string", "string", PropertiesOf(fixture.RequestBody!));

        AssertVersion(stored.Properties);
        var sent = JsonNode.Parse(azure.Handler.Requests[1].Body!)!;
        Assert.Empty(Fixture.Shape(sent, Maps).Except(Fixture.Shape(fixture.RequestBody, Maps)).Except(SpecFieldsNotInExamples));
        Assert.Equal(2, azure.Handler.Requests.Count);
    }

    [Fact]
    public async Task RegistryModelVersionCreateOrUpdate_WithTheSpecsAsyncOperationHeader_IsPolledThenReadFromTheOriginalUri()
    {
        var fixture = Fixture.Load("registry_model_version_create_or_update");
        using var azure = new ScriptedAzure();
        const string status = "https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/providers/Microsoft.MachineLearningServices/locations/eastus/mfeOperationsStatus/op-1?api-version=2025-12-01";
        azure.Handler
            .Then(HttpStatusCode.NotFound, """{"error":{"code":"UserError","message":"Not found"}}""")
            .Then(_ => fixture.Response(201, ("Azure-AsyncOperation", status), ("Retry-After", "10"), ("x-ms-async-operation-timeout", "PT1H")))
            .Then(HttpStatusCode.OK, """{"status":"InProgress"}""", ("Retry-After", "10"))
            .Then(HttpStatusCode.OK, """{"status":"Succeeded"}""")
            .Then(_ => fixture.Response(200));

        var stored = await azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(RegistryOf(fixture), "string", "string", PropertiesOf(fixture.RequestBody!)).WithClock(azure.Time);

        AssertVersion(stored.Properties);
        Assert.Equal(["GET", "PUT", "GET", "GET", "GET"], azure.Handler.Requests.Select(r => r.Method));
        Assert.Equal(status, azure.Handler.Requests[2].Uri.AbsoluteUri);
        Assert.Equal(azure.Handler.Requests[1].Uri, azure.Handler.Requests[4].Uri);
    }

    [Fact]
    public async Task WorkspaceAssetVersionPublish_SendsTheExamplesBody_AndPollsItsLocation()
    {
        var fixture = Fixture.Load("workspace_asset_version_publish");
        var registryVersion = Fixture.Load("registry_model_version_get");
        using var azure = new ScriptedAzure();
        var registry = MachineLearningRegistryId.Create(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"), "string");
        azure.Handler
            .Then(_ => fixture.Response(202, ("Retry-After", "10")))
            .Then(HttpStatusCode.Accepted, null, ("Retry-After", "10"))
            .Then(HttpStatusCode.OK, null)
            .Then(_ => registryVersion.Response(200));

        var published = await azure.MachineLearning.PublishModelVersionAsync(WorkspaceOf(fixture), fixture.Parameter("name"), fixture.Parameter("version"), registry).WithClock(azure.Time);

        AssertVersion(published.Properties);
        AssertRequest(azure.Handler.Requests[0], "POST", WorkspaceOf(fixture).ResourceId + "/models/string/versions/string/publish", "2025-12-01");
        var sent = JsonNode.Parse(azure.Handler.Requests[0].Body!)!;
        Assert.Equal(Fixture.Shape(fixture.RequestBody), Fixture.Shape(sent));
        Assert.True(JsonNode.DeepEquals(fixture.RequestBody, sent));
        Assert.Equal("https://management.azure.com/example_location", azure.Handler.Requests[1].Uri.AbsoluteUri);
        Assert.Equal(registry.ResourceId + "/models/string/versions/string", azure.Handler.Requests[3].Uri.AbsolutePath);
    }

    [Fact]
    public async Task WorkspaceAssetVersionPublish_AnsweredAtOnceWith200_NeedsNoPolling()
    {
        var fixture = Fixture.Load("workspace_asset_version_publish");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.OK, null).Then(_ => Fixture.Load("registry_model_version_get").Response(200));

        await azure.MachineLearning.PublishModelVersionAsync(WorkspaceOf(fixture), "string", "string", MachineLearningRegistryId.Create("00000000-1111-2222-3333-444444444444", "test-rg", "string"));

        Assert.Equal(["POST", "GET"], azure.Handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task JobCommandGet_IsParsed()
    {
        var fixture = Fixture.Load("job_command_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));

        var job = await azure.MachineLearning.GetJobAsync(WorkspaceOf(fixture), fixture.Parameter("id"));

        Assert.NotNull(job);
        Assert.Equal(("string", "Command", MachineLearningJobStatus.NotStarted, "string", "string", false),
            (job.Name, job.JobType, job.Status, job.DisplayName, job.ExperimentName, job.Status.IsTerminal));
        Assert.Equal("string", job.Tags["string"]);
        Assert.Equal("string", job.Properties["string"]);
        AssertRequest(azure.Handler.Requests[0], "GET", WorkspaceOf(fixture).ResourceId + "/jobs/string", "2025-12-01");
    }

    [Theory]
    [InlineData(201)]
    [InlineData(200)]
    public async Task FederatedIdentityCredentialCreateOrUpdate_SendsTheExamplesBody_AndParsesTheAnswer(int status)
    {
        var fixture = Fixture.Load("federated_identity_credential_create_or_update");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(status));
        var identity = UserAssignedIdentityId.Create(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"), fixture.Parameter("resourceName"));
        var body = fixture.RequestBody!["properties"]!;
        var credential = new FederatedIdentityCredentialData(fixture.Parameter("federatedIdentityCredentialResourceName"),
            new Uri(body["issuer"]!.GetValue<string>()), body["subject"]!.GetValue<string>(), [body["audiences"]![0]!.GetValue<string>()]);

        var stored = await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(identity, credential);

        AssertCredential(stored);
        AssertRequest(azure.Handler.Requests[0], "PUT", identity.ResourceId + "/federatedIdentityCredentials/ficResourceName", "2024-11-30");
        var sent = JsonNode.Parse(azure.Handler.Requests[0].Body!)!;
        Assert.Equal(Fixture.Shape(fixture.RequestBody), Fixture.Shape(sent));
        Assert.True(JsonNode.DeepEquals(fixture.RequestBody, sent));
    }

    [Fact]
    public async Task FederatedIdentityCredentialGet_IsParsed()
    {
        var fixture = Fixture.Load("federated_identity_credential_get");
        using var azure = new ScriptedAzure();
        azure.Handler.Then(_ => fixture.Response(200));
        var identity = UserAssignedIdentityId.Create(fixture.Parameter("subscriptionId"), fixture.Parameter("resourceGroupName"), fixture.Parameter("resourceName"));

        var credential = await azure.Identities.GetFederatedIdentityCredentialAsync(identity, fixture.Parameter("federatedIdentityCredentialResourceName"));

        AssertCredential(credential!);
        AssertRequest(azure.Handler.Requests[0], "GET", identity.ResourceId + "/federatedIdentityCredentials/ficResourceName", "2024-11-30");
    }

    [Theory]
    [InlineData(201)]
    [InlineData(200)]
    public async Task RoleAssignmentCreateForResourceGroup_SendsTheExamplesBody_AndParsesTheAnswer(int status) =>
        await RoleAssignmentFixtureAsync("role_assignment_create_for_resource_group", status);

    [Fact]
    public async Task RoleAssignmentCreateForResource_SendsTheExamplesBody_AndParsesTheAnswer() =>
        await RoleAssignmentFixtureAsync("role_assignment_create_for_resource", 201);

    [Theory]
    [InlineData("online_endpoint_get", 200, "string", "string")]
    [InlineData("registry_model_version_start_pending_upload", 200, null, null)]
    public void FixturesNoInterfaceCalls_AreStillReadableArmBodies(string name, int status, string? id, string? location)
    {
        var body = Fixture.Load(name).ResponseBody(status)!.ToJsonString();

        var envelope = System.Text.Json.JsonSerializer.Deserialize(body, ArmJsonContext.Default.ArmResourceDtoWorkspacePropertiesDto)!;

        Assert.Equal((id, location), (envelope.Id, envelope.Location));
    }

    private static async Task RoleAssignmentFixtureAsync(string name, int status)
    {
        var fixture = Fixture.Load(name);
        using var azure = new ScriptedAzure(o => o.RoleAssignmentPrincipalType = "User");
        azure.Handler.Then(_ => fixture.Response(status));
        var parameters = fixture.RequestBody!["properties"]!;
        var scope = "/" + fixture.Parameter("scope");

        var assignment = await azure.RoleAssignments.CreateRoleAssignmentAsync(scope, parameters["roleDefinitionId"]!.GetValue<string>(), new Guid(parameters["principalId"]!.GetValue<string>()));

        var expected = fixture.ResponseBody(status)!;
        Assert.Equal(("05c5a614-a7d6-4502-b150-c2fb455033ff", scope, "/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d", new Guid("ce2ce14e-85d7-4629-bdbc-454d0519d987"), "User"),
            (assignment.Name, assignment.Scope, assignment.RoleDefinitionId, assignment.PrincipalId, assignment.PrincipalType));
        Assert.Equal(expected["properties"]!["scope"]!.GetValue<string>(), assignment.Scope);
        var derived = AzureRoleAssignmentClient.GetRoleAssignmentName(scope, parameters["roleDefinitionId"]!.GetValue<string>(), assignment.PrincipalId);
        AssertRequest(azure.Handler.Requests[0], "PUT", $"{scope}/providers/Microsoft.Authorization/roleAssignments/{derived}", "2022-04-01");
        var sent = JsonNode.Parse(azure.Handler.Requests[0].Body!)!;
        Assert.True(JsonNode.DeepEquals(fixture.RequestBody, sent), sent.ToJsonString());
    }

    private static MachineLearningModelVersionProperties PropertiesOf(JsonNode body)
    {
        var source = body["properties"]!;
        var properties = new MachineLearningModelVersionProperties
        {
            Description = source["description"]!.GetValue<string>(),
            ModelType = source["modelType"]!.GetValue<string>(),
            ModelUri = new Uri(source["modelUri"]!.GetValue<string>(), UriKind.RelativeOrAbsolute),
        };
        foreach (var pair in source["tags"]!.AsObject())
        {
            properties.Tags[pair.Key] = pair.Value!.GetValue<string>();
        }

        foreach (var pair in source["properties"]!.AsObject())
        {
            properties.Properties[pair.Key] = pair.Value!.GetValue<string>();
        }

        return properties;
    }

    private static void AssertVersion(MachineLearningModelVersionProperties properties)
    {
        Assert.Equal(("string", "CustomModel", "string", false, (string?)null, (string?)null),
            (properties.Description, properties.ModelType, properties.ModelUri!.OriginalString, properties.IsArchived, properties.JobName, properties.Stage));
        Assert.Equal("string", properties.Tags["string"]);
        Assert.Equal("string", properties.Properties["string"]);
    }

    private static void AssertCredential(FederatedIdentityCredentialData credential) =>
        Assert.Equal(("ficResourceName", "https://oidc.prod-aks.azure.com/TenantGUID/IssuerGUID", "system:serviceaccount:ns:svcaccount", "api://AzureADTokenExchange"),
            (credential.Name, credential.Issuer.OriginalString, credential.Subject, Assert.Single(credential.Audiences)));
}
