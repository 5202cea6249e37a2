using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>GitHub's plan gate (private repositories on Free, Pro and Team), through the real client over HTTP against the emulator.</summary>
public class PlanGateOverHttpTests
{
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;

    private static RepositoryDefinition Definition() => Repository(Repo,
        Environment("dev").WithVariable("MODEL_NAME", "credit-risk"),
        Environment("staging").RequireReviewers(Team("ml-leads")).AllowBranches("main").WithVariable("MODEL_NAME", "credit-risk"),
        Environment("Prod")
            .RequireReviewers(User("ana"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue("{\"clientSecret\":\"gate\"}")));

    private static async Task<(EmulatedGitHub GitHub, ServiceProvider Services)> StartAsync(GitHubRepositoryVisibility visibility, GitHubPlan? plan, bool planVisible)
    {
        var github = await EmulatedGitHub.StartAsync();
        github.State.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        github.State.ConfigureRepository(Repo, visibility: visibility);
        github.State.ConfigureOwner(Repo.Owner, isOrganization: true, plan: plan, planVisible: planVisible);
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatedGitHub.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = github.Emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        return (github, services.BuildServiceProvider());
    }

    [Theory]
    [InlineData(GitHubPlan.Team)]
    [InlineData(GitHubPlan.Pro)]
    public async Task PrivateRepository_OnAVisibleTeamOrProPlan_FailsThePlan_NamingTheSettingsAndThePlanNeeded_AndWritesNothing(GitHubPlan plan)
    {
        var (github, services) = await StartAsync(GitHubRepositoryVisibility.Private, plan, planVisible: true);
        await using var _ = github;
        await using var __ = services;

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Definition()));

        var gate = error.Result.Errors.Where(e => e.Rule == ValidationRules.GitHubPlanFeature).ToList();
        Assert.Equal(["environments[staging]", "environments[Prod]"], gate.Select(e => e.Path));
        Assert.Contains("required reviewers, wait timer, prevent self-review", gate[1].Message);
        Assert.Contains("GitHub Enterprise", gate[1].Message);
        Assert.Contains($"GitHub {plan}", gate[1].Message);
        Assert.All(github.Emulator.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "orgs/get");
        Assert.Empty(github.State.Snapshot(Repo).Environments);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task PrivateRepository_OnGitHubFree_FailsThePlan_BecauseItHasNoEnvironments()
    {
        var (github, services) = await StartAsync(GitHubRepositoryVisibility.Private, GitHubPlan.Free, planVisible: true);
        await using var _ = github;
        await using var __ = services;

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Repository(Repo, Environment("dev"))));

        var gate = Assert.Single(error.Result.Errors);
        Assert.Equal(ValidationRules.GitHubPlanFeature, gate.Rule);
        Assert.Contains("GitHub Free", gate.Message);
        Assert.Contains("no environments", gate.Message);
        Assert.All(github.Emulator.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task PrivateRepository_OnEnterprise_AndPublicRepository_OnTeam_PlanAndApply()
    {
        foreach (var (visibility, plan) in new[] { (GitHubRepositoryVisibility.Private, GitHubPlan.Enterprise), (GitHubRepositoryVisibility.Public, GitHubPlan.Team) })
        {
            var (github, services) = await StartAsync(visibility, plan, planVisible: true);
            await using var _ = github;
            await using var __ = services;

            var planned = await services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Definition());
            var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(planned);

            Assert.True(result.Succeeded, result.ToString());
            Assert.DoesNotContain(planned.Notes, n => n.Severity == PlanNoteSeverity.Warning);

            // A public repository needs no plan read.
            Assert.Equal(visibility == GitHubRepositoryVisibility.Private, github.Emulator.Requests.Any(r => r.OperationId == "orgs/get"));
            github.AssertEveryRequestConformed();
        }
    }

    [Fact]
    public async Task PrivateRepository_WithAHiddenTeamPlan_Warns_ThenApplyStopsAtTheFirstProtectedWrite_AndWritesNothingElse()
    {
        var (github, services) = await StartAsync(GitHubRepositoryVisibility.Private, GitHubPlan.Team, planVisible: false);
        await using var _ = github;
        await using var __ = services;

        var plan = await services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Definition());
        var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);

        var warning = Assert.Single(plan.Notes, n => n.Severity == PlanNoteSeverity.Warning);
        Assert.Contains("cannot see Octo-Org's GitHub plan", warning.Message);
        Assert.Contains("'staging' (required reviewers)", warning.Message);
        Assert.Contains("writes these protected settings first", warning.Message);

        // The protected environments' settings come first, before dev and before any variable or secret.
        Assert.Equal("staging", plan.Changes[0].EnvironmentName);
        Assert.DoesNotContain(plan.Changes.TakeWhile(c => c.EnvironmentName != "dev"), c => c.Kind is ChangeKind.Variable or ChangeKind.Secret);

        Assert.False(result.Succeeded);
        var failed = Assert.Single(result.Results, r => r.Outcome == ChangeOutcome.Failed);
        Assert.Equal("staging", failed.Change.EnvironmentName);
        var remote = Assert.IsAssignableFrom<RemoteServiceException>(failed.Error);
        Assert.Equal(422, remote.StatusCode);
        Assert.Equal(0, result.AppliedCount);
        Assert.Empty(github.State.Snapshot(Repo).Environments);
        Assert.Single(github.Emulator.Requests, r => r.Method != "GET");
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task AHiddenTeamPlan_AndANewEnvironmentProtectedOnlyByACustomRule_IsDeletedAgain_WhenGitHubRefusesTheRule()
    {
        var (github, services) = await StartAsync(GitHubRepositoryVisibility.Internal, GitHubPlan.Team, planVisible: false);
        await using var _ = github;
        await using var __ = services;
        github.State.InstallProtectionRuleApp(Repo, 4242, "metrics-gate");
        var definition = Repository(Repo,
            Environment("dev").WithVariable("MODEL_NAME", "credit-risk"),
            Environment("prod").RequireProtectionRule(4242).WithVariable("MODEL_NAME", "credit-risk"));

        var plan = await services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition);
        var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);

        Assert.Contains(plan.Notes, n => n.Severity == PlanNoteSeverity.Warning && n.Message.Contains("'prod' (custom protection rules)", StringComparison.Ordinal));
        Assert.False(result.Succeeded);
        Assert.Equal(ChangeKind.ProtectionRule, Assert.Single(result.Results, r => r.Outcome == ChangeOutcome.Failed).Change.Kind);

        // prod was created to enable its rule, then deleted when GitHub refused the rule; dev was never written.
        Assert.Empty(github.State.Snapshot(Repo).Environments);
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "repos/delete-an-environment");
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task OwnerPlan_IsReadFromTheOrganization_OrFromTheAuthenticatedUser_AndIsUnknownOtherwise()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var client = new GitHubAccountClient(github.Connection);
        github.State.ConfigureOwner("visible-org", plan: GitHubPlan.Team);
        github.State.ConfigureOwner("hidden-org", plan: GitHubPlan.Team, planVisible: false);
        github.State.ConfigureOwner("ana", isOrganization: false, plan: GitHubPlan.Pro);
        github.State.ConfigureOwner("bob", isOrganization: false, plan: GitHubPlan.Free, planVisible: false);

        Assert.Equal(GitHubPlan.Team, await client.GetOwnerPlanAsync("visible-org"));
        Assert.Null(await client.GetOwnerPlanAsync("hidden-org"));
        Assert.Equal(GitHubPlan.Pro, await client.GetOwnerPlanAsync("ana"));
        Assert.Null(await client.GetOwnerPlanAsync("bob"));
        github.AssertEveryRequestConformed();
    }
}
