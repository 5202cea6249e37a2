using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Azure.Tests.Support;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// The promotion story end to end, told twice: on the in-memory fakes, and through the real GitHub and Azure clients
/// against the loopback emulators (which serve the same in-memory state).
/// </summary>
public class PromotionStoryTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string GitHubToken = "ghp_story_token";
    private const string ArmToken = "arm-story-token";
    private const string WebhookSecret = "story-webhook-secret";
    private const long GateAppId = 777;
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/fraud-detection");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");

    private static RepositoryDefinition Definition => Repository(Repo,
        Environment("dev").BindWorkspace(Dev),
        Environment("staging").BindWorkspace(Staging)
            .WithGates(MetricAtLeast("auc", 0.85), TrainingJobCompleted()),
        Environment("prod").BindWorkspace(Prod)
            .RequireReviewers(User("ana"))
            .RequireProtectionRule(GateAppId)
            .WithGates(MetricAtLeast("auc", 0.85), ImprovesOnChampion("auc", minAbsoluteChange: 0.01), RequiredTag("validated", "true")));

    [Fact]
    public async Task Story_OnTheFakes()
    {
        var github = new InMemoryGitHub();
        var ml = new InMemoryAzureMachineLearning();
        Seed(github, ml);
        var services = new ServiceCollection();
        services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero)
            .UseInMemory(github, ml)
            .AddDeploymentProtectionRule(o => Configure(o));
        await using var provider = services.BuildServiceProvider();

        await TellAsync(provider, github, ml);
    }

    [Fact]
    public async Task Story_OverBothEmulators()
    {
        var github = new InMemoryGitHub();
        var ml = new InMemoryAzureMachineLearning();
        Seed(github, ml);
        var githubOptions = new GitHubEmulatorOptions();
        githubOptions.AcceptedTokens.Add(GitHubToken);
        await using var githubEmulator = await GitHubEmulator.StartAsync(github, githubOptions);
        var armOptions = new AzureResourceManagerEmulatorOptions();
        armOptions.AcceptedTokens.Add(ArmToken);
        await using var arm = await AzureResourceManagerEmulator.StartAsync(ml, new InMemoryAzureIdentity(), armOptions);
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(GitHubToken)));
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
            })
            .AddDeploymentProtectionRule(o => Configure(o));
        await using var provider = services.BuildServiceProvider();

        await TellAsync(provider, github, ml);

        Assert.Empty(githubEmulator.SchemaViolations);
        Assert.Empty(arm.UnmatchedRequests);
    }

    private static void Configure(DeploymentProtectionRuleOptions options)
    {
        options.WebhookSecret = SecretValue.FromValue(WebhookSecret);
        options.Definitions = Repositories(Definition);
    }

    private static void Seed(InMemoryGitHub github, InMemoryAzureMachineLearning ml)
    {
        github.ConfigureRepository(Repo, id: 4100, ownerId: 41);
        github.AddUser("ana");
        github.AddUser("bob");
        github.GrantAccess(Repo, User("ana"));
        github.InstallProtectionRuleApp(Repo, GateAppId, "mlenv-gate");
        github.CurrentUserLogin = "ana";
        ml.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod);
    }

    private static async Task TrainAsync(InMemoryAzureMachineLearning ml, string version, double auc)
    {
        var job = "train-fraud-" + version;
        ml.AddJob(Dev, job, MachineLearningJobStatus.Completed, experimentName: "fraud");
        ml.LogMetric(Dev, job, "auc", auc - 0.02, step: 0);
        ml.LogMetric(Dev, job, "auc", auc, step: 1);
        ml.LogMetric(Dev, job, "loss", 1 - auc, step: 1);
        var properties = new MachineLearningModelVersionProperties
        {
            JobName = job,
            ModelType = "mlflow_model",
            ModelUri = new Uri($"azureml://jobs/{job}/outputs/artifacts/paths/model/"),
        };
        properties.Tags["validated"] = "true";
        await ml.CreateOrUpdateModelVersionAsync(Dev, "fraud", version, properties);
    }

    private static async Task TellAsync(IServiceProvider provider, InMemoryGitHub github, InMemoryAzureMachineLearning ml)
    {
        var definition = Definition;
        var planner = provider.GetRequiredService<IEnvironmentPlanner>();
        var applier = provider.GetRequiredService<IEnvironmentApplier>();
        var promoter = provider.GetRequiredService<IModelPromoter>();
        var ledger = provider.GetRequiredService<IPromotionLedger>();
        var reviews = provider.GetRequiredService<IPromotionReviewService>();
        var handler = provider.GetRequiredService<DeploymentProtectionRuleHandler>();
        Assert.True((await applier.ApplyAsync(await planner.PlanAsync(definition))).Succeeded);

        // Version 1: trained in dev, promoted to staging, then to prod (the first model there: no champion yet).
        await TrainAsync(ml, "1", auc: 0.90);
        var v1Staging = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "1", "dev", "staging"));
        Assert.True(v1Staging.Outcome == PromotionOutcome.Promoted, v1Staging.Message);
        var v1Prod = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "1", "staging", "prod") { Approver = "ana" });
        Assert.Equal(PromotionOutcome.Promoted, v1Prod.Outcome);
        Assert.Contains(v1Prod.Evaluation.Verdicts, v => v.Gate.Kind == PromotionGateKind.ImprovesOnChampion && v.Reason.Contains("no champion yet"));

        // Promoting it again is a no-op that says so.
        var again = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "1", "staging", "prod"));
        Assert.Equal(PromotionOutcome.AlreadyPromoted, again.Outcome);
        Assert.Contains("already the current version", again.Message);

        // Version 2 barely improves: staging takes it, prod's champion gate refuses it with the numbers.
        await TrainAsync(ml, "2", auc: 0.905);
        Assert.Equal(PromotionOutcome.Promoted, (await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "2", "dev", "staging"))).Outcome);
        var writesBefore = ml.Calls.Count(c => c.IsWrite);
        var v2Prod = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "2", "staging", "prod"));
        Assert.Equal(PromotionOutcome.GatesFailed, v2Prod.Outcome);
        var failed = Assert.Single(v2Prod.Evaluation.Failures);
        Assert.Equal(PromotionGateKind.ImprovesOnChampion, failed.Gate.Kind);
        Assert.Equal("auc 0.905 vs champion fraud@1 0.9 (+0.005, +0.5556 %); needs ≥ 0.91 (higher is better, by ≥ 0.01)", failed.Reason);
        Assert.Equal(writesBefore, ml.Calls.Count(c => c.IsWrite));
        Assert.Null(await ml.GetModelVersionAsync(Prod, "fraud", "2"));

        // The automatic gate: a signed webhook for version 2 is rejected with the numbers; a forged one gets 401.
        var runV2 = github.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "2"), "bob", ["prod"]);
        var body = WebhookBody(runV2);
        var forged = await handler.HandleAsync(new WebhookDelivery("deployment_protection_rule", "delivery-0", WebhookDelivery.Sign(body, "not-the-secret"), body));
        Assert.Equal(401, forged.StatusCode);
        Assert.Empty(github.GetCustomGateReviews(Repo, runV2));
        var rejected = await handler.HandleAsync(new WebhookDelivery("deployment_protection_rule", "delivery-1", WebhookDelivery.Sign(body, WebhookSecret), body));
        Assert.Equal(ProtectionRuleDecisionKind.Rejected, rejected.Kind);
        var answer = Assert.Single(github.GetCustomGateReviews(Repo, runV2));
        Assert.Equal(GitHubReviewState.Rejected, answer.State);
        Assert.Contains("auc 0.905 vs champion fraud@1 0.9", answer.Comment);

        // Version 3: clearly better. The prod job waits for ana; the review view shows it against the champion.
        await TrainAsync(ml, "3", auc: 0.93);
        Assert.Equal(PromotionOutcome.Promoted, (await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "3", "dev", "staging"))).Outcome);
        var runV3 = github.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "3"), "bob", ["prod"]);
        var pending = Assert.Single(await reviews.ListPendingAsync(definition), p => p.Run.Id == runV3);
        var view = Assert.Single(pending.Evaluations);
        Assert.Equal(("fraud", "3"), (pending.ModelName, pending.Version));
        Assert.Equal("1", view.Champion!.Version);
        Assert.True(view.Passed);
        Assert.Contains("auc 0.93 vs champion fraud@1 0.9", pending.ToText());
        Assert.Contains("| auc | 0.93 | 0.9 |", pending.ToMarkdown());

        Assert.Equal(["prod"], await reviews.ApproveAsync(Repo, runV3, "Metrics beat the champion."));
        var v3Prod = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "3", "staging", "prod") { WorkflowRunId = runV3 });
        Assert.Equal(PromotionOutcome.Promoted, v3Prod.Outcome);
        var registered = (await ml.GetModelVersionAsync(Prod, "fraud", "3"))!;
        Assert.Equal(Staging.ResourceId, registered.Properties.Tags[ModelPromoter.SourceWorkspaceTag]);
        Assert.Equal("3", registered.Properties.Tags[ModelPromoter.SourceVersionTag]);
        Assert.Equal("train-fraud-3", registered.Properties.Tags[ModelPromoter.SourceJobTag]);
        Assert.Equal("ana", registered.Properties.Tags[ModelPromoter.ApproverTag]);
        Assert.Equal(v3Prod.Record!.DeploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture), registered.Properties.Tags[ModelPromoter.PromotionIdTag]);
        Assert.StartsWith("azureml://subscriptions/", registered.Properties.ModelUri!.ToString());

        var history = await ledger.GetHistoryAsync(Repo, "prod", "fraud");
        Assert.Equal(
            [("3", PromotionState.Succeeded), ("2", PromotionState.Failed), ("1", PromotionState.Succeeded)],
            history.Select(r => (r.Version, r.State)).ToArray());
        Assert.Equal("ana", history[0].Approver);
        Assert.Equal(runV3, history[0].WorkflowRunId);
        Assert.Equal("3", (await ledger.GetCurrentAsync(Repo, "prod", "fraud"))!.Version);

        // Roll back to version 1. Its gates would refuse it (it does not beat version 3), so they are skipped explicitly.
        var refused = await promoter.RollbackAsync(new RollbackRequest(definition, "fraud", "prod"));
        Assert.Equal(PromotionOutcome.GatesFailed, refused.Outcome);
        var rollback = await promoter.RollbackAsync(new RollbackRequest(definition, "fraud", "prod") { SkipGates = true, Reason = "latency regression in v3", Approver = "ana" });
        Assert.Equal(PromotionOutcome.RolledBack, rollback.Outcome);
        var after = await ledger.GetHistoryAsync(Repo, "prod", "fraud");
        var latest = after[0];
        Assert.Equal((PromotionKind.Rollback, "1", PromotionState.Succeeded, true), (latest.Kind, latest.Version, latest.State, latest.GatesSkipped));
        Assert.Equal("latency regression in v3", latest.Reason);
        Assert.Equal("1", (await ledger.GetCurrentAsync(Repo, "prod", "fraud"))!.Version);
        Assert.Contains("rollback", PromotionReport.HistoryToText(after));
        Assert.Contains("gates skipped", PromotionReport.HistoryToText(after));
    }

    private static byte[] WebhookBody(long runId) => Encoding.UTF8.GetBytes($$$"""
        {"action":"requested","environment":"prod","event":"workflow_dispatch","ref":"refs/heads/main","sha":"0000000000000000000000000000000000000000",
         "deployment_callback_url":"https://api.github.com/repos/octo/fraud-detection/actions/runs/{{{runId}}}/deployment_protection_rule",
         "deployment":{"id":1,"created_at":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","payload":""},
         "repository":{"full_name":"octo/fraud-detection"},"installation":{"id":5}}
        """);
}

/// <summary>Sharing through a registry, through the real Azure client against the ARM emulator.</summary>
public class RegistryPromotionOverEmulatorTests
{
    [Fact]
    public async Task PublishTagAndReference_OverTheArmEmulator()
    {
        await using var world = await RegistryPromotionWorld.StartAsync("1");

        var result = await world.PromoteAsync("1");

        Assert.True(result.Outcome == PromotionOutcome.Promoted, result.Message);
        Assert.Equal("azureml://registries/shared/models/fraud/versions/1", result.Registered!.Properties.ModelUri!.ToString());
        Assert.Equal("job-1", (await world.MachineLearning.GetRegistryModelVersionAsync(RegistryPromotionWorld.Registry, "fraud", "1"))!.Properties.Tags[ModelPromoter.SourceJobTag]);
        Assert.Contains(world.Arm.Requests, r => r.Operation is not null && r.Operation.Contains("Publish", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(world.Arm.UnmatchedRequests);
    }
}
