using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing.Tests;

public class InMemoryAzureMachineLearningTests
{
    private static readonly WorkspaceId Prod = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod");
    private static readonly WorkspaceId Unknown = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-missing");
    private static readonly Uri ModelUri = new("azureml://jobs/train-42/outputs/artifacts/paths/model/");

    private readonly InMemoryAzureMachineLearning _azure = new();

    private static MachineLearningModelVersionProperties Properties(Uri? uri = null, string? description = null) => new()
    {
        ModelUri = uri ?? ModelUri,
        ModelType = "mlflow_model",
        Description = description,
        Tags = { ["stage"] = "dev" },
    };

    [Fact]
    public async Task AddWorkspace_ThenGetWorkspace_ComparesIdsWithoutCase()
    {
        _azure.AddWorkspace(Prod, "northeurope");

        var workspace = await _azure.GetWorkspaceAsync(MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "RG-ML", "MLW-PROD"));

        Assert.NotNull(workspace);
        Assert.Equal((Prod, "mlw-prod", "northeurope", "Succeeded"), (workspace.Id, workspace.Name, workspace.Location, workspace.ProvisioningState));
        Assert.Equal("azureml", workspace.MlFlowTrackingUri!.Scheme);
        Assert.Null(await _azure.GetWorkspaceAsync(Unknown));
        Assert.Equal(["Workspaces_Get", "Workspaces_Get"], _azure.Calls.Select(c => c.Operation));
        Assert.All(_azure.Calls, c => Assert.False(c.IsWrite));
    }

    [Fact]
    public async Task ModelVersions_AreCreatedReadAndListedPerModel()
    {
        _azure.AddWorkspace(Prod);

        var created = await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", Properties(description: "first"));
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "2", Properties(new Uri("azureml://jobs/train-43/outputs/artifacts/paths/model/")));
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "fraud", "1", Properties());

        Assert.Equal(Prod.ResourceId + "/models/credit/versions/1", created.ResourceId);
        var read = await _azure.GetModelVersionAsync(Prod, "credit", "1");
        Assert.NotNull(read);
        Assert.Equal(("credit:1", ModelUri, "mlflow_model", "first", "dev"),
            (read.ToString(), read.Properties.ModelUri, read.Properties.ModelType, read.Properties.Description, read.Properties.Tags["stage"]));
        Assert.Null(await _azure.GetModelVersionAsync(Prod, "Credit", "1"));
        Assert.Equal(["1", "2"], (await _azure.ListModelVersionsAsync(Prod, "credit")).Select(v => v.Version).Order());
        Assert.Empty(await _azure.ListModelVersionsAsync(Prod, "churn"));
        Assert.Equal(3, _azure.Calls.Count(c => c.IsWrite && c.Operation == "ModelVersions_CreateOrUpdate"));
    }

    [Fact]
    public async Task UnknownWorkspace_Answers404OnWriteGetAndList()
    {
        var write = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.CreateOrUpdateModelVersionAsync(Unknown, "credit", "1", Properties()));
        var list = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.ListModelVersionsAsync(Unknown, "credit"));
        var get = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.GetModelVersionAsync(Unknown, "credit", "1"));

        Assert.Equal(("Azure", 404, "ResourceNotFound"), (write.Service, write.StatusCode, write.ErrorCode));
        Assert.Equal(404, list.StatusCode);
        Assert.Equal(404, get.StatusCode);
    }

    [Fact]
    public async Task Update_KeepsTheAssetAndAppendsProperties_ButRefusesToChangeAProperty()
    {
        _azure.AddWorkspace(Prod);
        var first = Properties(description: "first");
        first.Properties["source"] = "dev";
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", first);

        var update = new MlEnvironments.MachineLearning.MachineLearningModelVersionProperties { Description = "second" };
        update.Properties["approvedBy"] = "ana";
        var updated = await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", update);

        Assert.Equal((ModelUri, "second", "dev", "ana"),
            (updated.Properties.ModelUri, updated.Properties.Description, updated.Properties.Properties["source"], updated.Properties.Properties["approvedBy"]));

        var conflicting = new MlEnvironments.MachineLearning.MachineLearningModelVersionProperties();
        conflicting.Properties["source"] = "staging";
        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", conflicting));
        Assert.Equal(409, error.StatusCode);
        Assert.Equal("dev", (await _azure.GetModelVersionAsync(Prod, "credit", "1"))!.Properties.Properties["source"]);
    }

    [Fact]
    public async Task ChangingAVersionsModelUri_Answers409_WhileMutableFieldsCanChange()
    {
        _azure.AddWorkspace(Prod);
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", Properties(description: "first"));

        var conflict = await Assert.ThrowsAsync<RemoteServiceException>(() =>
            _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", Properties(new Uri("azureml://jobs/other/outputs/artifacts/paths/model/"))));
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", Properties(description: "second"));

        Assert.Equal(409, conflict.StatusCode);
        var stored = (await _azure.GetModelVersionAsync(Prod, "credit", "1"))!;
        Assert.Equal((ModelUri, "second"), (stored.Properties.ModelUri, stored.Properties.Description));
    }

    [Fact]
    public async Task ReturnedVersions_AreSnapshots()
    {
        _azure.AddWorkspace(Prod);
        var properties = Properties(description: "original");
        await _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", properties);

        properties.Description = "changed after the call";
        properties.Tags["stage"] = "prod";
        var read = (await _azure.GetModelVersionAsync(Prod, "credit", "1"))!;
        read.Properties.Description = "changed on a read copy";

        var again = (await _azure.GetModelVersionAsync(Prod, "credit", "1"))!;
        Assert.Equal(("original", "dev"), (again.Properties.Description, again.Properties.Tags["stage"]));
    }

    [Fact]
    public async Task AzureCalls_CanFail_AndHonourCancellation()
    {
        _azure.AddWorkspace(Prod);
        _azure.Faults.FailOnWrite(1, c => new RemoteServiceException("Azure", c.Operation, 503, "busy"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var failed = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.CreateOrUpdateModelVersionAsync(Prod, "credit", "1", Properties()));
        var canceled = _azure.GetWorkspaceAsync(Prod, cancellation.Token);

        Assert.Equal(503, failed.StatusCode);
        Assert.Null(await _azure.GetModelVersionAsync(Prod, "credit", "1"));
        Assert.True(canceled.IsCanceled);
        Assert.Equal(
            [("ModelVersions_CreateOrUpdate", true, "credit:1"), ("ModelVersions_Get", false, "credit:1")],
            _azure.Calls.Select(c => (c.Operation, c.IsWrite, c.Target)));
        Assert.All(_azure.Calls, c => Assert.Equal(Prod.ResourceId, c.Resource));
    }

    [Fact]
    public void ModelFactory_BuildsGitHubModelsWithDefaults()
    {
        var environment = MlEnvironmentsModelFactory.GitHubEnvironment(1, "prod");
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var secret = MlEnvironmentsModelFactory.GitHubSecret("TOKEN", created);
        var variable = MlEnvironmentsModelFactory.GitHubVariable("MODEL", "credit");
        var policy = MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(5, "main");
        var reviewer = MlEnvironmentsModelFactory.GitHubReviewer(ReviewerKind.Team, 9, "ml-leads");

        Assert.Equal((1L, "prod", TimeSpan.Zero, false, true, DeploymentBranchPolicyKind.AllBranches, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            (environment.Id, environment.Name, environment.WaitTimer, environment.PreventSelfReview, environment.CanAdminsBypass,
             environment.BranchPolicy, environment.CreatedAt, environment.UpdatedAt));
        Assert.Empty(environment.Reviewers);
        Assert.Equal("prod (#1)", environment.ToString());
        Assert.Equal((created, created), (secret.CreatedAt, secret.UpdatedAt));
        Assert.Equal(("MODEL=credit", DateTimeOffset.UnixEpoch), (variable.ToString(), variable.UpdatedAt));
        Assert.Equal((DeploymentRefType.Branch, "branch:main (#5)"), (policy.Type, policy.ToString()));
        Assert.Equal(MlEnvironment.Team("ML-LEADS"), reviewer.ToReviewer());
        Assert.Equal(reviewer, MlEnvironmentsModelFactory.GitHubReviewer(ReviewerKind.Team, 9, "renamed"));
    }

    [Fact]
    public void ModelFactory_BuildsAzureModelsWithDefaults()
    {
        var workspace = MlEnvironmentsModelFactory.MachineLearningWorkspaceData(Prod);
        var properties = Properties();
        var version = MlEnvironmentsModelFactory.MachineLearningModelVersionData(Prod, "credit", "3", properties);
        var empty = MlEnvironmentsModelFactory.MachineLearningModelVersionData(Prod, "credit", "4");

        Assert.Equal(("westeurope", "Succeeded", (Uri?)null), (workspace.Location, workspace.ProvisioningState, workspace.MlFlowTrackingUri));
        Assert.Empty(workspace.Tags);
        Assert.Equal(Prod.ResourceId, workspace.ToString());
        Assert.NotSame(properties, version.Properties);
        Assert.Equal((ModelUri, "dev"), (version.Properties.ModelUri, version.Properties.Tags["stage"]));
        Assert.Null(empty.Properties.ModelUri);
        Assert.Empty(empty.Properties.Tags);
    }
}
