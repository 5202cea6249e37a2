using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

public class PlanDiffTests
{
    private static EnvironmentDefinition Baseline(string name = "prod") =>
        Environment(name).RequireReviewers(User("ana")).AllowBranches("main").WithVariable("MODEL", "credit");

    [Fact]
    public async Task NewEnvironment_PlansCreateOfEnvironmentPatternsBindingVariablesVariablesAndSecrets()
    {
        var (github, _) = NewGitHub();
        var definition = Repository(RepositoryName,
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .AllowBranches("main")
                .AllowTags("v*")
                .BindWorkspace(ProdWorkspace)
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.FromValue("literal-value"))
                .WithSecret("AZURE_CREDENTIALS", SecretValue.FromEnvironmentVariable("SOME_VAR")));

        var plan = await DiffAsync(github, definition);

        Assert.Equal(
            [
                (ChangeAction.Create, ChangeKind.Environment, "prod", null),
                (ChangeAction.Create, ChangeKind.BranchPattern, "prod", "branch:main"),
                (ChangeAction.Create, ChangeKind.BranchPattern, "prod", "tag:v*"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "AZURE_SUBSCRIPTION_ID"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "AZUREML_RESOURCE_GROUP"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "AZUREML_WORKSPACE"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "MODEL"),
                (ChangeAction.Create, ChangeKind.Secret, "prod", "TOKEN"),
                (ChangeAction.Create, ChangeKind.Secret, "prod", "AZURE_CREDENTIALS"),
            ],
            Shape(plan));
        var environment = plan.Changes[0];
        Assert.Null(environment.Before);
        Assert.Equal("{ reviewers [user:ana, team:ml-leads]; wait timer 30 min; prevent self-review on; admins bypass on; branches: custom patterns }", environment.After);
        Assert.Equal(["\"" + SubscriptionId + "\"", "\"rg-ml\"", "\"mlw-prod\"", "\"credit\""],
            plan.Changes.Where(c => c.Kind == ChangeKind.Variable).Select(c => c.After));
        Assert.All(plan.Changes.Where(c => c.Kind == ChangeKind.Secret), c =>
        {
            Assert.True(c.IsSensitive);
            Assert.Equal(SecretValue.Redacted, c.After);
        });
        Assert.Equal((9, 0, 0), (plan.CreateCount, plan.UpdateCount, plan.DeleteCount));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public async Task NewEnvironment_WithProtectedBranches_PlansNoPatterns()
    {
        var (github, _) = NewGitHub();
        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("staging").AllowProtectedBranchesOnly().PreventAdminsBypass()));

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Create, ChangeKind.Environment), (change.Action, change.Kind));
        Assert.Contains("branches: protected branches", change.After, StringComparison.Ordinal);
        Assert.Contains("admins bypass off", change.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchingState_PlansNoChanges()
    {
        var (github, repository) = NewGitHub();
        var prod = Baseline().BindWorkspace(ProdWorkspace).WithWaitTimer(TimeSpan.FromMinutes(5)).PreventSelfReview();
        github.Seed(repository, prod);

        var plan = await DiffAsync(github, Repository(RepositoryName, prod));

        Assert.False(plan.HasChanges, plan.ToText());
        Assert.Empty(plan.Notes);
    }

    [Theory]
    [InlineData(ChangeKind.Reviewers, "[user:ana]", "[user:ana, team:ml-leads]")]
    [InlineData(ChangeKind.WaitTimer, "0 min", "45 min")]
    [InlineData(ChangeKind.PreventSelfReview, "off", "on")]
    [InlineData(ChangeKind.AdminsBypass, "on", "off")]
    [InlineData(ChangeKind.BranchPolicy, "custom patterns", "protected branches")]
    public async Task ChangedSetting_PlansOneUpdateOfThatKind(ChangeKind kind, string before, string after)
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Baseline());
        var desired = kind switch
        {
            ChangeKind.Reviewers => Baseline().RequireReviewers(Team("ml-leads")),
            ChangeKind.WaitTimer => Baseline().WithWaitTimer(TimeSpan.FromMinutes(45)),
            ChangeKind.PreventSelfReview => Baseline().PreventSelfReview(),
            ChangeKind.AdminsBypass => Baseline().PreventAdminsBypass(),
            _ => Baseline().AllowProtectedBranchesOnly(),
        };

        var plan = await DiffAsync(github, Repository(RepositoryName, desired), new PlanOptions { Prune = true });

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Update, kind, "prod", (string?)null, before, after),
            (change.Action, change.Kind, change.EnvironmentName, change.Target, change.Before, change.After));
        Assert.Equal((0, 1, 0), (plan.CreateCount, plan.UpdateCount, plan.DeleteCount));
    }

    [Fact]
    public async Task ReviewerOrderAndCase_AreNotChanges()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").RequireReviewers(Team("ML-Leads"), User("Ana"))));

        Assert.False(plan.HasChanges, plan.ToText());
    }

    [Fact]
    public async Task SwitchingToCustomPatterns_PlansPolicyModeUpdateThenPatternCreates()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").AllowBranches("main").AllowTags("v*")));

        Assert.Equal(
            [
                (ChangeAction.Update, ChangeKind.BranchPolicy, "prod", null),
                (ChangeAction.Create, ChangeKind.BranchPattern, "prod", "branch:main"),
                (ChangeAction.Create, ChangeKind.BranchPattern, "prod", "tag:v*"),
            ],
            Shape(plan));
        Assert.Equal(("all branches", "custom patterns"), (plan.Changes[0].Before, plan.Changes[0].After));
        Assert.Equal("v*", plan.Changes[2].After);
    }

    [Fact]
    public async Task UndeclaredPattern_WithoutPrune_IsAWarningNote()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main", "legacy/*"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").AllowBranches("main", "release/*")));

        Assert.Equal([(ChangeAction.Create, ChangeKind.BranchPattern, "prod", "branch:release/*")], Shape(plan));
        var note = Assert.Single(plan.Notes);
        Assert.Equal(PlanNoteSeverity.Warning, note.Severity);
        Assert.Contains("branch:legacy/*", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndeclaredPattern_WithPrune_IsDeleted()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main", "legacy/*"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").AllowBranches("main")), new PlanOptions { Prune = true });

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Delete, ChangeKind.BranchPattern, "branch:legacy/*", "legacy/*", (string?)null),
            (change.Action, change.Kind, change.Target, change.Before, change.After));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public async Task LeavingCustomPatterns_PlansOnlyTheModeChange_EvenWithPrune()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main", "release/*"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").AllowAllBranches()), new PlanOptions { Prune = true });

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Update, ChangeKind.BranchPolicy, "custom patterns", "all branches"), (change.Action, change.Kind, change.Before, change.After));
    }

    [Fact]
    public async Task Variables_CreateUpdateAndUndeclaredNote()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithVariable("MODEL", "old").WithVariable("LEGACY", "x").WithVariable("SAME", "1"));

        var plan = await DiffAsync(github, Repository(RepositoryName,
            Environment("prod").WithVariable("model", "new").WithVariable("same", "1").WithVariable("NEW_ONE", "y")));

        Assert.Equal(
            [
                (ChangeAction.Update, ChangeKind.Variable, "prod", "MODEL"),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "NEW_ONE"),
            ],
            Shape(plan));
        Assert.Equal(("\"old\"", "\"new\""), (plan.Changes[0].Before, plan.Changes[0].After));
        Assert.Equal("\"y\"", plan.Changes[1].After);
        var note = Assert.Single(plan.Notes);
        Assert.Equal(PlanNoteSeverity.Info, note.Severity);
        Assert.Contains("variable LEGACY", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndeclaredVariable_WithPrune_IsDeleted()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithVariable("MODEL", "credit").WithVariable("LEGACY", "x"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit")), new PlanOptions { Prune = true });

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Delete, ChangeKind.Variable, "LEGACY", "\"x\"", (string?)null),
            (change.Action, change.Kind, change.Target, change.Before, change.After));
    }

    [Fact]
    public async Task ChangedWorkspaceBinding_UpdatesOnlyTheBindingVariablesThatDiffer()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").BindWorkspace(ProdWorkspace));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").BindWorkspace(Workspace(SubscriptionId, "rg-ml", "mlw-prod-2"))));

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Update, ChangeKind.Variable, WorkspaceBinding.WorkspaceVariable, "\"mlw-prod\"", "\"mlw-prod-2\""),
            (change.Action, change.Kind, change.Target, change.Before, change.After));
    }

    [Fact]
    public async Task ExistingSecret_WithoutUpdateSecrets_IsNoChangeAndAnInfoNote()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("old")));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").WithSecret("token", SecretValue.FromValue("new"))));

        Assert.False(plan.HasChanges);
        var note = Assert.Single(plan.Notes);
        Assert.Equal((PlanNoteSeverity.Info, "prod"), (note.Severity, note.EnvironmentName));
        Assert.Contains("secret TOKEN exists", note.Message, StringComparison.Ordinal);
        Assert.Contains("update secrets", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExistingSecret_WithUpdateSecrets_IsAnUpdateWithRedactedValues()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("old")));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("new"))),
            new PlanOptions { UpdateSecrets = true });

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeAction.Update, ChangeKind.Secret, "TOKEN", SecretValue.Redacted, SecretValue.Redacted, true),
            (change.Action, change.Kind, change.Target, change.Before, change.After, change.IsSensitive));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public async Task UndeclaredSecret_IsANoteWithoutPrune_AndADeleteWithPrune()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithSecret("OLD_TOKEN", SecretValue.FromValue("x")));
        var definition = Repository(RepositoryName, Environment("prod"));

        var kept = await DiffAsync(github, definition);
        var pruned = await DiffAsync(github, definition, new PlanOptions { Prune = true });

        Assert.False(kept.HasChanges);
        Assert.Contains("secret OLD_TOKEN exists but is not declared", Assert.Single(kept.Notes).Message, StringComparison.Ordinal);
        var change = Assert.Single(pruned.Changes);
        Assert.Equal((ChangeAction.Delete, ChangeKind.Secret, "OLD_TOKEN", SecretValue.Redacted, (string?)null),
            (change.Action, change.Kind, change.Target, change.Before, change.After));
    }

    [Fact]
    public async Task ExistingReference_MissingOnGitHub_IsAWarningAndNoChange()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").WithSecret("MANAGED_ELSEWHERE", SecretValue.Existing)),
            new PlanOptions { UpdateSecrets = true });

        Assert.False(plan.HasChanges);
        var note = Assert.Single(plan.Notes);
        Assert.Equal(PlanNoteSeverity.Warning, note.Severity);
        Assert.Contains("MANAGED_ELSEWHERE", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExistingReference_PresentOnGitHub_IsNeitherChangeNorNote()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithSecret("MANAGED_ELSEWHERE", SecretValue.FromValue("x")));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod").WithSecret("MANAGED_ELSEWHERE", SecretValue.Existing)),
            new PlanOptions { UpdateSecrets = true });

        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public async Task UndeclaredEnvironment_IsANoteWithoutPrune_AndADeleteWithPrune()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        github.Seed(repository, Environment("sandbox").WithWaitTimer(TimeSpan.FromMinutes(1)));
        var definition = Repository(RepositoryName, Environment("prod"));

        var kept = await DiffAsync(github, definition);
        var pruned = await DiffAsync(github, definition, new PlanOptions { Prune = true });

        Assert.False(kept.HasChanges);
        var note = Assert.Single(kept.Notes);
        Assert.Equal((PlanNoteSeverity.Info, "sandbox"), (note.Severity, note.EnvironmentName));
        var change = Assert.Single(pruned.Changes);
        Assert.Equal((ChangeAction.Delete, ChangeKind.Environment, "sandbox", (string?)null), (change.Action, change.Kind, change.EnvironmentName, change.Target));
        Assert.Contains("wait timer 1 min", change.Before, StringComparison.Ordinal);
        Assert.Null(change.After);
        Assert.Equal("Plan: 0 to add, 0 to change, 1 to destroy.", pruned.Summary);
    }

    [Fact]
    public async Task EnvironmentNames_MatchWithoutCase_AndGitHubSpellingIsUsed()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));

        var plan = await DiffAsync(github, Repository(RepositoryName,
            Environment("Prod").WithWaitTimer(TimeSpan.FromMinutes(10)).WithVariable("MODEL", "credit")));

        Assert.DoesNotContain(plan.Changes, c => c.Kind == ChangeKind.Environment);
        Assert.Equal(
            [
                (ChangeAction.Update, ChangeKind.WaitTimer, "prod", null),
                (ChangeAction.Create, ChangeKind.Variable, "prod", "MODEL"),
            ],
            Shape(plan));
        var note = Assert.Single(plan.Notes);
        Assert.Equal((PlanNoteSeverity.Warning, "prod"), (note.Severity, note.EnvironmentName));
        Assert.Contains("\"Prod\"", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadState_ReadsContentsOnlyOfDeclaredEnvironments()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main").WithVariable("A", "1"));
        github.Seed(repository, Environment("sandbox").AllowBranches("main").WithVariable("B", "2"));
        github.ClearCalls();

        var state = await Planner(github).ReadStateAsync(Repository(RepositoryName, Environment("prod")));

        Assert.True(state.FindEnvironment("PROD")!.ContentsRead);
        Assert.False(state.FindEnvironment("sandbox")!.ContentsRead);
        Assert.DoesNotContain(github.Calls, c => c.Environment == "sandbox");
        Assert.All(github.Calls, c => Assert.False(c.IsWrite));
        Assert.Equal(["repos/get-all-environments", "repos/list-deployment-branch-policies", "actions/list-environment-secrets", "actions/list-environment-variables"],
            github.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task ObservedState_ConvertsToTheDefinitionModel()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").RequireReviewers(User("ana")).PreventSelfReview().PreventAdminsBypass()
            .AllowBranches("main").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.FromValue("x")));
        var definition = Repository(RepositoryName, Environment("prod"));

        var state = await Planner(github).ReadStateAsync(definition);

        var expected = Repository(RepositoryName, Environment("prod").RequireReviewers(User("ana")).PreventSelfReview().PreventAdminsBypass()
            .AllowBranches("main").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.Existing));
        Assert.Equal(expected, state.ToDefinition());
    }

    [Fact]
    public async Task Diff_RejectsStateOfAnotherRepository()
    {
        var (github, _) = NewGitHub();
        github.AddRepository("octo-org/other");
        var state = await Planner(github).ReadStateAsync(Repository("octo-org/other", Environment("prod")));

        var error = Assert.Throws<ArgumentException>(() => EnvironmentPlanner.Diff(Repository(RepositoryName, Environment("prod")), state));
        Assert.Equal("observed", error.ParamName);
    }

    [Fact]
    public async Task PlanAsync_MatchesThePureDiff()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithVariable("MODEL", "old").WithSecret("OLD", SecretValue.FromValue("x")));
        github.Seed(repository, Environment("sandbox"));
        var definition = Repository(RepositoryName,
            Environment("prod").WithWaitTimer(TimeSpan.FromMinutes(3)).WithVariable("MODEL", "new"),
            Environment("dev").AllowBranches("dev/*"));
        var options = new PlanOptions { Prune = true };

        var viaPlanner = await Planner(github).PlanAsync(definition, options);
        var viaDiff = await DiffAsync(github, definition, options);

        Assert.Equal(viaDiff.ToJson(), viaPlanner.ToJson());
        Assert.Same(options, viaPlanner.Options);
        Assert.Equal("Plan: 2 to add, 2 to change, 2 to destroy.", viaPlanner.Summary);
    }

    [Fact]
    public async Task PlanAsync_InvalidDefinition_ThrowsBeforeAnyCall()
    {
        var (github, _) = NewGitHub();
        var tooMany = Enumerable.Range(1, 7).Select(i => User("user" + i)).ToArray();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").RequireReviewers(tooMany))));

        Assert.Contains(error.Result.Errors, e => e.Rule == ValidationRules.ReviewersLimit);
        Assert.Empty(github.Calls);
    }
}
