using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests;

public class SmokeTests
{
    [Fact]
    public async Task PlanApplyPlan_OnFakes_ConvergesToNoChanges()
    {
        var github = new InMemoryGitHub();
        var repo = github.AddRepository("octo-org/credit-risk");
        github.GrantAccess(repo, User("ana"));
        var definition = Repository("octo-org/credit-risk",
            Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(30)).PreventSelfReview()
                .AllowBranches("main").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-value")));
        var planner = new EnvironmentPlanner(github, github, github);
        var applier = new EnvironmentApplier(github, github, github, github);

        var plan = await planner.PlanAsync(definition);
        Assert.True(plan.HasChanges);
        var result = await applier.ApplyAsync(plan);
        Assert.True(result.Succeeded, result.ToString());
        var second = await planner.PlanAsync(definition);
        Assert.False(second.HasChanges, second.ToText());
        Assert.DoesNotContain("s3cr3t-value", plan.ToText() + plan.ToJson() + plan.ToMarkdown());
    }
}
