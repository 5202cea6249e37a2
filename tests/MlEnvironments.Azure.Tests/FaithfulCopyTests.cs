using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// A promoted version is a faithful copy of its source, field by field, and the Azure-side pointer (ModelVersion
/// <c>stage</c>) follows promotions and rollbacks — on the in-memory fakes, and through the real clients against the
/// loopback emulators (so that every field crosses the wire both ways).
/// </summary>
public sealed class FaithfulCopyTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000002";
    private const string GitHubToken = "ghp_copy_token";
    private const string ArmToken = "arm-copy-token";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/credit");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Subscription, "rg-ml", "shared-models");

    /// <summary>The tags a promotion adds (lineage, promotion, pointer); every other tag is the source's.</summary>
    private static readonly string[] AddedTags =
    [
        ModelPromoter.SourceWorkspaceTag, ModelPromoter.SourceEnvironmentTag, ModelPromoter.SourceVersionTag, ModelPromoter.SourceJobTag,
        ModelPromoter.SourceJobWorkspaceTag, ModelPromoter.PromotionIdTag, ModelPromoter.ApproverTag, ModelPromoter.WorkflowRunTag,
        ModelPromoter.CurrentEnvironmentTag, ModelPromoter.CurrentPromotionTag,
    ];

    public static TheoryData<bool> Modes => new() { false, true };

    private static RepositoryDefinition Definition(bool registry) => Repository(Repo,
        Environment("dev").BindWorkspace(Dev),
        registry ? Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(Registry) : Environment("staging").BindWorkspace(Staging),
        Environment("prod").BindWorkspace(Prod));

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task WorkspaceToWorkspace_CopiesEveryField_ExceptWhatTheReadmeSaysChanges(bool overHttp)
    {
        await using var host = await Host.StartAsync(overHttp);
        var source = await host.TrainAsync("1", modelUri: "azureml://jobs/train-1/outputs/artifacts/paths/model/");

        var result = await host.Promoter.PromoteAsync(new PromotionRequest(Definition(registry: false), "credit", "1", "dev", "staging"));

        Assert.Equal(PromotionOutcome.Promoted, result.Outcome);
        var target = await host.Models.GetModelVersionAsync(Staging, "credit", "1");
        AssertFaithfulCopy(source, target!, "staging", result.Record!.DeploymentId);

        // A job output only resolves in the job's workspace: the copy refers to the source asset by its qualified id,
        // and the job (of another workspace) lives on in the lineage tags.
        Assert.Equal($"azureml://subscriptions/{Subscription}/resourceGroups/rg-ml/workspaces/mlw-dev/models/credit/versions/1", target!.Properties.ModelUri!.OriginalString);
        Assert.Null(target.Properties.JobName);
        Assert.Equal("train-1", target.Properties.Tags[ModelPromoter.SourceJobTag]);
        Assert.Equal(Dev.ResourceId, target.Properties.Tags[ModelPromoter.SourceJobWorkspaceTag]);

        // Staging → prod: still the same fields (the copy of a copy loses nothing).
        var prod = await host.Promoter.PromoteAsync(new PromotionRequest(Definition(registry: false), "credit", "1", "staging", "prod"));
        Assert.Equal(PromotionOutcome.Promoted, prod.Outcome);
        AssertFaithfulCopy(source, (await host.Models.GetModelVersionAsync(Prod, "credit", "1"))!, "prod", prod.Record!.DeploymentId);
        Assert.Equal("staging", (await host.Models.GetModelVersionAsync(Staging, "credit", "1"))!.Properties.Stage);
        Assert.Equal("Development", (await host.Models.GetModelVersionAsync(Dev, "credit", "1"))!.Properties.Stage);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task RegistryRoute_RegistryVersionIsTheSource_AndTheWorkspaceVersionPointsAtIt(bool overHttp)
    {
        await using var host = await Host.StartAsync(overHttp);
        var source = await host.TrainAsync("1", modelUri: "azureml://jobs/train-1/outputs/artifacts/paths/model/");

        var result = await host.Promoter.PromoteAsync(new PromotionRequest(Definition(registry: true), "credit", "1", "dev", "staging"));

        Assert.Equal(PromotionOutcome.Promoted, result.Outcome);
        var published = (await host.Registries.GetRegistryModelVersionAsync(Registry, "credit", "1"))!;
        Assert.Equal(source.Properties.ModelType, published.Properties.ModelType);
        Assert.Equal(source.Properties.JobName, published.Properties.JobName);
        Assert.Equal(source.Properties.Description, published.Properties.Description);
        Assert.Equal(source.Properties.ModelUri, published.Properties.ModelUri);
        AssertSameFlavors(source.Properties, published.Properties);
        Assert.Equal(source.Properties.Properties.OrderBy(p => p.Key), published.Properties.Properties.OrderBy(p => p.Key));

        var target = (await host.Models.GetModelVersionAsync(Staging, "credit", "1"))!;
        AssertFaithfulCopy(source, target, "staging", result.Record!.DeploymentId);
        Assert.Equal("azureml://registries/shared-models/models/credit/versions/1", target.Properties.ModelUri!.OriginalString);
    }

    [Theory]
    [InlineData("azureml://datastores/workspaceblobstore/paths/models/credit/1/", "azureml://subscriptions/" + Subscription + "/resourcegroups/rg-ml/workspaces/mlw-dev/datastores/workspaceblobstore/paths/models/credit/1/")]
    [InlineData("azureml://subscriptions/s/resourcegroups/r/workspaces/w/datastores/d/paths/p/", "azureml://subscriptions/s/resourcegroups/r/workspaces/w/datastores/d/paths/p/")]
    [InlineData("https://account.blob.core.windows.net/models/credit/1/", "https://account.blob.core.windows.net/models/credit/1/")]
    [InlineData("azureml://registries/other/models/credit/versions/3", "azureml://registries/other/models/credit/versions/3")]
    public async Task ModelUri_WorkspaceIndependentFormsAreKept_DatastorePathsAreQualified(string sourceUri, string expected)
    {
        await using var host = await Host.StartAsync(overHttp: false);
        await host.TrainAsync("1", modelUri: sourceUri);

        await host.Promoter.PromoteAsync(new PromotionRequest(Definition(registry: false), "credit", "1", "dev", "staging"));

        Assert.Equal(expected, (await host.Models.GetModelVersionAsync(Staging, "credit", "1"))!.Properties.ModelUri!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task StagePointer_FollowsPromotionsAndRollbacks_AndAgreesWithTheLedger(bool overHttp)
    {
        await using var host = await Host.StartAsync(overHttp);
        var definition = Definition(registry: false);
        await host.TrainAsync("1");
        await host.TrainAsync("2");

        var first = await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "1", "dev", "staging"));
        await AssertPointerAsync(host, "1", first.Record!.DeploymentId, others: []);

        var second = await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "2", "dev", "staging"));
        await AssertPointerAsync(host, "2", second.Record!.DeploymentId, others: ["1"]);

        var rollback = await host.Promoter.RollbackAsync(new RollbackRequest(definition, "credit", "staging") { Reason = "regression" });
        Assert.Equal(PromotionOutcome.RolledBack, rollback.Outcome);
        await AssertPointerAsync(host, "1", rollback.Record!.DeploymentId, others: ["2"]);

        var status = await host.Pointers.GetPointerAsync(definition, "staging", "credit");
        Assert.False(status.IsDrift, status.ToString());
        Assert.Equal(("1", rollback.Record.DeploymentId), (status.LedgerVersion, status.LedgerDeploymentId));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task HalfMovedPointer_IsDrift_AndPromotingAgainConverges_ThenWritesNothing(bool overHttp)
    {
        await using var host = await Host.StartAsync(overHttp);
        var definition = Definition(registry: false);
        await host.TrainAsync("1");
        await host.TrainAsync("2");
        await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "1", "dev", "staging"));
        var second = await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "2", "dev", "staging"));

        // Interrupted between marking 2 and clearing 1: both carry the stage.
        var stale = (await host.Models.GetModelVersionAsync(Staging, "credit", "1"))!.Properties;
        stale.Stage = "staging";
        stale.Tags[ModelPromoter.CurrentEnvironmentTag] = "staging";
        await host.Ml.CreateOrUpdateModelVersionAsync(Staging, "credit", "1", stale);

        var drift = await host.Pointers.GetPointerAsync(definition, "staging", "credit");
        Assert.True(drift.IsDrift);
        Assert.Equal(new[] { "1", "2" }, drift.MarkedVersions.ToArray());
        Assert.Contains("Drift in staging: the ledger says credit@2", drift.ToString());

        var again = await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "2", "dev", "staging"));
        Assert.Equal(PromotionOutcome.AlreadyPromoted, again.Outcome);
        await AssertPointerAsync(host, "2", second.Record!.DeploymentId, others: ["1"]);
        Assert.False((await host.Pointers.GetPointerAsync(definition, "staging", "credit")).IsDrift);

        var writes = host.Ml.Calls.Count(c => c.IsWrite);
        await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "2", "dev", "staging"));
        Assert.Equal(writes, host.Ml.Calls.Count(c => c.IsWrite));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Drift_ReportsAStagePointerMovedOutsideTheLedger_AndNothingWhileTheyAgree(bool overHttp)
    {
        await using var host = await Host.StartAsync(overHttp);
        var definition = Definition(registry: false);
        await host.TrainAsync("1");
        var promoted = await host.Promoter.PromoteAsync(new PromotionRequest(definition, "credit", "1", "dev", "staging"));
        var detector = new MlEnvironments.Drift.DriftDetector(host.Provider.GetRequiredService<MlEnvironments.Planning.IEnvironmentPlanner>(), host.Pointers);

        var agreeing = await detector.DetectWithStagePointersAsync(definition, ["credit"]);
        Assert.DoesNotContain(agreeing.Findings, f => f.Kind == MlEnvironments.Drift.DriftKind.StagePointer);

        // Someone clears the stage in the workspace by hand: the ledger still says version 1.
        var cleared = (await host.Models.GetModelVersionAsync(Staging, "credit", "1"))!.Properties;
        cleared.Stage = "Archived";
        cleared.Tags.Remove(ModelPromoter.CurrentEnvironmentTag);
        await host.Ml.CreateOrUpdateModelVersionAsync(Staging, "credit", "1", cleared);
        var writes = host.Ml.Calls.Count(c => c.IsWrite);

        var report = await detector.DetectWithStagePointersAsync(definition, ["credit"]);

        var finding = Assert.Single(report.Findings, f => f.Kind == MlEnvironments.Drift.DriftKind.StagePointer);
        Assert.Equal("staging", finding.EnvironmentName);
        Assert.Equal($"version 1 (#{promoted.Record!.DeploymentId})", finding.Declared);
        Assert.Equal("no version", finding.Actual);
        Assert.Contains("stage of model credit in workspace mlw-staging: the ledger says version 1", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("stage pointer", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(writes, host.Ml.Calls.Count(c => c.IsWrite));
    }

    [Fact]
    public async Task Drift_WithModelsButNoPointerReader_OrAnInvalidModelName_IsRefused()
    {
        await using var host = await Host.StartAsync(overHttp: false);
        var planner = host.Provider.GetRequiredService<MlEnvironments.Planning.IEnvironmentPlanner>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => new MlEnvironments.Drift.DriftDetector(planner).DetectWithStagePointersAsync(Definition(registry: false), ["credit"]));
        var invalid = await Assert.ThrowsAsync<ArgumentException>(() => new MlEnvironments.Drift.DriftDetector(planner, host.Pointers).DetectWithStagePointersAsync(Definition(registry: false), ["../credit"]));
        Assert.Contains(ValidationRules.ModelName, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emulator_RefusesFlavorsThatAreNotObjects()
    {
        await using var host = await Host.StartAsync(overHttp: true);
        using var client = new HttpClient(host.Arm!.CreateHttpMessageHandler());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ArmToken);
        var uri = new Uri(host.Arm.Endpoint, $"{Dev.ResourceId}/models/credit/versions/9?api-version=2025-12-01");
        var body = """{"properties":{"modelType":"mlflow_model","flavors":{"python_function":"not-an-object"}}}""";

        using var response = await client.PutAsync(uri, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("properties.flavors.python_function", await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertPointerAsync(Host host, string current, long deploymentId, string[] others)
    {
        var version = (await host.Models.GetModelVersionAsync(Staging, "credit", current))!.Properties;
        Assert.Equal("staging", version.Stage);
        Assert.Equal("staging", version.Tags[ModelPromoter.CurrentEnvironmentTag]);
        Assert.Equal(deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture), version.Tags[ModelPromoter.CurrentPromotionTag]);
        foreach (var other in others)
        {
            var cleared = (await host.Models.GetModelVersionAsync(Staging, "credit", other))!.Properties;
            Assert.Null(cleared.Stage);
            Assert.False(cleared.Tags.ContainsKey(ModelPromoter.CurrentEnvironmentTag));
            Assert.False(cleared.Tags.ContainsKey(ModelPromoter.CurrentPromotionTag));
        }
    }

    /// <summary>Source and target are equal field by field, except what the README says changes.</summary>
    private static void AssertFaithfulCopy(MachineLearningModelVersionData source, MachineLearningModelVersionData target, string environment, long deploymentId)
    {
        var from = source.Properties;
        var to = target.Properties;
        Assert.Equal(source.ModelName, target.ModelName);
        Assert.Equal(source.Version, target.Version);
        Assert.Equal(from.ModelType, to.ModelType);
        Assert.Equal(from.Description, to.Description);
        Assert.Equal(from.IsArchived, to.IsArchived);
        AssertSameFlavors(from, to);
        Assert.Equal(from.Properties.OrderBy(p => p.Key), to.Properties.OrderBy(p => p.Key));
        foreach (var tag in from.Tags)
        {
            Assert.True(to.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value, $"tag {tag.Key} was not copied");
        }

        Assert.All(to.Tags.Keys.Where(k => !from.Tags.ContainsKey(k)), key => Assert.Contains(key, AddedTags));

        // What changes: the stage and the pointer tags say what is current in the target's environment.
        Assert.Equal(environment, to.Stage);
        Assert.Equal(environment, to.Tags[ModelPromoter.CurrentEnvironmentTag]);
        Assert.Equal(deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture), to.Tags[ModelPromoter.CurrentPromotionTag]);
        Assert.Equal(source.Version, to.Tags[ModelPromoter.SourceVersionTag]);
    }

    private static void AssertSameFlavors(MachineLearningModelVersionProperties from, MachineLearningModelVersionProperties to)
    {
        Assert.Equal(from.Flavors.Keys.Order(), to.Flavors.Keys.Order());
        foreach (var flavor in from.Flavors)
        {
            Assert.Equal(flavor.Value.Data.OrderBy(p => p.Key), to.Flavors[flavor.Key].Data.OrderBy(p => p.Key));
        }
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];

        private Host(InMemoryGitHub github, InMemoryAzureMachineLearning ml)
        {
            GitHub = github;
            Ml = ml;
        }

        public InMemoryGitHub GitHub { get; }

        public InMemoryAzureMachineLearning Ml { get; }

        public AzureResourceManagerEmulator? Arm { get; private set; }

        public ServiceProvider Provider { get; private set; } = null!;

        public IModelPromoter Promoter => Provider.GetRequiredService<IModelPromoter>();

        public IModelVersionReader Models => Provider.GetRequiredService<IModelVersionReader>();

        public IRegistryModelVersionClient Registries => Provider.GetRequiredService<IRegistryModelVersionClient>();

        public IPromotionPointerReader Pointers => Provider.GetRequiredService<IPromotionPointerReader>();

        public static async Task<Host> StartAsync(bool overHttp, TimeProvider? time = null)
        {
            var github = new InMemoryGitHub(time);
            var ml = new InMemoryAzureMachineLearning();
            github.ConfigureRepository(Repo, id: 4200, ownerId: 42);
            ml.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod).AddRegistry(Registry);
            var host = new Host(github, ml);
            var services = new ServiceCollection();
            if (!overHttp)
            {
                services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero).UseInMemory(github, ml);
            }
            else
            {
                var githubOptions = new GitHubEmulatorOptions();
                githubOptions.AcceptedTokens.Add(GitHubToken);
                var githubEmulator = await GitHubEmulator.StartAsync(github, githubOptions);
                host._owned.Add(githubEmulator);
                var armOptions = new AzureResourceManagerEmulatorOptions();
                armOptions.AcceptedTokens.Add(ArmToken);
                host.Arm = await AzureResourceManagerEmulator.StartAsync(ml, new InMemoryAzureIdentity(), armOptions);
                host._owned.Add(host.Arm);
                services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
                services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(GitHubToken)));
                var arm = host.Arm;
                services.AddMlEnvironments()
                    .AddGitHub(o =>
                    {
                        o.BaseAddress = githubEmulator.BaseAddress;
                        o.WritePause = TimeSpan.Zero;
                    })
                    .AddAzureMachineLearning(o =>
                    {
                        o.Endpoint = arm.Endpoint;
                        o.Transport = new HttpClientTransport(arm.CreateHttpMessageHandler());
                    });
            }

            host.Provider = services.BuildServiceProvider();
            return host;
        }

        /// <summary>Registers a trained MLflow model in dev with every field the ModelVersion schema defines.</summary>
        public async Task<MachineLearningModelVersionData> TrainAsync(string version, string? modelUri = null)
        {
            var job = "train-" + version;
            Ml.AddJob(Dev, job, MachineLearningJobStatus.Completed, experimentName: "credit");
            Ml.LogMetric(Dev, job, "auc", 0.9, step: 1);
            var properties = new MachineLearningModelVersionProperties
            {
                JobName = job,
                ModelType = "mlflow_model",
                ModelUri = new Uri(modelUri ?? $"azureml://jobs/{job}/outputs/artifacts/paths/model/"),
                Description = "Credit risk, gradient boosting",
                Stage = "Development",
            };
            properties.Tags["team"] = "risk";
            properties.Tags["validated"] = "true";
            properties.Properties["mlflow.modelSourceUri"] = $"azureml://jobs/{job}/outputs/artifacts/paths/model";
            properties.Properties["framework"] = "sklearn";
            var pyfunc = new MachineLearningFlavorData();
            pyfunc.Data["loader_module"] = "mlflow.sklearn";
            pyfunc.Data["python_version"] = "3.11.9";
            properties.Flavors["python_function"] = pyfunc;
            var sklearn = new MachineLearningFlavorData();
            sklearn.Data["sklearn_version"] = "1.5.1";
            sklearn.Data["serialization_format"] = "cloudpickle";
            properties.Flavors["sklearn"] = sklearn;
            await Ml.CreateOrUpdateModelVersionAsync(Dev, "credit", version, properties);
            return (await Models.GetModelVersionAsync(Dev, "credit", version))!;
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            foreach (var owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }
    }
}
