using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>The planner and applier depend only on interfaces: mocks can drive them.</summary>
public class MockedServicesTests
{
    private static readonly RepositoryId Repo = RepositoryId.Parse(RepositoryName);

    private readonly IGitHubEnvironmentReader _environments = Substitute.For<IGitHubEnvironmentReader>();
    private readonly IGitHubSecretReader _secrets = Substitute.For<IGitHubSecretReader>();
    private readonly IGitHubVariableReader _variables = Substitute.For<IGitHubVariableReader>();

    private EnvironmentPlanner Planner() => new(_environments, _secrets, _variables);

    [Fact]
    public async Task MockedReaders_DriveThePlanner()
    {
        var ana = MlEnvironmentsModelFactory.GitHubReviewer(ReviewerKind.User, 7, "ana");
        _environments.ListEnvironmentsAsync(Repo, Arg.Any<CancellationToken>()).Returns(
        [
            MlEnvironmentsModelFactory.GitHubEnvironment(1, "prod", reviewers: [ana], branchPolicy: DeploymentBranchPolicyKind.CustomPatterns),
            MlEnvironmentsModelFactory.GitHubEnvironment(2, "sandbox", branchPolicy: DeploymentBranchPolicyKind.CustomPatterns),
        ]);
        _environments.ListDeploymentBranchPoliciesAsync(Repo, "prod", Arg.Any<CancellationToken>())
            .Returns([MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(11, "main")]);
        _secrets.ListEnvironmentSecretsAsync(Repo, "prod", Arg.Any<CancellationToken>())
            .Returns([MlEnvironmentsModelFactory.GitHubSecret("TOKEN")]);
        _variables.ListEnvironmentVariablesAsync(Repo, "prod", Arg.Any<CancellationToken>())
            .Returns([MlEnvironmentsModelFactory.GitHubVariable("MODEL", "old")]);

        var plan = await Planner().PlanAsync(Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana")).AllowBranches("main").WithWaitTimer(TimeSpan.FromMinutes(5))
                .WithVariable("MODEL", "new").WithSecret("TOKEN", SecretValue.FromValue("x"))));

        Assert.Equal(
            [
                (ChangeAction.Update, ChangeKind.WaitTimer, "prod", null),
                (ChangeAction.Update, ChangeKind.Variable, "prod", "MODEL"),
            ],
            Shape(plan));
        Assert.Equal(2, plan.Notes.Length);
        await _environments.Received(1).ListEnvironmentsAsync(Repo, Arg.Any<CancellationToken>());
        await _environments.DidNotReceive().ListDeploymentBranchPoliciesAsync(Repo, "sandbox", Arg.Any<CancellationToken>());
        await _secrets.DidNotReceive().ListEnvironmentSecretsAsync(Repo, "sandbox", Arg.Any<CancellationToken>());
        await _variables.DidNotReceive().ListEnvironmentVariablesAsync(Repo, "sandbox", Arg.Any<CancellationToken>());
        await _environments.DidNotReceive().GetEnvironmentAsync(Arg.Any<RepositoryId>(), Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ReaderFailure_PropagatesFromThePlanner()
    {
        _environments.ListEnvironmentsAsync(Repo, Arg.Any<CancellationToken>())
            .ThrowsAsync(new RemoteServiceException("GitHub", "repos/get-all-environments", 403, "Forbidden", requestId: "req-1"));

        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => Planner().PlanAsync(Repository(RepositoryName, Environment("prod"))));

        Assert.Equal((403, "req-1"), (error.StatusCode, error.RequestId));
    }

    [Fact]
    public async Task MockedWriters_ReceiveTheResolvedReviewerIds()
    {
        _environments.ListEnvironmentsAsync(Repo, Arg.Any<CancellationToken>()).Returns([]);
        var plan = await Planner().PlanAsync(Repository(RepositoryName,
            Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(5))));
        var writer = Substitute.For<IGitHubEnvironmentWriter>();
        var identities = Substitute.For<IGitHubIdentityResolver>();
        identities.ResolveReviewerAsync(Repo, Arg.Any<Reviewer>(), Arg.Any<CancellationToken>())
            .Returns(call => ReviewerResolution.Resolved(call.Arg<Reviewer>(), call.Arg<Reviewer>().Kind == ReviewerKind.User ? 7 : 42));
        GitHubEnvironmentSettings? sent = null;
        writer.CreateOrUpdateEnvironmentAsync(Repo, "prod", Arg.Do<GitHubEnvironmentSettings>(s => sent = s), Arg.Any<CancellationToken>())
            .Returns(MlEnvironmentsModelFactory.GitHubEnvironment(1, "prod"));
        var applier = new EnvironmentApplier(writer, Substitute.For<IGitHubSecretWriter>(), Substitute.For<IGitHubVariableWriter>(), identities);

        var result = await applier.ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.NotNull(sent);
        Assert.Equal([new GitHubReviewerReference(ReviewerKind.User, 7), new GitHubReviewerReference(ReviewerKind.Team, 42)], sent.Reviewers);
        Assert.Equal((TimeSpan.FromMinutes(5), false, true, DeploymentBranchPolicyKind.AllBranches),
            (sent.WaitTimer, sent.PreventSelfReview, sent.CanAdminsBypass, sent.BranchPolicy));
        await writer.Received(1).CreateOrUpdateEnvironmentAsync(Repo, "prod", Arg.Any<GitHubEnvironmentSettings>(), Arg.Any<CancellationToken>());
    }
}
