using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>With an identity resolver, reviewers are resolved while planning: a bad one fails the plan, before any write.</summary>
public class PlanTimeReviewerTests
{
    private static EnvironmentPlanner ResolvingPlanner(InMemoryGitHub github) => new(github, github, github, identities: github);

    [Fact]
    public async Task UnknownUserAndTeamWithoutAccess_FailThePlan_NamingEachReviewer()
    {
        var (github, repository) = NewGitHub();
        github.AddTeam("outsiders");
        var definition = Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana"), User("nobody-here"), Team("outsiders")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => ResolvingPlanner(github).PlanAsync(definition));

        Assert.Equal(
            [("environments[prod].reviewers[1]", "user:nobody-here"), ("environments[prod].reviewers[2]", "team:outsiders")],
            error.Result.Errors.Select(e => (e.Path, e.OffendingValue)));
        Assert.All(error.Result.Errors, e => Assert.Equal(ValidationRules.ReviewerCannotReview, e.Rule));
        Assert.Empty(github.Writes);
        Assert.Contains(github.Calls, c => c.Operation == "users/get-by-username");
    }

    [Fact]
    public async Task ReviewersGitHubAlreadyLists_AreNotResolvedAgain_AndTheApplierUsesThePlansIds()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").RequireReviewers(User("ana")));
        var definition = Repository(RepositoryName, Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")));
        github.ClearCalls();

        var plan = await ResolvingPlanner(github).PlanAsync(definition);
        var resolutions = github.Calls.Where(c => c.Operation is "users/get-by-username" or "teams/get-by-name").Select(c => c.Target).ToList();
        github.ClearCalls();
        var result = await Applier(github).ApplyAsync(plan);

        Assert.Equal(["team:ml-leads"], resolutions);
        Assert.True(result.Succeeded, result.ToString());
        Assert.DoesNotContain(github.Calls, c => c.Operation is "users/get-by-username" or "teams/get-by-name");
        Assert.Equal(["user:ana", "team:ml-leads"], github.Snapshot(repository).Environments[0].Reviewers.Select(r => r.ToString()));
    }

    [Fact]
    public async Task ANoChangePlan_ResolvesNobody()
    {
        var (github, repository) = NewGitHub();
        var environment = Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(5));
        github.Seed(repository, environment);
        github.ClearCalls();

        var plan = await ResolvingPlanner(github).PlanAsync(Repository(RepositoryName, environment));

        Assert.False(plan.HasChanges);
        Assert.DoesNotContain(github.Calls, c => c.Operation is "users/get-by-username" or "teams/get-by-name");
    }
}
