using System;
using System.CommandLine;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;

namespace MlEnvironments.Cli.Commands;

/// <summary>
/// <c>mlenv demo</c>: the whole story on the embedded fakes, in one screen: plan, apply, plan again, then a model
/// promoted dev → staging → prod, refused by the champion gate, approved by a reviewer, and rolled back.
/// </summary>
internal static class DemoCommand
{
    private const string Model = "fraud";

    public static Command Create(CliRuntime runtime)
    {
        var command = new Command("demo", "Run the whole story on the embedded in-memory GitHub and Azure: plan, apply, plan again; then train a model, promote it dev → staging → prod through metric and champion gates, see a gate refuse a version, approve one as a reviewer, read the ledger and roll back. No credentials, no network.");
        runtime.SetAction(command, context => RunAsync(context.Console, context.CancellationToken), "mlenv demo");
        return command;
    }

    /// <summary>The demo's definition: three workspaces; staging and prod guard promotion with gates, prod with a reviewer too.</summary>
    internal static RepositoryDefinition Definition() => MlEnvironment.Repository("octo-org/fraud-detection",
        MlEnvironment.Environment("dev")
            .BindWorkspace(MlEnvironment.Workspace(ExampleDefinition.Subscription, "rg-ml", "mlw-dev")),
        MlEnvironment.Environment("staging")
            .BindWorkspace(MlEnvironment.Workspace(ExampleDefinition.Subscription, "rg-ml", "mlw-staging"))
            .WithGates(MlEnvironment.MetricAtLeast("auc", 0.85)),
        MlEnvironment.Environment("prod")
            .RequireReviewers(MlEnvironment.User("ana"))
            .BindWorkspace(MlEnvironment.Workspace(ExampleDefinition.Subscription, "rg-ml", "mlw-prod"))
            .WithGates(MlEnvironment.ImprovesOnChampion("auc", minAbsoluteChange: 0.01), MlEnvironment.MetricAtLeast("auc", 0.85)));

    private static async Task<int> RunAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var definition = Definition();
        var repository = definition.Repository;
        var (github, azure, identity) = ServiceFactory.Seed(definition);
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory(github, azure, identity);
        await using var provider = services.BuildServiceProvider();
        var planner = provider.GetRequiredService<IEnvironmentPlanner>();
        var applier = provider.GetRequiredService<IEnvironmentApplier>();
        var promoter = provider.GetRequiredService<IModelPromoter>();
        var reviews = provider.GetRequiredService<IPromotionReviewService>();
        var ledger = provider.GetRequiredService<IPromotionLedger>();
        var workspaces = definition.Environments.ToDictionary(e => e.Name, e => e.Binding!.Workspace, StringComparer.Ordinal);

        console.Heading($"mlenv demo: {definition}, on the embedded in-memory GitHub and Azure (no credentials)");
        console.Heading("1. Plan: what apply would change");
        var plan = await console.ProgressAsync("Planning…", () => planner.PlanAsync(definition, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var group in plan.Changes.GroupBy(c => c.EnvironmentName, StringComparer.Ordinal))
        {
            var environment = definition.FindEnvironment(group.Key)!;
            var variables = group.Count(c => c.Kind == ChangeKind.Variable);
            var gates = environment.Gates.IsEmpty ? string.Empty : $"; gates: {string.Join(", ", environment.Gates)}";
            var reviewers = environment.Reviewers.IsEmpty ? string.Empty : $" reviewers [{string.Join(", ", environment.Reviewers)}],";
            console.Diff($"  + environment \"{group.Key}\":{reviewers} {variables} workspace variables (mlw-{group.Key}){gates}");
        }

        console.Diff("  " + plan.Summary);
        console.Heading("2. Apply: the only step that writes");
        var applied = await console.ProgressAsync("Applying…", () => applier.ApplyAsync(plan, cancellationToken)).ConfigureAwait(false);
        console.Diff("  " + applied.Summary);
        console.Heading("3. Plan again: nothing left to do");
        var again = await console.ProgressAsync("Planning…", () => planner.PlanAsync(definition, cancellationToken: cancellationToken)).ConfigureAwait(false);
        console.Diff("  " + again.Summary);
        if (!applied.Succeeded || again.HasChanges)
        {
            console.Error("The demo did not converge.", "this is a bug in mlenv; please report it with the output above.");
            return ExitCodes.Error;
        }

        async Task TrainAsync(string version, double auc)
        {
            var dev = workspaces["dev"];
            azure.AddJob(dev, "train-" + version, MachineLearningJobStatus.Completed);
            azure.LogMetric(dev, "train-" + version, "auc", auc);
            var properties = new MachineLearningModelVersionProperties { JobName = "train-" + version, ModelUri = new Uri($"azureml://jobs/train-{version}/outputs/model") };
            await azure.CreateOrUpdateModelVersionAsync(dev, Model, version, properties, cancellationToken).ConfigureAwait(false);
        }

        async Task<PromotionResult> PromoteAsync(string version, string from, string to, long? run = null, string? approver = null)
        {
            var request = new PromotionRequest(definition, Model, version, from, to) { WorkflowRunId = run, Approver = approver };
            return await console.ProgressAsync($"Promoting {request}…", () => promoter.PromoteAsync(request, cancellationToken)).ConfigureAwait(false);
        }

        void Line(PromotionResult result)
        {
            if (result.Succeeded)
            {
                console.Success("  " + result.Message);
            }
            else
            {
                console.Diff("  FAILED " + result.Message);
            }
        }

        console.Heading($"4. Train {Model}@1 in dev (auc 0.9); mlenv promote it to staging, then to prod (the first there)");
        await TrainAsync("1", 0.90).ConfigureAwait(false);
        Line(await PromoteAsync("1", "dev", "staging").ConfigureAwait(false));
        Line(await PromoteAsync("1", "staging", "prod", approver: "ana").ConfigureAwait(false));

        console.Heading($"5. {Model}@2 (auc 0.905) passes staging; prod's champion gate refuses it (mlenv promote exits {ExitCodes.GateFailed})");
        await TrainAsync("2", 0.905).ConfigureAwait(false);
        var v2Staging = await PromoteAsync("2", "dev", "staging").ConfigureAwait(false);
        var refused = await PromoteAsync("2", "staging", "prod").ConfigureAwait(false);
        console.Report(Indent(PromotionReport.ToText(refused.Evaluation)));

        console.Heading($"6. {Model}@3 (auc 0.93): the prod job waits for ana; mlenv pending shows what she approves");
        await TrainAsync("3", 0.93).ConfigureAwait(false);
        var v3Staging = await PromoteAsync("3", "dev", "staging").ConfigureAwait(false);
        var run = github.AddWaitingRun(repository, PromotionRunTitle.Format(Model, "3"), "bob", ["prod"]);
        github.CurrentUserLogin = "ana";
        var pending = await reviews.GetPendingAsync(definition, run, cancellationToken).ConfigureAwait(false);
        console.Report(Indent(pending!.ToText()));
        var approved = await reviews.ApproveAsync(repository, run, "auc beats the champion", cancellationToken: cancellationToken).ConfigureAwait(false);
        console.Success($"  mlenv approve --run-id {run}: ana approved {string.Join(", ", approved)}");
        var promoted = await PromoteAsync("3", "staging", "prod", run).ConfigureAwait(false);
        Line(promoted);

        console.Heading("7. mlenv history --environment prod");
        console.Result(Indent(PromotionReport.HistoryToText(await ledger.GetHistoryAsync(repository, "prod", Model, cancellationToken).ConfigureAwait(false))));

        console.Heading($"8. mlenv rollback --environment prod --model {Model} --to-version 1 --skip-gates (v1 would not beat v3); the ledger's newest entry");
        var rollback = await promoter.RollbackAsync(
            new RollbackRequest(definition, Model, "prod") { ToVersion = "1", SkipGates = true, Reason = "latency regression in v3", Approver = "ana" },
            cancellationToken).ConfigureAwait(false);
        Line(rollback);
        var history = await ledger.GetHistoryAsync(repository, "prod", Model, cancellationToken).ConfigureAwait(false);
        console.Result(Indent(PromotionReport.HistoryToText(history.Take(1))));

        var current = await ledger.GetCurrentAsync(repository, "prod", Model, cancellationToken).ConfigureAwait(false);
        var story = v2Staging.Succeeded && refused.Outcome == PromotionOutcome.GatesFailed && v3Staging.Succeeded &&
            promoted.Outcome == PromotionOutcome.Promoted && rollback.Outcome == PromotionOutcome.RolledBack && current?.Version == "1";
        if (!story)
        {
            console.Error("The demo's promotion story did not go as expected.", "this is a bug in mlenv; please report it with the output above.");
            return ExitCodes.Error;
        }

        console.Success($"Done: {applied.AppliedCount} changes applied, {history.Count} promotion attempts in prod's ledger, and {Model}@{current!.Version} is current there.");
        console.Info("Next, for your repository: mlenv init --repository <owner/name> --azure-subscription <guid>, then mlenv validate, mlenv plan --in-memory, mlenv workflow generate and mlenv workflow lint (no credentials needed so far); then mlenv plan and mlenv apply with GITHUB_TOKEN, and mlenv promote / pending / approve / history / rollback.");
        return ExitCodes.Success;
    }

    private static string Indent(string text) =>
        string.Join(Environment.NewLine, text.TrimEnd('\n', '\r').Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
