using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests;

public class InMemoryGitHubEnvironmentTests
{
    private readonly InMemoryGitHub _github = new();
    private readonly RepositoryId _repository;

    public InMemoryGitHubEnvironmentTests() => _repository = _github.AddRepository("octo-org/credit-risk");

    private static async Task<RemoteServiceException> ExpectStatusAsync(int status, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RemoteServiceException>(call);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("GitHub", error.Service);
        return error;
    }

    private Task<GitHubEnvironment> PutAsync(string name, GitHubEnvironmentSettings? settings = null) =>
        _github.CreateOrUpdateEnvironmentAsync(_repository, name, settings ?? new GitHubEnvironmentSettings());

    [Fact]
    public async Task EnvironmentNames_CompareWithoutCase_AndKeepTheirCreationCase()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var github = new InMemoryGitHub(time);
        var repository = github.AddRepository("octo-org/credit-risk");
        var created = await github.CreateOrUpdateEnvironmentAsync(repository, "Prod", new GitHubEnvironmentSettings());
        time.Advance(TimeSpan.FromHours(1));

        var updated = await github.CreateOrUpdateEnvironmentAsync(repository, "PROD", new GitHubEnvironmentSettings { WaitTimer = TimeSpan.FromMinutes(5) });

        Assert.Equal((created.Id, "Prod"), (updated.Id, updated.Name));
        Assert.Equal((created.CreatedAt, created.CreatedAt.AddHours(1)), (updated.CreatedAt, updated.UpdatedAt));
        var listed = Assert.Single(await github.ListEnvironmentsAsync(repository));
        Assert.Equal(("Prod", TimeSpan.FromMinutes(5)), (listed.Name, listed.WaitTimer));
        Assert.Equal("Prod", (await github.GetEnvironmentAsync(repository, "prod"))!.Name);
        Assert.Null(await github.GetEnvironmentAsync(repository, "staging"));
        await github.SetEnvironmentSecretAsync(repository, "pRoD", "TOKEN", "x");
        Assert.Single(await github.ListEnvironmentSecretsAsync(repository, "prod"));
    }

    [Fact]
    public async Task UnknownRepository_Answers404()
    {
        var unknown = RepositoryId.Parse("octo-org/missing");

        var list = await ExpectStatusAsync(404, () => _github.ListEnvironmentsAsync(unknown));
        await ExpectStatusAsync(404, () => _github.CreateOrUpdateEnvironmentAsync(unknown, "prod", new GitHubEnvironmentSettings()));
        await ExpectStatusAsync(404, () => _github.ResolveReviewerAsync(unknown, User("ana")));
        await ExpectStatusAsync(404, () => _github.ListEnvironmentVariablesAsync(_repository, "no-such-environment"));

        Assert.Equal("repos/get-all-environments", list.Operation);
    }

    [Fact]
    public async Task ReviewerLimitsAndIds_AreEnforced_AndARejectedPutCreatesNothing()
    {
        var ids = Enumerable.Range(1, 7).Select(i => _github.AddUser("user" + i)).ToList();
        var seven = ids.Select(id => new GitHubReviewerReference(ReviewerKind.User, id)).ToList();

        await ExpectStatusAsync(422, () => PutAsync("prod", new GitHubEnvironmentSettings { Reviewers = seven }));
        await ExpectStatusAsync(422, () => PutAsync("prod", new GitHubEnvironmentSettings { Reviewers = [new GitHubReviewerReference(ReviewerKind.User, 999_999)] }));
        await ExpectStatusAsync(422, () => PutAsync("prod", new GitHubEnvironmentSettings { Reviewers = [new GitHubReviewerReference(ReviewerKind.Team, ids[0])] }));
        await ExpectStatusAsync(422, () => PutAsync("prod", new GitHubEnvironmentSettings { PreventSelfReview = true }));
        Assert.Empty(await _github.ListEnvironmentsAsync(_repository));

        var six = await PutAsync("prod", new GitHubEnvironmentSettings { Reviewers = seven.Take(6).ToList() });
        Assert.Equal(["user1", "user2", "user3", "user4", "user5", "user6"], six.Reviewers.Select(r => r.Name));
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(43_201 * 60)]
    [InlineData(90)]
    public async Task WaitTimerOutOfRangeOrNotWholeMinutes_Answers422(int seconds)
    {
        await ExpectStatusAsync(422, () => PutAsync("prod", new GitHubEnvironmentSettings { WaitTimer = TimeSpan.FromSeconds(seconds) }));

        Assert.Empty(await _github.ListEnvironmentsAsync(_repository));
    }

    [Fact]
    public async Task Policies_NeedTheCustomMode_DuplicatesReturnTheExistingOne_AndLeavingTheModeDropsThem()
    {
        await PutAsync("prod");
        await ExpectStatusAsync(404, () => _github.CreateDeploymentBranchPolicyAsync(_repository, "prod", Branch("main")));

        await PutAsync("prod", new GitHubEnvironmentSettings { BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns });
        var first = await _github.CreateDeploymentBranchPolicyAsync(_repository, "prod", Branch("main"));
        var again = await _github.CreateDeploymentBranchPolicyAsync(_repository, "prod", Branch("main"));
        var tag = await _github.CreateDeploymentBranchPolicyAsync(_repository, "prod", Tag("main"));
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, tag.Id);
        Assert.Equal(["branch:main", "tag:main"], (await _github.ListDeploymentBranchPoliciesAsync(_repository, "prod")).Select(p => p.ToPattern().ToString()));

        await PutAsync("prod", new GitHubEnvironmentSettings { BranchPolicy = DeploymentBranchPolicyKind.ProtectedBranches });
        await PutAsync("prod", new GitHubEnvironmentSettings { BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns });
        Assert.Empty(await _github.ListDeploymentBranchPoliciesAsync(_repository, "prod"));
        await ExpectStatusAsync(404, () => _github.DeleteDeploymentBranchPolicyAsync(_repository, "prod", first.Id));
    }

    [Fact]
    public async Task DeletingAnEnvironment_RemovesIt_AndDeletingAgainAnswers404()
    {
        await PutAsync("prod");

        await _github.DeleteEnvironmentAsync(_repository, "PROD");

        Assert.Empty(await _github.ListEnvironmentsAsync(_repository));
        await ExpectStatusAsync(404, () => _github.DeleteEnvironmentAsync(_repository, "prod"));
    }

    [Fact]
    public async Task ResolveReviewer_SaysNotFoundNoAccessOrResolved()
    {
        var anaId = _github.AddUser("ana");
        _github.GrantAccess(_repository, Team("ml-leads"));
        var teamId = _github.AddTeam("ml-leads");
        _github.GrantAccess(_repository, User("ana"));
        var outsiderId = _github.AddUser("outsider");

        var resolved = await _github.ResolveReviewerAsync(_repository, User("ANA"));
        var team = await _github.ResolveReviewerAsync(_repository, Team("ml-leads"));
        var noAccess = await _github.ResolveReviewerAsync(_repository, User("outsider"));
        var notFound = await _github.ResolveReviewerAsync(_repository, Team("ghosts"));

        Assert.Equal((true, true, (long?)anaId), (resolved.Exists, resolved.CanReview, resolved.Id));
        Assert.Equal((true, (long?)teamId), (team.CanReview, team.Id));
        Assert.Equal((true, false, (long?)outsiderId), (noAccess.Exists, noAccess.CanReview, noAccess.Id));
        Assert.Contains("no access", noAccess.Reason, StringComparison.Ordinal);
        Assert.Equal((false, false, (long?)null), (notFound.Exists, notFound.CanReview, notFound.Id));
        Assert.Contains("ghosts", notFound.Reason, StringComparison.Ordinal);
        Assert.All(_github.Calls, c => Assert.False(c.IsWrite));
    }

    [Fact]
    public void Seed_ThenSnapshot_GivesTheSeededState_WithSecretsAsExisting()
    {
        _github.Seed(_repository, Environment("prod")
            .RequireReviewers(User("ana"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main")
            .AllowTags("v*")
            .WithVariable("model", "credit")
            .WithSecret("token", SecretValue.FromValue("x")));
        _github.Seed(_repository, Environment("dev").AllowProtectedBranchesOnly());

        var snapshot = _github.Snapshot(_repository);

        var expected = Repository(_repository,
            Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(30)).PreventSelfReview().PreventAdminsBypass()
                .AllowBranches("main").AllowTags("v*").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.Existing),
            Environment("dev").AllowProtectedBranchesOnly());
        Assert.Equal(expected, snapshot);
        Assert.Equal(["MODEL"], snapshot.Environments[0].Variables.Select(v => v.Name));
        Assert.Empty(_github.Calls);
    }

    [Fact]
    public async Task Seed_AddsAnUnknownRepository_AndLogsNoCall()
    {
        var github = new InMemoryGitHub();
        var repository = RepositoryId.Parse("octo-org/new-repo");

        github.Seed(repository, Environment("dev").WithVariable("MODEL", "m"));

        Assert.Empty(github.Calls);
        var environments = await github.ListEnvironmentsAsync(repository);
        Assert.Equal("dev", Assert.Single(environments).Name);
        Assert.Equal("MODEL=m", Assert.Single(github.Snapshot(repository).Environments[0].Variables).ToString());
    }
}
