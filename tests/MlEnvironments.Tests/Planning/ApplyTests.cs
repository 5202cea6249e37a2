using Microsoft.Extensions.Configuration;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

public class ApplyTests
{
    private const string CreateOrUpdateEnvironment = "repos/create-or-update-environment";

    [Fact]
    public async Task Apply_FromNothing_ReachesTheDeclaredState_AndSecondPlanHasNoChanges()
    {
        var (github, repository) = NewGitHub();
        var definition = Repository(RepositoryName,
            Environment("dev").AllowBranches("dev/*").WithVariable("MODEL", "credit"),
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .PreventAdminsBypass()
                .AllowBranches("main")
                .AllowTags("v*")
                .BindWorkspace(ProdWorkspace)
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.FromValue("t0ken")));
        var planner = Planner(github);

        var plan = await planner.PlanAsync(definition);
        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(plan.Changes.Length, result.AppliedCount);
        Assert.Equal($"Apply complete: {plan.Changes.Length} applied.", result.Summary);
        var expected = Repository(RepositoryName,
            Environment("dev").AllowBranches("dev/*").WithVariable("MODEL", "credit"),
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .PreventAdminsBypass()
                .AllowBranches("main")
                .AllowTags("v*")
                .WithVariable(WorkspaceBinding.SubscriptionVariable, SubscriptionId)
                .WithVariable(WorkspaceBinding.ResourceGroupVariable, "rg-ml")
                .WithVariable(WorkspaceBinding.WorkspaceVariable, "mlw-prod")
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.Existing));
        Assert.Equal(expected, github.Snapshot(repository));
        var second = await planner.PlanAsync(definition);
        Assert.False(second.HasChanges, second.ToText());
    }

    [Fact]
    public async Task Apply_WritesEnvironmentSettingsBeforeItsContents_AndDeletesEnvironmentsLast()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("sandbox").WithVariable("X", "1"));
        github.Seed(repository, Environment("staging").WithVariable("OLD", "1"));
        var definition = Repository(RepositoryName,
            Environment("staging").RequireReviewers(User("ana")).AllowBranches("main").WithVariable("NEW", "2").WithSecret("S", SecretValue.FromValue("v")),
            Environment("prod").AllowTags("v*").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.FromValue("v")));
        var plan = await Planner(github).PlanAsync(definition, new PlanOptions { Prune = true });
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        var writes = github.Writes;
        foreach (var environment in new[] { "staging", "prod" })
        {
            var own = writes.Where(w => w.Environment == environment).ToList();
            Assert.Equal(CreateOrUpdateEnvironment, own[0].Operation);
            Assert.Single(own, w => w.Operation == CreateOrUpdateEnvironment);
            Assert.Equal(
                ["repos/create-deployment-branch-policy", "actions/create-environment-variable", "actions/create-or-update-environment-secret"],
                own.Skip(1).Select(w => w.Operation).Where(o => !o.Contains("delete", StringComparison.Ordinal)));
        }

        Assert.Equal(("repos/delete-an-environment", "sandbox"), (writes[^1].Operation, writes[^1].Environment));
        Assert.Single(writes, w => w.Operation == "repos/delete-an-environment");
        Assert.Equal(["staging", "prod"], github.Snapshot(repository).Environments.Select(e => e.Name));
    }

    [Fact]
    public async Task SettingsChangesOfOneEnvironment_AreOneCreateOrUpdateCall()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main"));
        var definition = Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(15)).PreventSelfReview().PreventAdminsBypass().AllowProtectedBranchesOnly());
        var plan = await Planner(github).PlanAsync(definition);
        Assert.Equal(5, plan.UpdateCount);
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        var write = Assert.Single(github.Writes);
        Assert.Equal((CreateOrUpdateEnvironment, "prod"), (write.Operation, write.Environment));
        var prod = Assert.Single(github.Snapshot(repository).Environments);
        Assert.Equal(definition.Environments[0], prod);
    }

    [Fact]
    public async Task FailedSettingsWrite_FailsEveryChangeItCarries()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(15)).PreventSelfReview().WithVariable("MODEL", "x")));
        github.Faults.FailOnWrite(1);

        var result = await Applier(github).ApplyAsync(plan);

        Assert.Equal([ChangeOutcome.Failed, ChangeOutcome.Failed, ChangeOutcome.Failed, ChangeOutcome.Skipped], result.Results.Select(r => r.Outcome));
        Assert.Single(result.Results.Where(r => r.Error is not null).Select(r => r.Error).Distinct());
        Assert.Single(github.Writes);
        Assert.StartsWith("Apply stopped: 0 applied, 3 failed, 1 skipped.", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsetEnvironmentVariableReference_FailsBeforeAnyWrite()
    {
        var (github, _) = NewGitHub();
        var unset = "MLENV_TEST_UNSET_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName,
            Environment("prod").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.FromEnvironmentVariable(unset))));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Applier(github).ApplyAsync(plan));

        var violation = Assert.Single(error.Result.Errors);
        Assert.Equal((ValidationRules.SecretReferenceUnresolved, "environments[prod].secrets[TOKEN]", unset), (violation.Rule, violation.Path, violation.OffendingValue));
        Assert.Contains(unset, violation.Message, StringComparison.Ordinal);
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task ConfigurationReference_IsResolvedThroughTheResolver()
    {
        var (github, repository) = NewGitHub();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Secrets:Token"] = "from-config" }).Build();
        var definition = Repository(RepositoryName,
            Environment("prod").WithSecret("TOKEN", SecretValue.FromConfiguration("Secrets:Token")).WithSecret("MISSING", SecretValue.FromConfiguration("Secrets:Missing")));
        var plan = await Planner(github).PlanAsync(definition);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Applier(github, resolver: new DefaultSecretValueResolver(configuration)).ApplyAsync(plan));
        Assert.Equal("Secrets:Missing", Assert.Single(error.Result.Errors).OffendingValue);
        Assert.Empty(github.Writes);

        var result = await Applier(github, resolver: new DefaultSecretValueResolver(configuration)).ApplyAsync(
            await Planner(github).PlanAsync(definition.UpdateEnvironment("prod", e => e.WithoutSecret("MISSING"))));
        Assert.True(result.Succeeded, result.ToString());
        Assert.True(github.GetSecretValue(repository, "prod", "TOKEN")!.TryRevealLiteral(out var value));
        Assert.Equal("from-config", value);
    }

    [Fact]
    public async Task UnknownReviewer_FailsBeforeAnyWrite()
    {
        var (github, _) = NewGitHub();
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana"), User("ghost")).WithVariable("MODEL", "credit")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Applier(github).ApplyAsync(plan));

        var violation = Assert.Single(error.Result.Errors);
        Assert.Equal((ValidationRules.ReviewerCannotReview, "environments[prod].reviewers[1]", "user:ghost"), (violation.Rule, violation.Path, violation.OffendingValue));
        Assert.Contains("no user 'ghost'", violation.Message, StringComparison.Ordinal);
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task ReviewerWithoutAccess_FailsBeforeAnyWrite_ReportingEveryReviewer()
    {
        var (github, _) = NewGitHub();
        github.AddUser("outsider");
        github.AddTeam("contractors");
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("outsider"), Team("contractors"), User("ana"))));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Applier(github).ApplyAsync(plan));

        Assert.Equal(["user:outsider", "team:contractors"], error.Result.Errors.Select(e => e.OffendingValue));
        Assert.All(error.Result.Errors, e => Assert.Equal(ValidationRules.ReviewerCannotReview, e.Rule));
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task ReviewersAreNotResolved_WhenSettingsDoNotChange()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").RequireReviewers(User("ana")));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").RequireReviewers(User("ana")).WithVariable("MODEL", "credit")));
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(["actions/create-environment-variable"], github.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task VariableCreateAnswering409_FallsBackToUpdate()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "credit")));
        await github.CreateEnvironmentVariableAsync(repository, "prod", "MODEL", "created-meanwhile");
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(["actions/create-environment-variable", "actions/update-environment-variable"], github.Writes.Select(w => w.Operation));
        Assert.Equal("credit", (await github.ListEnvironmentVariablesAsync(repository, "prod")).Single().Value);
    }

    [Fact]
    public async Task VariableUpdateAnswering404_FallsBackToCreate()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithVariable("MODEL", "old"));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("MODEL", "new")));
        await github.DeleteEnvironmentVariableAsync(repository, "prod", "MODEL");

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("new", (await github.ListEnvironmentVariablesAsync(repository, "prod")).Single().Value);
    }

    [Fact]
    public async Task DeletesAnswering404_CountAsApplied()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").AllowBranches("main", "legacy/*").WithVariable("OLD", "1").WithSecret("OLD_TOKEN", SecretValue.FromValue("x")));
        github.Seed(repository, Environment("sandbox"));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").AllowBranches("main")), new PlanOptions { Prune = true });
        Assert.Equal(4, plan.DeleteCount);
        // Someone else deletes everything between plan and apply.
        var legacy = (await github.ListDeploymentBranchPoliciesAsync(repository, "prod")).Single(p => p.Name == "legacy/*");
        await github.DeleteDeploymentBranchPolicyAsync(repository, "prod", legacy.Id);
        await github.DeleteEnvironmentVariableAsync(repository, "prod", "OLD");
        await github.DeleteEnvironmentSecretAsync(repository, "prod", "OLD_TOKEN");
        await github.DeleteEnvironmentAsync(repository, "sandbox");
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(4, result.AppliedCount);
        Assert.Equal(4, github.Writes.Count);
        Assert.False((await Planner(github).PlanAsync(plan.Desired, new PlanOptions { Prune = true })).HasChanges);
    }

    [Fact]
    public async Task CaseMismatchedEnvironment_IsUpdatedUnderGitHubSpelling()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("Prod").WithWaitTimer(TimeSpan.FromMinutes(5)).WithVariable("MODEL", "x")));

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        var environment = Assert.Single(github.Snapshot(repository).Environments);
        Assert.Equal(("prod", TimeSpan.FromMinutes(5)), (environment.Name, environment.WaitTimer));
        Assert.All(github.Writes, w => Assert.Equal("prod", w.Environment));
    }

    [Fact]
    public async Task AWriteThatTimesOut_IsAFailedChange_NotACancelledApply()
    {
        var (github, _) = NewGitHub();
        var definition = Repository(RepositoryName, Environment("dev").WithVariable("A", "1").WithVariable("B", "2"));
        var plan = await Planner(github).PlanAsync(definition);
        github.Faults.FailWhen(c => c.Operation == "actions/create-environment-variable",
            _ => new TaskCanceledException("The request timed out."));

        var result = await Applier(github).ApplyAsync(plan);

        Assert.Equal(1, result.FailedCount);
        Assert.IsType<TaskCanceledException>(Assert.Single(result.Results, r => r.Outcome == ChangeOutcome.Failed).Error);
        Assert.True(result.AppliedCount > 0);
    }
}
