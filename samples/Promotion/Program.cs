// MlEnvironments promotion sample: a model moves dev → staging → prod through metric gates, a champion/challenger gate,
// a reviewer's approval and an automatic protection rule, and is rolled back — all on the in-memory GitHub and Azure
// of MlEnvironments.Testing (no credentials, no network).
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

const string subscription = "00000000-0000-0000-0000-000000000001";
// A secret made for this run: a webhook secret never belongs in source (the analyzers report it: MLENV002).
var webhookSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
var repository = RepositoryId.Parse("octo-org/fraud-detection");
var dev = Workspace(subscription, "rg-ml", "mlw-dev");
var staging = Workspace(subscription, "rg-ml", "mlw-staging");
var prod = Workspace(subscription, "rg-ml", "mlw-prod");

// The pipeline: the order of the environments is the promotion order; gates guard promotion *into* an environment.
var definition = Repository(repository,
    Environment("dev").BindWorkspace(dev),
    Environment("staging").BindWorkspace(staging).WithGates(MetricAtLeast("auc", 0.85), TrainingJobCompleted()),
    Environment("prod").BindWorkspace(prod)
        .RequireReviewers(User("ana"))
        .RequireProtectionRule(777)
        .WithGates(MetricAtLeast("auc", 0.85), ImprovesOnChampion("auc", minAbsoluteChange: 0.01), RequiredTag("validated", "true")));
definition.Validate().ThrowIfInvalid();

var github = new InMemoryGitHub();
github.GrantAccess(repository, User("ana")).InstallProtectionRuleApp(repository, 777, "mlenv-gate");
github.CurrentUserLogin = "ana";
var ml = new InMemoryAzureMachineLearning().AddWorkspace(dev).AddWorkspace(staging).AddWorkspace(prod);
var services = new ServiceCollection();
services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero)
    .UseInMemory(github, ml)
    .AddDeploymentProtectionRule(o =>
    {
        o.WebhookSecret = SecretValue.FromValue(webhookSecret);
        o.Definitions = Repositories(definition);
    });
await using var provider = services.BuildServiceProvider();
var promoter = provider.GetRequiredService<IModelPromoter>();
var reviews = provider.GetRequiredService<IPromotionReviewService>();
var ledger = provider.GetRequiredService<IPromotionLedger>();
var gate = provider.GetRequiredService<DeploymentProtectionRuleHandler>();
var applied = await provider.GetRequiredService<IEnvironmentApplier>().ApplyAsync(await provider.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition));
Console.WriteLine($"Environments: {applied.Summary}");
if (!applied.Succeeded)
{
    // Each failed change with its cause (status and message for a remote failure), never only a count.
    foreach (var failed in applied.Results.Where(r => r.Outcome == ChangeOutcome.Failed))
    {
        var cause = failed.Error is RemoteServiceException remote ? $"{remote.Service} answered {remote.StatusCode}: {remote.Message}" : failed.Error?.Message;
        Console.Error.WriteLine($"FAILED: {failed.Change.Describe()}: {cause}");
    }

    Console.Error.WriteLine("Fix the cause above and run again.");
    return 1;
}

async Task Train(string version, double auc)
{
    ml.AddJob(dev, "train-" + version, MachineLearningJobStatus.Completed);
    ml.LogMetric(dev, "train-" + version, "auc", auc);
    var properties = new MachineLearningModelVersionProperties { JobName = "train-" + version, ModelUri = new Uri($"azureml://jobs/train-{version}/outputs/model") };
    properties.Tags["validated"] = "true";
    await ml.CreateOrUpdateModelVersionAsync(dev, "fraud", version, properties);
    Console.WriteLine($"Trained fraud@{version} in dev (auc {auc}).");
}

async Task<PromotionResult> Promote(string version, string from, string to, long? run = null)
{
    var result = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", version, from, to) { WorkflowRunId = run });
    Console.WriteLine($"  {result.Outcome}: {result.Message}");
    return result;
}

await Train("1", 0.90);
await Promote("1", "dev", "staging");
await Promote("1", "staging", "prod");

await Train("2", 0.905);
await Promote("2", "dev", "staging");
await Promote("2", "staging", "prod");
var body = Encoding.UTF8.GetBytes($$$"""
    {"action":"requested","environment":"prod","deployment_callback_url":"https://api.github.com/repos/{{{repository}}}/actions/runs/{{{github.AddWaitingRun(repository, PromotionRunTitle.Format("fraud", "2"), "prod")}}}/deployment_protection_rule",
     "deployment":{"created_at":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","payload":""},"repository":{"full_name":"{{{repository}}}"}}
    """);
Console.WriteLine($"  Protection rule, forged webhook: {(await gate.HandleAsync(new("deployment_protection_rule", "d1", WebhookDelivery.Sign(body, "forged"), body))).StatusCode}; " +
    $"signed: {(await gate.HandleAsync(new("deployment_protection_rule", "d2", WebhookDelivery.Sign(body, webhookSecret), body))).Kind}.");

await Train("3", 0.93);
await Promote("3", "dev", "staging");
var run = github.AddWaitingRun(repository, PromotionRunTitle.Format("fraud", "3"), "prod");
Console.WriteLine();
Console.Write((await reviews.GetPendingAsync(definition, run))!.ToText());
await reviews.ApproveAsync(repository, run, "Beats the champion.");
Console.WriteLine("ana approved run " + run + ".");
await Promote("3", "staging", "prod", run);

var rollback = await promoter.RollbackAsync(new RollbackRequest(definition, "fraud", "prod") { SkipGates = true, Reason = "latency regression" });
Console.WriteLine($"  {rollback.Outcome}: {rollback.Message}");
Console.WriteLine();
Console.WriteLine("Ledger of prod:");
Console.Write(PromotionReport.HistoryToText(await ledger.GetHistoryAsync(repository, "prod", "fraud")));
return (await ledger.GetCurrentAsync(repository, "prod", "fraud"))?.Version == "1" ? 0 : 1;
