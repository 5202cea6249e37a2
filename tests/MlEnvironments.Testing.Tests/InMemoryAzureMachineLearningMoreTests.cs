using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing.Tests;

/// <summary>The interfaces InMemoryAzureMachineLearning gained: listing, containers, archiving, registries, publish, jobs, metrics.</summary>
public class InMemoryAzureMachineLearningMoreTests
{
    private static readonly WorkspaceId Dev = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Prod = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-prod", "mlw-prod");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create("00000000-0000-0000-0000-000000000001", "rg-ml", "mlr");
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InMemoryAzureMachineLearning _azure = new InMemoryAzureMachineLearning().AddWorkspace(Dev).AddWorkspace(Prod).AddRegistry(Registry);

    private static MachineLearningModelVersionProperties Version(string job = "train-1") => new()
    {
        ModelUri = new Uri($"azureml://jobs/{job}/outputs/artifacts/paths/model/"),
        ModelType = "mlflow_model",
        Tags = { ["stage"] = "dev" },
    };

    [Fact]
    public async Task Workspaces_AreListedPerResourceGroup()
    {
        var list = await _azure.ListWorkspacesAsync("00000000-0000-0000-0000-000000000001", "RG-ML");

        Assert.Equal([Dev], list.Select(w => w.Id));
        Assert.True(Guid.TryParse(list[0].WorkspaceGuid, out _));
        Assert.Equal("Enabled", list[0].PublicNetworkAccess);
    }

    [Fact]
    public async Task Containers_ComeFromVersionsOrSeeding_WithTheHighestVersionAsLatest()
    {
        _azure.AddModelContainer(Dev, "fraud", "Fraud", isArchived: true);
        foreach (var version in new[] { "2", "10", "9" })
        {
            await _azure.CreateOrUpdateModelVersionAsync(Dev, "credit", version, Version());
        }

        var containers = await _azure.ListModelContainersAsync(Dev);
        var credit = await _azure.GetModelContainerAsync(Dev, "credit");

        Assert.Equal([("credit", "10", false), ("fraud", null, true)], containers.Select(c => (c.Name, c.LatestVersion, c.IsArchived)).OrderBy(c => c.Name));
        Assert.Equal("10", credit!.LatestVersion);
        Assert.Null(await _azure.GetModelContainerAsync(Dev, "Credit"));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.ListModelContainersAsync(MlEnvironment.Workspace("s", "g", "w")));
    }

    [Fact]
    public async Task Archive_SetsTheFlag_AndKeepsEverythingElse()
    {
        await _azure.CreateOrUpdateModelVersionAsync(Dev, "credit", "1", Version());

        var archived = await _azure.ArchiveModelVersionAsync(Dev, "credit", "1");
        var missing = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.ArchiveModelVersionAsync(Dev, "credit", "2"));

        Assert.Equal((true, "dev", "mlflow_model"), (archived.Properties.IsArchived, archived.Properties.Tags["stage"], archived.Properties.ModelType));
        Assert.True((await _azure.GetModelVersionAsync(Dev, "credit", "1"))!.Properties.IsArchived);
        Assert.Equal(404, missing.StatusCode);
        Assert.Contains(_azure.Calls, c => c.Operation == "ModelVersions_Archive" && c.IsWrite);
    }

    [Fact]
    public async Task Registries_HoldVersions_AndPublishCopiesAWorkspacesVersionOnce()
    {
        await _azure.CreateOrUpdateModelVersionAsync(Dev, "credit", "1", Version());

        var published = await _azure.PublishModelVersionAsync(Dev, "credit", "1", Registry);
        var twice = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.PublishModelVersionAsync(Dev, "credit", "1", Registry));
        var noSource = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.PublishModelVersionAsync(Dev, "credit", "2", Registry));
        var noRegistry = await Assert.ThrowsAsync<RemoteServiceException>(() =>
            _azure.PublishModelVersionAsync(Dev, "credit", "1", MachineLearningRegistryId.Create("s", "g", "nope")));
        var direct = await _azure.CreateOrUpdateRegistryModelVersionAsync(Registry, "fraud", "3", Version("train-9"));

        Assert.Equal(("azureml://registries/mlr/models/credit/versions/1", "dev"), (published.AssetId, published.Properties.Tags["stage"]));
        Assert.Equal((409, 404, 404), (twice.StatusCode, noSource.StatusCode, noRegistry.StatusCode));
        Assert.Equal(direct.Properties.ModelUri, (await _azure.GetRegistryModelVersionAsync(Registry, "fraud", "3"))!.Properties.ModelUri);
        Assert.Null(await _azure.GetRegistryModelVersionAsync(Registry, "fraud", "4"));
    }

    [Fact]
    public async Task Jobs_AreSeededReadAndListed()
    {
        _azure.AddJob(Dev, "train-1", MachineLearningJobStatus.Running, experimentName: "credit").AddJob(Dev, "train-2", MachineLearningJobStatus.Failed);
        _azure.SetJobStatus(Dev, "train-1", MachineLearningJobStatus.Completed);

        var job = await _azure.GetJobAsync(Dev, "train-1");

        Assert.Equal((MachineLearningJobStatus.Completed, "credit", "Command"), (job!.Status, job.ExperimentName, job.JobType));
        Assert.Null(await _azure.GetJobAsync(Dev, "Train-1"));
        Assert.Equal(["train-1", "train-2"], (await _azure.ListJobsAsync(Dev)).Select(j => j.Name));
        Assert.Throws<InvalidOperationException>(() => _azure.SetJobStatus(Dev, "nope", MachineLearningJobStatus.Failed));
    }

    [Fact]
    public async Task Metrics_LatestIsAtTheLargestStep_AndHistoryIsInStepOrder()
    {
        _azure.LogMetric(Dev, "train-1", "auc", 0.9, 2, At).LogMetric(Dev, "train-1", "auc", 0.8, 1, At.AddSeconds(5)).LogMetric(Dev, "train-1", "auc", 0.95, 2, At.AddSeconds(9));

        var latest = await _azure.GetLatestMetricsAsync(Dev, "train-1");
        var history = await _azure.GetMetricHistoryAsync(Dev, "train-1", "auc");
        var missing = await Assert.ThrowsAsync<RemoteServiceException>(() => _azure.GetLatestMetricsAsync(Dev, "nope"));

        Assert.Equal(new RunMetric("auc", 0.95, 2, At.AddSeconds(9)), latest["auc"]);
        Assert.Equal([0.8, 0.9, 0.95], history.Select(m => m.Value));
        Assert.Equal((404, "RESOURCE_DOES_NOT_EXIST"), (missing.StatusCode, missing.ErrorCode));
        Assert.Empty(await _azure.GetMetricHistoryAsync(Dev, "train-1", "loss"));
    }

    [Fact]
    public async Task UseInMemory_RegistersEveryAzureInterface()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory((github, azure, identity) => identity.AddIdentity(UserAssignedIdentityId.Create("s", "g", "i")));
        using var provider = services.BuildServiceProvider();

        var azure = provider.GetRequiredService<InMemoryAzureMachineLearning>();
        var identity = provider.GetRequiredService<InMemoryAzureIdentity>();
        foreach (var type in new[] { typeof(IMachineLearningWorkspaceReader), typeof(IMachineLearningWorkspaceLister), typeof(IModelContainerReader), typeof(IModelVersionReader),
                     typeof(IModelVersionWriter), typeof(IModelVersionArchiver), typeof(IRegistryModelVersionClient), typeof(IMachineLearningJobReader), typeof(IRunMetricsReader) })
        {
            Assert.Same(azure, provider.GetRequiredService(type));
        }

        foreach (var type in new[] { typeof(IUserAssignedIdentityReader), typeof(IFederatedIdentityCredentialReader), typeof(IFederatedIdentityCredentialWriter), typeof(IRoleAssignmentReader), typeof(IRoleAssignmentWriter) })
        {
            Assert.Same(identity, provider.GetRequiredService(type));
        }

        Assert.NotNull(await identity.GetIdentityAsync(UserAssignedIdentityId.Create("s", "g", "i")));
    }
}
