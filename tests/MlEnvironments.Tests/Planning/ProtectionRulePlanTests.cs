using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>
/// Custom deployment protection rules in plans: enabling required Apps, refusing Apps that are not installed before
/// any write, reporting and pruning undeclared rules, and gates, which never change GitHub.
/// </summary>
public class ProtectionRulePlanTests
{
    private const long DeployGate = 42;
    private const long Datadog = 43;
    private const string Enable = "repos/create-deployment-protection-rule";
    private const string Disable = "repos/disable-deployment-protection-rule";

    private static EnvironmentPlanner RulePlanner(InMemoryGitHub github) =>
        new(github, github, github, identities: github, protectionRules: github);

    private static EnvironmentApplier RuleApplier(InMemoryGitHub github) =>
        new(github, github, github, github, protectionRules: github);

    /// <summary>The fake, with the Apps "deploy-gate" (42) and "datadog" (43) installed on the repository.</summary>
    private static (InMemoryGitHub GitHub, RepositoryId Repository) NewGitHubWithApps()
    {
        var (github, repository) = NewGitHub();
        github.InstallProtectionRuleApp(repository, DeployGate, "deploy-gate").InstallProtectionRuleApp(repository, Datadog, "datadog");
        return (github, repository);
    }

    [Fact]
    public async Task ARequiredApp_IsEnabled_AndTheSecondPlanHasNoChanges()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").WithVariable("MODEL", "credit"));
        var definition = Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit").RequireProtectionRule(DeployGate));
        var planner = RulePlanner(github);

        var plan = await planner.PlanAsync(definition);

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Create, ChangeKind.ProtectionRule, "prod", "42"), (change.Action, change.Kind, change.EnvironmentName, change.Target));
        Assert.Equal("+ environment \"prod\": protection rule deploy-gate (#42)", change.Describe());
        Assert.Equal((null, "deploy-gate (#42)"), (change.Before, change.After));
        Assert.False(change.IsSensitive);
        Assert.Equal("Plan: 1 to add, 0 to change, 0 to destroy.", plan.Summary);
        github.ClearCalls();

        var result = await RuleApplier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        var write = Assert.Single(github.Writes);
        Assert.Equal((Enable, "prod", "42"), (write.Operation, write.Environment, write.Target));
        Assert.Equal(definition, github.Snapshot(repository));
        var again = await planner.PlanAsync(definition);
        Assert.False(again.HasChanges, again.ToText());
        Assert.Empty(again.Notes);
        Assert.Equal([DeployGate], Assert.Single(again.Observed.Environments).ProtectionRules.Select(r => r.App.Id));
    }

    [Fact]
    public async Task ANewEnvironment_GetsItsRulesRightAfterItsPatterns_AndRoundTrips()
    {
        var (github, repository) = NewGitHubWithApps();
        var definition = Repository(RepositoryName,
            Environment("prod")
                .RequireReviewers(User("ana"))
                .AllowBranches("main")
                .RequireProtectionRule(Datadog)
                .RequireProtectionRule(DeployGate)
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.FromValue("t0ken")));
        var planner = RulePlanner(github);

        var plan = await planner.PlanAsync(definition);

        Assert.Equal(
            [
                (ChangeAction.Create, ChangeKind.Environment, "prod", null),
                (ChangeAction.Create, ChangeKind.BranchPattern, "prod", "branch:main"),
                (ChangeAction.Create, ChangeKind.ProtectionRule, "prod", "43"),
                (ChangeAction.Create, ChangeKind.ProtectionRule, "prod", "42"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "MODEL"),
                (ChangeAction.Create, ChangeKind.Secret, "prod", "TOKEN"),
            ],
            Shape(plan));

        // The repository has no environment yet, so GitHub cannot list its Apps: they are checked by enabling them.
        Assert.Equal("App #43", plan.Changes[2].After);
        github.ClearCalls();
        var result = await RuleApplier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(
            ["repos/create-or-update-environment", "repos/create-deployment-branch-policy", Enable, Enable, "actions/create-environment-variable", "actions/create-or-update-environment-secret"],
            github.Writes.Select(w => w.Operation));
        var prod = Assert.Single(github.Snapshot(repository).Environments);
        Assert.Equal<long>([Datadog, DeployGate], prod.ProtectionRuleAppIds);
        Assert.False((await planner.PlanAsync(definition)).HasChanges);
    }

    [Fact]
    public async Task ANewEnvironment_IsCheckedAgainstTheAppsListedForAnExistingOne()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("dev"));
        var definition = Repository(RepositoryName, Environment("dev"), Environment("prod").RequireProtectionRule(DeployGate));

        var plan = await RulePlanner(github).PlanAsync(definition);

        Assert.Equal("+ environment \"prod\": protection rule deploy-gate (#42)", Only(plan, ChangeKind.ProtectionRule).Describe());
        Assert.Contains(github.Calls, c => c.Operation == "repos/list-custom-deployment-rule-integrations" && c.Environment == "dev");

        var missing = Repository(RepositoryName, Environment("dev"), Environment("prod").RequireProtectionRule(99));
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => RulePlanner(github).PlanAsync(missing));
        Assert.Equal(("environments[prod].protectionRules[0]", ValidationRules.ProtectionRuleAppNotInstalled), (Assert.Single(error.Result.Errors).Path, error.Result.Errors[0].Rule));
    }

    [Fact]
    public async Task AnAppThatIsNotInstalled_FailsThePlan_WithEveryOneAtOnce_AndNothingIsWritten()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("staging"));
        github.Seed(repository, Environment("prod"));
        var definition = Repository(RepositoryName,
            Environment("staging").RequireProtectionRule(DeployGate).RequireProtectionRule(1001).WithVariable("MODEL", "credit"),
            Environment("prod").RequireReviewers(User("ana")).RequireProtectionRule(2002));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => RulePlanner(github).PlanAsync(definition));

        Assert.Equal(
            [
                ("environments[staging].protectionRules[1]", ValidationRules.ProtectionRuleAppNotInstalled, "1001"),
                ("environments[prod].protectionRules[0]", ValidationRules.ProtectionRuleAppNotInstalled, "2002"),
            ],
            error.Result.Errors.Select(e => (e.Path, e.Rule, e.OffendingValue)));
        var message = error.Result.Errors[0].Message;
        Assert.Contains("GitHub App 1001 is not installed on octo-org/credit-risk", message, StringComparison.Ordinal);
        Assert.Contains("Install the App on the repository", message, StringComparison.Ordinal);
        Assert.Contains("Apps that can be enabled: deploy-gate (#42), datadog (#43).", message, StringComparison.Ordinal);
        Assert.Empty(github.Writes);
        Assert.All(github.Calls, c => Assert.False(c.IsWrite));
    }

    [Fact]
    public async Task AReviewerWhoCannotReview_AndAnAppThatIsNotInstalled_AreReportedTogether()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => RulePlanner(github).PlanAsync(
            Repository(RepositoryName, Environment("prod").RequireReviewers(User("ghost")).RequireProtectionRule(99))));

        Assert.Equal(
            [ValidationRules.ReviewerCannotReview, ValidationRules.ProtectionRuleAppNotInstalled],
            error.Result.Errors.Select(e => e.Rule));
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task NoInstalledApp_SaysSo()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate))));

        Assert.EndsWith("Apps that can be enabled: none.", Assert.Single(error.Result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUndeclaredRule_IsReportedAndLeftAlone_ThenDisabledWhenPruning()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate).RequireProtectionRule(7));
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate));
        var planner = RulePlanner(github);

        var plan = await planner.PlanAsync(definition);

        Assert.False(plan.HasChanges, plan.ToText());
        var note = Assert.Single(plan.Notes);
        Assert.Equal(
            new PlanNote(PlanNoteSeverity.Info, "prod", "protection rule app-7 (#7) is enabled but not declared; left alone (prune to disable it)."),
            note);

        var pruning = await planner.PlanAsync(definition, new PlanOptions { Prune = true });

        var change = Assert.Single(pruning.Changes);
        Assert.Equal((ChangeAction.Delete, ChangeKind.ProtectionRule, "7"), (change.Action, change.Kind, change.Target));
        Assert.Equal("- environment \"prod\": protection rule app-7 (#7)", change.Describe());
        Assert.Empty(pruning.Notes);
        github.ClearCalls();
        var result = await RuleApplier(github).ApplyAsync(pruning);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(Disable, Assert.Single(github.Writes).Operation);
        Assert.Equal(definition, github.Snapshot(repository));
        Assert.False((await planner.PlanAsync(definition, new PlanOptions { Prune = true })).HasChanges);
    }

    [Fact]
    public async Task PruningWithoutDeclaredRules_DisablesEveryRule()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate).RequireProtectionRule(Datadog));

        var plan = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod")), new PlanOptions { Prune = true });
        var result = await RuleApplier(github).ApplyAsync(plan);

        Assert.Equal(2, plan.DeleteCount);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Empty(Assert.Single(github.Snapshot(repository).Environments).ProtectionRuleAppIds);
    }

    [Fact]
    public async Task ADisabledRuleThatIsAlreadyGone_CountsAsDisabled()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate));
        var plan = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod")), new PlanOptions { Prune = true });
        await RuleApplier(github).ApplyAsync(plan);

        var again = await RuleApplier(github).ApplyAsync(plan);

        Assert.True(again.Succeeded, again.ToString());
    }

    [Fact]
    public async Task AGatesOnlyChange_PlansNoChanges()
    {
        var (github, repository) = NewGitHubWithApps();
        var registry = MachineLearning.MachineLearningRegistryId.Create(SubscriptionId, "rg-shared", "mlreg-shared");
        var seeded = Environment("prod").RequireReviewers(User("ana")).BindWorkspace(ProdWorkspace).WithVariable("MODEL", "credit").RequireProtectionRule(DeployGate);
        github.Seed(repository, seeded);
        var definition = Repository(RepositoryName, seeded
            .WithGates(MetricAtLeast("auc", 0.85), ImprovesOnChampion("auc", minRelativeChange: 0.01), RequiredTag("approved"), TrainingJobCompleted())
            .ShareThroughRegistry(registry));
        github.ClearCalls();

        var plan = await RulePlanner(github).PlanAsync(definition, new PlanOptions { Prune = true, UpdateSecrets = true });

        Assert.False(plan.HasChanges, plan.ToText());
        Assert.Empty(plan.Notes);
        Assert.StartsWith("No changes.", plan.Summary, StringComparison.Ordinal);
        Assert.False(EnvironmentPlanner.Diff(definition, plan.Observed).HasChanges);
        Assert.False(EnvironmentPlanner.Diff(definition.UpdateEnvironment("prod", e => e.WithoutGates()), plan.Observed).HasChanges);
        Assert.All(github.Calls, c => Assert.False(c.IsWrite));
    }

    [Fact]
    public async Task GatesOnANewEnvironment_AddNothingToItsCreation()
    {
        var (github, _) = NewGitHub();

        var plain = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit")));
        var gated = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit").WithGates(MetricAtLeast("auc", 0.85))));

        Assert.Equal(plain.ToText(), gated.ToText());
    }

    [Fact]
    public async Task ApplyOrder_IsSettingsPatternsProtectionRulesVariablesSecrets()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").AllowBranches("main").RequireProtectionRule(Datadog));
        var definition = Repository(RepositoryName,
            Environment("prod")
                .RequireReviewers(User("ana"))
                .AllowBranches("main", "release/*")
                .RequireProtectionRule(DeployGate)
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.FromValue("t0ken")));
        var plan = await RulePlanner(github).PlanAsync(definition, new PlanOptions { Prune = true });
        github.ClearCalls();

        var result = await RuleApplier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(
            ["repos/create-or-update-environment", "repos/create-deployment-branch-policy", Enable, Disable, "actions/create-environment-variable", "actions/create-or-update-environment-secret"],
            github.Writes.Select(w => w.Operation));
        Assert.Equal(definition.Environments[0], Assert.Single(github.Snapshot(repository).Environments).WithSecret("TOKEN", SecretValue.FromValue("t0ken")));
    }

    [Fact]
    public async Task RulesThatWouldExceedSix_FailThePlan_UnlessPruningMakesRoom()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Enumerable.Range(1, 5).Aggregate(Environment("prod"), (e, i) => e.RequireProtectionRule(i)));
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate).RequireProtectionRule(Datadog));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => RulePlanner(github).PlanAsync(definition));

        var violation = Assert.Single(error.Result.Errors);
        Assert.Equal(("environments[prod].protectionRules", ValidationRules.ProtectionRulesLimit, "7"), (violation.Path, violation.Rule, violation.OffendingValue));
        Assert.Contains("5 enabled but not declared", violation.Message, StringComparison.Ordinal);

        var pruning = await RulePlanner(github).PlanAsync(definition, new PlanOptions { Prune = true });

        // Disabling first makes room: enabling first would hit GitHub's limit.
        Assert.Equal(
            [ChangeAction.Delete, ChangeAction.Delete, ChangeAction.Delete, ChangeAction.Delete, ChangeAction.Delete, ChangeAction.Create, ChangeAction.Create],
            pruning.Changes.Select(c => c.Action));
        var result = await RuleApplier(github).ApplyAsync(pruning);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal<long>([DeployGate, Datadog], Assert.Single(github.Snapshot(repository).Environments).ProtectionRuleAppIds);
    }

    [Fact]
    public async Task WhenThereIsRoom_NewRulesAreEnabledBeforeOldOnesAreDisabled()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(7));

        var plan = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate)), new PlanOptions { Prune = true });

        Assert.Equal([ChangeAction.Create, ChangeAction.Delete], plan.Changes.Select(c => c.Action));
    }

    [Fact]
    public async Task AFailedEnable_StopsTheApply_AndPlanningAgainConverges()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate).WithVariable("MODEL", "credit"));
        var planner = RulePlanner(github);
        github.Faults.FailWhen(c => c.Operation == Enable);

        var result = await RuleApplier(github).ApplyAsync(await planner.PlanAsync(definition));

        Assert.Equal([ChangeOutcome.Failed, ChangeOutcome.Skipped], result.Results.Select(r => r.Outcome));
        var retried = await RuleApplier(github).ApplyAsync(await planner.PlanAsync(definition));
        Assert.True(retried.Succeeded, retried.ToString());
        Assert.False((await planner.PlanAsync(definition)).HasChanges);
    }

    [Fact]
    public async Task APlannerWithoutAReader_RefusesADefinitionWithRules_BeforeAnyCall()
    {
        var (github, _) = NewGitHubWithApps();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Planner(github).PlanAsync(Repository(RepositoryName, Environment("dev"), Environment("prod").RequireProtectionRule(DeployGate))));

        Assert.Contains("'prod'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IGitHubProtectionRuleReader), error.Message, StringComparison.Ordinal);
        Assert.Empty(github.Calls);
    }

    [Fact]
    public async Task APlannerWithoutAReader_StillPlansDefinitionsWithoutRules_WithoutReadingRules()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate));

        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod")), new PlanOptions { Prune = true });

        Assert.False(plan.HasChanges, plan.ToText());
        Assert.DoesNotContain(github.Calls, c => c.Operation.Contains("protection-rule", StringComparison.Ordinal));
        Assert.Empty(Assert.Single(plan.Observed.Environments).ProtectionRules);
    }

    [Fact]
    public async Task TheDiffOfUnreadRules_WarnsInsteadOfGuessing()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate));

        var plan = EnvironmentPlanner.Diff(definition, await Planner(github).ReadStateAsync(definition));

        Assert.False(plan.HasChanges);
        var note = Assert.Single(plan.Notes);
        Assert.Equal(PlanNoteSeverity.Warning, note.Severity);
        Assert.Contains("not read", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApplierWithoutAWriter_RefusesAPlanWithRules_BeforeAnyWrite()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));
        var plan = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit").RequireProtectionRule(DeployGate)));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Applier(github).ApplyAsync(plan));

        Assert.Contains(nameof(IGitHubProtectionRuleWriter), error.Message, StringComparison.Ordinal);
        Assert.Empty(github.Writes);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task RulesGitHubRefusesToList_AreNotedWhenNoneIsDeclared_AndFailThePlanWhenOneIs(int status)
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));
        var reader = Substitute.For<IGitHubProtectionRuleReader>();
        reader.ListProtectionRulesAsync(Arg.Any<RepositoryId>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RemoteServiceException("GitHub", "repos/get-all-deployment-protection-rules", status, "Not available on this plan."));
        var planner = new EnvironmentPlanner(github, github, github, protectionRules: reader);

        var plan = await planner.PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit")), new PlanOptions { ReadProtectionRules = true });

        Assert.Equal(ChangeKind.Variable, Assert.Single(plan.Changes).Kind);
        Assert.Equal(
            new PlanNote(PlanNoteSeverity.Info, "prod", $"custom deployment protection rules could not be read (HTTP {status}); rules that are not declared are not checked."),
            Assert.Single(plan.Notes));
        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => planner.PlanAsync(Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate))));
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public async Task OtherReadFailures_FailThePlan()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod"));
        github.Faults.FailWhen(c => c.Operation == "repos/get-all-deployment-protection-rules");

        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod")), new PlanOptions { Prune = true }));

        Assert.Equal(500, error.StatusCode);
    }

    [Fact]
    public async Task RulesAreRead_OnlyWhenDeclared_OrForPruning_OrWhenAsked()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("dev"));
        github.Seed(repository, Environment("prod"));
        var definition = Repository(RepositoryName, Environment("dev"), Environment("prod").RequireProtectionRule(DeployGate));
        int ReadsOf(string environment) => github.Calls.Count(c => c.Operation == "repos/get-all-deployment-protection-rules" && c.Environment == environment);

        await RulePlanner(github).PlanAsync(definition);
        var byDefault = (ReadsOf("dev"), ReadsOf("prod"));
        github.ClearCalls();
        await RulePlanner(github).PlanAsync(definition, new PlanOptions { Prune = true });
        var pruning = (ReadsOf("dev"), ReadsOf("prod"));
        github.ClearCalls();
        await RulePlanner(github).PlanAsync(definition, new PlanOptions { ReadProtectionRules = true });
        var asked = (ReadsOf("dev"), ReadsOf("prod"));

        Assert.Equal((0, 1), byDefault);
        Assert.Equal((1, 1), pruning);
        Assert.Equal((1, 1), asked);
    }

    [Fact]
    public async Task RulesAreReadOnlyForDeclaredEnvironments_AndTheStateRoundTripsToTheDefinition()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate));
        github.Seed(repository, Environment("sandbox").RequireProtectionRule(Datadog));

        var state = await RulePlanner(github).ReadStateAsync(Repository(RepositoryName, Environment("prod")));

        Assert.Equal(["prod"], github.Calls.Where(c => c.Operation == "repos/get-all-deployment-protection-rules").Select(c => c.Environment));
        Assert.Equal<long>([DeployGate], state.FindEnvironment("prod")!.Definition.ProtectionRuleAppIds);
        Assert.Equal("deploy-gate", Assert.Single(state.FindEnvironment("prod")!.ProtectionRules).App.Slug);
        Assert.Empty(state.FindEnvironment("sandbox")!.ProtectionRules);
    }

    [Fact]
    public async Task ProtectionRuleChanges_AreRenderedAsTextJsonAndMarkdown()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(7));
        var plan = await RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate)), new PlanOptions { Prune = true });

        var text = plan.ToText();
        Assert.Contains("  + environment \"prod\": protection rule deploy-gate (#42)" + System.Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("  - environment \"prod\": protection rule app-7 (#7)" + System.Environment.NewLine, text, StringComparison.Ordinal);
        Assert.EndsWith("Plan: 1 to add, 0 to change, 1 to destroy.", text, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(plan.ToJson());
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(
            [("create", "protectionRule", "42", null, "deploy-gate (#42)"), ("delete", "protectionRule", "7", "app-7 (#7)", null)],
            changes.Select(c => (c.GetProperty("action").GetString(), c.GetProperty("kind").GetString(), c.GetProperty("target").GetString(),
                c.GetProperty("before").GetString(), c.GetProperty("after").GetString())));
        Assert.All(changes, c => Assert.False(c.GetProperty("sensitive").GetBoolean()));

        var markdown = plan.ToMarkdown();
        Assert.Contains("| `+` | prod | protection rule (App `42`) |  | deploy-gate (#42) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `-` | prod | protection rule (App `7`) | app-7 (#7) |  |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseInMemory_WiresTheReaderAndWriter()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory((github, _) =>
        {
            var repository = github.AddRepository(RepositoryName);
            github.InstallProtectionRuleApp(repository, DeployGate, "deploy-gate");
            github.Seed(repository, Environment("prod"));
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate));
        var planner = provider.GetRequiredService<IEnvironmentPlanner>();

        var result = await provider.GetRequiredService<IEnvironmentApplier>().ApplyAsync(await planner.PlanAsync(definition));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(definition, provider.GetRequiredService<InMemoryGitHub>().Snapshot(RepositoryId.Parse(RepositoryName)));
        var denied = Repository(RepositoryName, Environment("prod").RequireProtectionRule(99));
        Assert.Equal(ValidationRules.ProtectionRuleAppNotInstalled,
            Assert.Single((await Assert.ThrowsAsync<ValidationFailedException>(() => planner.PlanAsync(denied))).Result.Errors).Rule);
    }

    [Fact]
    public async Task Seed_InstallsAndEnablesTheApps_AndSnapshotReportsThem()
    {
        var (github, repository) = NewGitHubWithApps();
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate).RequireProtectionRule(500));
        github.Seed(repository, Environment("prod").RequireProtectionRule(DeployGate));

        var apps = await github.ListAvailableProtectionRuleAppsAsync(repository, "prod");
        var rules = await github.ListProtectionRulesAsync(repository, "prod");

        Assert.Equal([(42L, "deploy-gate"), (43L, "datadog"), (500L, "app-500")], apps.Select(a => (a.Id, a.Slug)));
        Assert.Equal([DeployGate, 500L], rules.Select(r => r.App.Id));
        Assert.Equal<long>([DeployGate, 500L], Assert.Single(github.Snapshot(repository).Environments).ProtectionRuleAppIds);
    }
}
