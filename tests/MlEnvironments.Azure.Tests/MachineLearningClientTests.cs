using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Every Azure ML interface method through the real client, over HTTPS, against the loopback ARM emulator.</summary>
public class MachineLearningClientTests
{
    private static readonly Uri ModelUri = new("azureml://jobs/train-42/outputs/artifacts/paths/model/");

    private static MachineLearningModelVersionProperties Properties(string? description = "first", Uri? uri = null) => new()
    {
        ModelUri = uri ?? ModelUri,
        ModelType = "mlflow_model",
        JobName = "train-42",
        Description = description,
        Stage = "Development",
        Tags = { ["mlenv.stage"] = "dev" },
        Properties = { ["mlenv.sourceRunId"] = "train-42" },
    };

    [Fact]
    public async Task GetWorkspace_ParsesTheArmIdAndProperties_AndAnswersNullFor404()
    {
        await using var azure = await StartAsync();

        var workspace = await azure.MachineLearning.GetWorkspaceAsync(Dev);
        var missing = await azure.MachineLearning.GetWorkspaceAsync(Missing);

        Assert.NotNull(workspace);
        Assert.Equal((Dev, "mlw-dev", "westeurope", "Succeeded", "Enabled"),
            (workspace.Id, workspace.Name, workspace.Location, workspace.ProvisioningState, workspace.PublicNetworkAccess));
        Assert.True(Guid.TryParse(workspace.WorkspaceGuid, out _));
        Assert.Equal("azureml", workspace.MlFlowTrackingUri!.Scheme);
        Assert.Null(missing);
        Assert.Equal(["Workspaces_Get", "Workspaces_Get"], azure.Operations);
        Assert.All(azure.Emulator.Requests, r => Assert.Equal("2025-12-01", r.ApiVersion));
        Assert.All(azure.Emulator.Requests, r => Assert.True(Guid.TryParse(r.ClientRequestId, out _)));
    }

    [Fact]
    public async Task ListWorkspaces_FollowsNextLinkAcrossPages()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 1 });
        azure.MlState.AddWorkspace(MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-staging"));

        var workspaces = await azure.MachineLearning.ListWorkspacesAsync("00000000-0000-0000-0000-000000000001", "RG-ML");

        Assert.Equal(["mlw-dev", "mlw-prod", "mlw-staging"], workspaces.Select(w => w.Name));
        Assert.Equal(3, azure.Emulator.Requests.Count(r => r.Operation == "Workspaces_ListByResourceGroup" && r.StatusCode == 200));
        Assert.Empty(await azure.MachineLearning.ListWorkspacesAsync("00000000-0000-0000-0000-000000000001", "rg-empty"));
    }

    [Fact]
    public async Task ModelVersions_AreCreatedReadListedAndUpdated_KeepingTheAsset()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 2 });

        var created = await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", Properties());
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "2", Properties(uri: new Uri("azureml://jobs/train-43/outputs/artifacts/paths/model/")));
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "3", Properties());
        var update = new MachineLearningModelVersionProperties { Description = "second", Tags = { ["mlenv.stage"] = "staging" } };
        var updated = await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", update);

        Assert.Equal((Dev, "credit-risk", "1", ModelUri, "mlflow_model", "train-42", "Development"),
            (created.Workspace, created.ModelName, created.Version, created.Properties.ModelUri, created.Properties.ModelType, created.Properties.JobName, created.Properties.Stage));
        Assert.Equal(("second", "staging", ModelUri, "train-42"),
            (updated.Properties.Description, updated.Properties.Tags["mlenv.stage"], updated.Properties.ModelUri, updated.Properties.Properties["mlenv.sourceRunId"]));
        var read = await azure.MachineLearning.GetModelVersionAsync(Dev, "credit-risk", "1");
        Assert.Equal(("second", ModelUri), (read!.Properties.Description, read.Properties.ModelUri));
        var all = await azure.MachineLearning.ListModelVersionsAsync(Dev, "credit-risk");
        Assert.Equal(["1", "2", "3"], all.Select(v => v.Version).Order());
        Assert.Equal(2, azure.Emulator.Requests.Count(r => r.Operation == "ModelVersions_List"));
        Assert.Equal(4, azure.MlState.Calls.Count(c => c.Operation == "ModelVersions_CreateOrUpdate"));
    }

    [Fact]
    public async Task MissingVersionOrModel_ReadsAsNull_ButAMissingWorkspaceThrows404()
    {
        await using var azure = await StartAsync();
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", Properties());

        Assert.Null(await azure.MachineLearning.GetModelVersionAsync(Dev, "credit-risk", "9"));
        Assert.Null(await azure.MachineLearning.GetModelVersionAsync(Dev, "Credit-Risk", "1"));
        Assert.Empty(await azure.MachineLearning.ListModelVersionsAsync(Dev, "churn"));
        Assert.Null(await azure.MachineLearning.GetModelContainerAsync(Dev, "churn"));
        Assert.Null(await azure.MachineLearning.GetJobAsync(Dev, "no-such-job"));

        var version = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetModelVersionAsync(Missing, "credit-risk", "1"));
        var list = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ListModelVersionsAsync(Missing, "credit-risk"));
        var containers = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ListModelContainersAsync(Missing));
        var jobs = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ListJobsAsync(Missing));
        var write = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.CreateOrUpdateModelVersionAsync(Missing, "credit-risk", "1", Properties()));

        Assert.All(new[] { version, list, containers, jobs, write }, e => Assert.Equal(("Azure", 404), (e.Service, e.StatusCode)));
        Assert.Equal(("ModelVersions_Get", "ResourceNotFound"), (version.Operation, version.ErrorCode));
        Assert.Contains("mlw-missing", version.Message);
        Assert.NotNull(version.RequestId);
    }

    [Fact]
    public async Task ChangingTheAsset_AnswersTheServices409()
    {
        await using var azure = await StartAsync();
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", Properties());

        var error = await Assert.ThrowsAsync<AzureException>(() =>
            azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", Properties(uri: new Uri("azureml://jobs/other/outputs/artifacts/paths/model/"))));

        Assert.Equal((409, "Conflict", "ModelVersions_CreateOrUpdate"), (error.StatusCode, error.ErrorCode, error.Operation));
        Assert.Contains("asset cannot change", error.Message);
    }

    [Fact]
    public async Task ModelContainers_AreListedAndRead_WithTheLatestVersion()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 1 });
        azure.MlState.AddModelContainer(Dev, "fraud", "Fraud model", new Dictionary<string, string> { ["team"] = "risk" });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "2", Properties());
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "10", Properties());

        var containers = await azure.MachineLearning.ListModelContainersAsync(Dev);
        var fraud = await azure.MachineLearning.GetModelContainerAsync(Dev, "fraud");
        var credit = await azure.MachineLearning.GetModelContainerAsync(Dev, "credit-risk");

        Assert.Equal(["credit-risk", "fraud"], containers.Select(c => c.Name).Order());
        Assert.Equal(("Fraud model", "risk", (string?)null, false), (fraud!.Description, fraud.Tags["team"], fraud.LatestVersion, fraud.IsArchived));
        Assert.Equal((Dev, "10"), (credit!.Workspace, credit.LatestVersion));
    }

    [Fact]
    public async Task Archive_ReadsSetsIsArchivedAndPutsBack_AndArchivedVersionsStayListed()
    {
        await using var azure = await StartAsync();
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "1", Properties());
        var before = azure.Emulator.Requests.Count;

        var archived = await azure.MachineLearning.ArchiveModelVersionAsync(Dev, "credit-risk", "1");

        Assert.True(archived.Properties.IsArchived);
        Assert.Equal((ModelUri, "first", "dev"), (archived.Properties.ModelUri, archived.Properties.Description, archived.Properties.Tags["mlenv.stage"]));
        Assert.Equal(["ModelVersions_Get", "ModelVersions_CreateOrUpdate"], azure.Emulator.Requests.Skip(before).Select(r => r.Operation));
        Assert.True(Assert.Single(await azure.MachineLearning.ListModelVersionsAsync(Dev, "credit-risk")).Properties.IsArchived);
        var missing = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ArchiveModelVersionAsync(Dev, "credit-risk", "7"));
        Assert.Equal(404, missing.StatusCode);
    }

    [Fact]
    public async Task Jobs_AreReadAndListed_WithStatusTypeAndTags()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 1 });
        azure.MlState
            .AddJob(Dev, "train-42", MachineLearningJobStatus.Completed, "Command", "Train credit risk", "credit-risk", new Dictionary<string, string> { ["git"] = "abc123" })
            .AddJob(Dev, "sweep-7", MachineLearningJobStatus.Running, "Sweep");

        var job = await azure.MachineLearning.GetJobAsync(Dev, "train-42");
        var jobs = await azure.MachineLearning.ListJobsAsync(Dev);

        Assert.Equal(("train-42", "Command", MachineLearningJobStatus.Completed, "Train credit risk", "credit-risk", "abc123", true),
            (job!.Name, job.JobType, job.Status, job.DisplayName, job.ExperimentName, job.Tags["git"], job.Status.IsTerminal));
        Assert.Equal([("sweep-7", "Running"), ("train-42", "Completed")], jobs.Select(j => (j.Name, j.Status.ToString())).Order());
        Assert.Equal(2, azure.Emulator.Requests.Count(r => r.Operation == "Jobs_List"));
    }

    [Fact]
    public async Task ApiVersions_AreConfigurablePerResourceType()
    {
        await using var azure = await StartAsync(o => o.ApiVersions["Microsoft.MachineLearningServices/workspaces/models/versions"] = "2025-09-01");
        await azure.MachineLearning.GetWorkspaceAsync(Dev);
        await azure.MachineLearning.GetModelVersionAsync(Dev, "credit-risk", "1");

        Assert.Equal([("Workspaces_Get", "2025-12-01"), ("ModelVersions_Get", "2025-09-01")],
            azure.Emulator.Requests.Take(2).Select(r => (r.Operation!, r.ApiVersion!)));
    }

    [Fact]
    public async Task EveryRequest_CarriesTheBearerTokenForTheEndpointsScope()
    {
        await using var azure = await StartAsync();
        await azure.MachineLearning.GetWorkspaceAsync(Dev);

        Assert.All(azure.Credential.RequestedScopes, s => Assert.Equal(azure.Emulator.Endpoint.AbsoluteUri + ".default", s));
        Assert.Equal(200, Assert.Single(azure.Emulator.Requests).StatusCode);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        await using var azure = await StartAsync();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev, cancellation.Token));
        Assert.Empty(azure.Emulator.Requests);
    }
}
