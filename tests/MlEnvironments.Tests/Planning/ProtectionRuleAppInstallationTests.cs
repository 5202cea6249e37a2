using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>
/// No half-write from a protection-rule App that is not installed: in a repository with environments the plan refuses
/// it; in one without any (GitHub lists Apps only through an existing environment) the apply checks right after its
/// first write, undoes that write and fails naming the App.
/// </summary>
public class ProtectionRuleAppInstallationTests
{
    private const long DeployGate = 42;

    private static EnvironmentPlanner RulePlanner(InMemoryGitHub github) =>
        new(github, github, github, identities: github, protectionRules: github);

    private static EnvironmentApplier RuleApplier(InMemoryGitHub github) =>
        new(github, github, github, github, protectionRules: github);

    [Fact]
    public async Task InARepositoryWithoutEnvironments_AMissingApp_LeavesNothingBehind_AndIsNamed()
    {
        var (github, repository) = NewGitHub();
        github.InstallProtectionRuleApp(repository, DeployGate, "deploy-gate");
        var definition = Repository(RepositoryName,
            Environment("staging").WithVariable("MODEL", "credit").RequireProtectionRule(DeployGate),
            Environment("prod").RequireReviewers(User("ana")).AllowBranches("main").RequireProtectionRule(999).WithVariable("MODEL", "credit"));

        var plan = await RulePlanner(github).PlanAsync(definition);
        github.ClearCalls();
        var result = await RuleApplier(github).ApplyAsync(plan);

        Assert.False(result.Succeeded);
        Assert.Empty(github.Snapshot(repository).Environments);
        Assert.Equal(["repos/create-or-update-environment", "repos/delete-an-environment"], github.Writes.Select(w => w.Operation));
        var failure = result.Results.First(c => c.Outcome == ChangeOutcome.Failed).Error;
        var invalid = Assert.IsType<ValidationFailedException>(failure);
        var error = Assert.Single(invalid.Result.Errors);
        Assert.Equal("environments[prod].protectionRules[0]", error.Path);
        Assert.Equal(ValidationRules.ProtectionRuleAppNotInstalled, error.Rule);
        Assert.Contains("999", error.Message);
        Assert.Contains("Install the App", error.Message);
        Assert.DoesNotContain(result.Results, r => r.Outcome == ChangeOutcome.Applied);
    }

    [Fact]
    public async Task InARepositoryWithoutEnvironments_InstalledApps_AreEnabledAsBefore()
    {
        var (github, repository) = NewGitHub();
        github.InstallProtectionRuleApp(repository, DeployGate, "deploy-gate");
        var definition = Repository(RepositoryName, Environment("prod").RequireProtectionRule(DeployGate).WithVariable("MODEL", "credit"));

        var result = await RuleApplier(github).ApplyAsync(await RulePlanner(github).PlanAsync(definition));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal<long>([DeployGate], Assert.Single(github.Snapshot(repository).Environments).ProtectionRuleAppIds);
    }

    [Fact]
    public async Task InARepositoryWithEnvironments_TheNewEnvironmentsMissingApp_FailsThePlan()
    {
        var (github, repository) = NewGitHub();
        github.InstallProtectionRuleApp(repository, DeployGate, "deploy-gate");
        github.Seed(repository, Environment("dev"));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            RulePlanner(github).PlanAsync(Repository(RepositoryName, Environment("dev"), Environment("prod").RequireProtectionRule(999))));

        Assert.Contains(error.Result.Errors, e => e.Rule == ValidationRules.ProtectionRuleAppNotInstalled && e.Message.Contains("999", StringComparison.Ordinal));
        Assert.Single(github.Snapshot(repository).Environments);
    }
}
