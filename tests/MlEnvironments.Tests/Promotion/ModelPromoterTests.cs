using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

public sealed class ModelPromoterTests : IAsyncDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/churn");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg", "mlw-prod");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Subscription, "rg", "shared-models");
    private readonly InMemoryGitHub _github = new();
    private readonly InMemoryAzureMachineLearning _ml = new();
    private readonly ServiceProvider _provider;

    public ModelPromoterTests()
    {
        _github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        _ml.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod).AddRegistry(Registry);
        var services = new ServiceCollection();
        services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero).UseInMemory(_github, _ml);
        _provider = services.BuildServiceProvider();
    }

    private IModelPromoter Promoter => _provider.GetRequiredService<IModelPromoter>();

    private static RepositoryDefinition Definition(params EnvironmentDefinition[] environments) => Repository(Repo, environments.Length > 0
        ? environments
        : [Environment("dev").BindWorkspace(Dev), Environment("staging").BindWorkspace(Staging).WithGates(MetricAtLeast("auc", 0.8)), Environment("prod").BindWorkspace(Prod)]);

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    private async Task TrainAsync(string version, double auc, string? metric = "auc")
    {
        var job = "job-" + version;
        _ml.AddJob(Dev, job, MachineLearningJobStatus.Completed);
        if (metric is not null)
        {
            _ml.LogMetric(Dev, job, metric, auc);
        }

        await _ml.CreateOrUpdateModelVersionAsync(Dev, "churn", version, new MachineLearningModelVersionProperties { JobName = job, ModelUri = new Uri("azureml://jobs/" + job + "/outputs/model") });
    }

    private async Task AssertNothingWrittenAsync(Func<Task> act, string code, string messagePart)
    {
        var mlWrites = _ml.Calls.Count(c => c.IsWrite);
        var githubWrites = _github.Writes.Count;
        var error = await Assert.ThrowsAsync<PromotionException>(act);
        Assert.Equal(code, error.Code);
        Assert.Contains(messagePart, error.Message);
        Assert.Equal(mlWrites, _ml.Calls.Count(c => c.IsWrite));
        Assert.Equal(githubWrites, _github.Writes.Count);
    }

    [Fact]
    public async Task UnknownModel_NamesTheWorkspace_AndWritesNothing()
    {
        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "nope", "1", "dev", "staging")),
            PromotionErrors.ModelVersionNotFound, "Workspace 'mlw-dev' of environment 'dev' has no model named 'nope'.");
    }

    [Fact]
    public async Task UnknownVersion_ListsTheVersionsThatExist()
    {
        await TrainAsync("1", 0.9);
        await TrainAsync("2", 0.9);

        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "7", "dev", "staging")),
            PromotionErrors.ModelVersionNotFound, "has no version 7 of 'churn'; it has: 1, 2.");
    }

    [Fact]
    public async Task TargetNotNext_NamesThePipeline()
    {
        await TrainAsync("1", 0.9);

        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "prod")),
            PromotionErrors.EnvironmentNotNext, "'prod' is not the environment after 'dev' in octo/churn's pipeline (dev → staging → prod); the next one is 'staging'.");
    }

    [Fact]
    public async Task Backwards_IsNotNextEither()
    {
        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "staging", "dev")),
            PromotionErrors.EnvironmentNotNext, "not the environment after 'staging'");
    }

    [Fact]
    public async Task UnboundEnvironment_SaysHowToBindIt()
    {
        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(Environment("dev").BindWorkspace(Dev), Environment("staging")), "churn", "1", "dev", "staging")),
            PromotionErrors.EnvironmentNotBound, "Environment 'staging' has no workspace binding");
    }

    [Fact]
    public async Task UndeclaredEnvironment_ListsTheDeclaredOnes()
    {
        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "stagign")),
            PromotionErrors.EnvironmentNotDeclared, "The target environment 'stagign' is not declared for octo/churn; declared: dev, staging, prod.");
    }

    [Theory]
    [InlineData("", "1")]
    [InlineData("churn model", "1")]
    [InlineData("churn", "../1")]
    public async Task InvalidNames_AreRefused(string model, string version)
    {
        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), model, version, "dev", "staging")),
            PromotionErrors.InvalidModel, "is not valid in Azure Machine Learning");
    }

    [Fact]
    public async Task MetricNeverLogged_FailsTheGate_RegistersNothing_AndRecordsAFailedAttempt()
    {
        await TrainAsync("1", 0.9, metric: "accuracy");

        var result = await Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "staging"));

        Assert.Equal(PromotionOutcome.GatesFailed, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Contains("metric 'auc' was never logged by run 'job-1' (it logged: accuracy)", result.Message);
        Assert.Null(await _ml.GetModelVersionAsync(Staging, "churn", "1"));
        var record = Assert.Single(await _provider.GetRequiredService<IPromotionLedger>().GetHistoryAsync(Repo, "staging"));
        Assert.Equal(PromotionState.Failed, record.State);
        Assert.StartsWith("Gate failed: metric 'auc'", record.StatusDescription);
        Assert.Null(await _provider.GetRequiredService<IPromotionLedger>().GetCurrentAsync(Repo, "staging", "churn"));
    }

    [Fact]
    public async Task Ledger_IsAGitHubDeploymentWithTheDocumentedFlags()
    {
        await TrainAsync("1", 0.9);

        await Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "staging"));
        await Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "staging", "prod"));

        var staging = Assert.Single(await _github.ListDeploymentsAsync(Repo, "staging", PromotionLedger.Task));
        var prod = Assert.Single(await _github.ListDeploymentsAsync(Repo, "prod", PromotionLedger.Task));
        Assert.False(staging.ProductionEnvironment);
        Assert.True(prod.ProductionEnvironment);
        Assert.False(prod.TransientEnvironment);
        Assert.Equal("main", prod.Ref);
        Assert.Contains("\"model\":\"churn\"", prod.PayloadJson);
        var states = (await _github.ListDeploymentStatusesAsync(Repo, prod.Id)).Select(s => s.State).ToList();
        Assert.Equal([GitHubDeploymentState.Success, GitHubDeploymentState.InProgress], states);
    }

    [Fact]
    public async Task InterruptedAfterRegistering_ConvergesWhenRunAgain()
    {
        await TrainAsync("1", 0.9);
        var definition = Definition();
        await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"));
        // The registration lands, then the final ledger status fails: the entry stays 'in progress'.
        _github.Faults.FailWhen(
            call => call.Operation == "repos/create-deployment-status" && _ml.Calls.Any(c => c.IsWrite && c.Resource.Contains("mlw-prod", StringComparison.Ordinal)),
            _ => new RemoteServiceException("GitHub", "repos/create-deployment-status", 502, "Bad gateway"),
            times: 1);

        await Assert.ThrowsAsync<RemoteServiceException>(() => Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod")));
        Assert.NotNull(await _ml.GetModelVersionAsync(Prod, "churn", "1"));
        var ledger = _provider.GetRequiredService<IPromotionLedger>();
        Assert.Null(await ledger.GetCurrentAsync(Repo, "prod", "churn"));

        var again = await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod"));

        Assert.Equal(PromotionOutcome.Promoted, again.Outcome);
        Assert.Contains("already registered", again.Message);
        Assert.Equal("1", (await ledger.GetCurrentAsync(Repo, "prod", "churn"))!.Version);
        var third = await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod"));
        Assert.Equal(PromotionOutcome.AlreadyPromoted, third.Outcome);
    }

    [Fact]
    public async Task VersionFromElsewhere_InTheTarget_IsAConflict()
    {
        await TrainAsync("1", 0.9);
        await _ml.CreateOrUpdateModelVersionAsync(Staging, "churn", "1", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://elsewhere") });

        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "staging")),
            PromotionErrors.VersionConflict, "already has churn version 1, and it did not come from 'mlw-dev'");
    }

    [Fact]
    public async Task RegistryBinding_PublishesThenReferencesTheRegistry()
    {
        await TrainAsync("1", 0.9);
        var definition = Definition(
            Environment("dev").BindWorkspace(Dev),
            Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(Registry));

        var result = await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"));

        Assert.Equal(PromotionOutcome.Promoted, result.Outcome);
        Assert.NotNull(await _ml.GetRegistryModelVersionAsync(Registry, "churn", "1"));
        Assert.Equal("azureml://registries/shared-models/models/churn/versions/1", result.Registered!.Properties.ModelUri!.ToString());
    }

    [Fact]
    public async Task MetricsFollowTheLineage_ThroughEveryEnvironment()
    {
        await TrainAsync("1", 0.9);
        var definition = Definition(
            Environment("dev").BindWorkspace(Dev),
            Environment("staging").BindWorkspace(Staging),
            Environment("prod").BindWorkspace(Prod).WithGates(MetricAtLeast("auc", 0.85), TrainingJobCompleted()));
        await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"));

        var evaluation = await Promoter.EvaluateAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod"));

        Assert.True(evaluation.Passed, PromotionReport.ToText(evaluation));
        Assert.Equal(Dev, evaluation.Candidate.JobWorkspace);
        Assert.Equal(0.9, evaluation.Candidate.Metrics["auc"]);
    }

    [Fact]
    public async Task Rollback_WithNothingBefore_IsRefused()
    {
        await TrainAsync("1", 0.9);
        await Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "staging"));

        await AssertNothingWrittenAsync(
            () => Promoter.RollbackAsync(new RollbackRequest(Definition(), "churn", "staging") { SkipGates = true }),
            PromotionErrors.NothingToRollBack, "has no earlier good version in 'staging' to roll back to (current: 1).");
    }

    [Fact]
    public async Task RollingBackTwice_DoesNotBringBackTheRolledBackVersion()
    {
        var definition = Definition(Environment("dev").BindWorkspace(Dev), Environment("staging").BindWorkspace(Staging));
        await TrainAsync("1", 0.9);
        await TrainAsync("2", 0.91);
        await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"));
        await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "2", "dev", "staging"));

        var first = await Promoter.RollbackAsync(new RollbackRequest(definition, "churn", "staging"));
        Assert.Equal(PromotionOutcome.RolledBack, first.Outcome);
        Assert.Equal("2", first.Record!.ReplacedVersion);

        await AssertNothingWrittenAsync(
            () => Promoter.RollbackAsync(new RollbackRequest(definition, "churn", "staging")),
            PromotionErrors.NothingToRollBack, "rolled back from: 2). Name one with ToVersion.");
        Assert.False(first.Evaluation.GatesSkipped);
        var explicitly = await Promoter.RollbackAsync(new RollbackRequest(definition, "churn", "staging") { ToVersion = "2", SkipGates = true });
        Assert.True(explicitly.Evaluation.GatesSkipped);
        Assert.Contains("Gates skipped on request", PromotionReport.ToText(explicitly));
        Assert.DoesNotContain("declares no gates", PromotionReport.ToText(explicitly));
        Assert.StartsWith("### ⚠️", PromotionReport.ToMarkdown(explicitly));
        Assert.Equal(PromotionOutcome.RolledBack, explicitly.Outcome);
        Assert.Equal("2", (await _provider.GetRequiredService<IPromotionLedger>().GetCurrentAsync(Repo, "staging", "churn"))!.Version);
    }

    [Fact]
    public async Task Convergence_RetagsTheVersion_AndClosesTheInterruptedEntry()
    {
        await TrainAsync("1", 0.9);
        var definition = Definition();
        await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"));
        _github.Faults.FailWhen(
            call => call.Operation == "repos/create-deployment-status" && _ml.Calls.Any(c => c.IsWrite && c.Resource.Contains("mlw-prod", StringComparison.Ordinal)),
            _ => new RemoteServiceException("GitHub", "repos/create-deployment-status", 502, "Bad gateway"),
            times: 1);
        await Assert.ThrowsAsync<RemoteServiceException>(() => Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod") { Approver = "first" }));

        var again = await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod") { Approver = "ana" });

        var tags = (await _ml.GetModelVersionAsync(Prod, "churn", "1"))!.Properties.Tags;
        Assert.Equal(again.Record!.DeploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture), tags[ModelPromoter.PromotionIdTag]);
        Assert.Equal("ana", tags[ModelPromoter.ApproverTag]);
        var history = await _provider.GetRequiredService<IPromotionLedger>().GetHistoryAsync(Repo, "prod", "churn");
        Assert.Equal([PromotionState.Succeeded, PromotionState.Failed], history.Select(r => r.State).ToArray());
        Assert.Equal($"Interrupted; completed by #{again.Record.DeploymentId}.", history[1].StatusDescription);
    }

    [Fact]
    public async Task Reports_AreCultureInvariant()
    {
        await TrainAsync("1", 0.9);
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("th-TH");
            await Promoter.PromoteAsync(new PromotionRequest(Definition(), "churn", "1", "dev", "staging"));
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var history = await _provider.GetRequiredService<IPromotionLedger>().GetHistoryAsync(Repo, "staging");
            var text = PromotionReport.HistoryToText(history) + history[0];

            Assert.Contains(DateTimeOffset.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.Contains("auc 0.9 ≥ 0.8", history[0].Verdicts[0].Reason);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task Registry_AlreadyHoldingSomeoneElsesVersion_IsAConflict_BeforeAnyWrite()
    {
        await TrainAsync("1", 0.9);
        await _ml.CreateOrUpdateRegistryModelVersionAsync(Registry, "churn", "1", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://elsewhere") });
        var definition = Definition(Environment("dev").BindWorkspace(Dev), Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(Registry));

        await AssertNothingWrittenAsync(
            () => Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging")),
            PromotionErrors.VersionConflict, "Registry 'shared-models' already has churn version 1, and its lineage tags do not show it is this model (training job job-1)");
    }

    [Fact]
    public async Task Registry_SharedAlongThePipeline_IsPublishedOnceAndReused()
    {
        await TrainAsync("1", 0.9);
        var definition = Definition(
            Environment("dev").BindWorkspace(Dev),
            Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(Registry),
            Environment("prod").BindWorkspace(Prod).ShareThroughRegistry(Registry));

        Assert.Equal(PromotionOutcome.Promoted, (await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "staging"))).Outcome);
        var published = (await _ml.GetRegistryModelVersionAsync(Registry, "churn", "1"))!;
        var writes = _ml.Calls.Count(c => c.IsWrite && (c.Operation.StartsWith("Registry", StringComparison.Ordinal) || c.Operation == "ModelVersions_Publish"));
        Assert.Equal(2, writes);
        var prod = await Promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "staging", "prod"));

        Assert.Equal(PromotionOutcome.Promoted, prod.Outcome);
        Assert.Equal("job-1", published.Properties.Tags[ModelPromoter.SourceJobTag]);
        Assert.Equal(Dev.ResourceId, published.Properties.Tags[ModelPromoter.SourceJobWorkspaceTag]);
        Assert.Equal(writes, _ml.Calls.Count(c => c.IsWrite && (c.Operation.StartsWith("Registry", StringComparison.Ordinal) || c.Operation == "ModelVersions_Publish")));
        Assert.Equal("azureml://registries/shared-models/models/churn/versions/1", prod.Registered!.Properties.ModelUri!.ToString());
    }
}
