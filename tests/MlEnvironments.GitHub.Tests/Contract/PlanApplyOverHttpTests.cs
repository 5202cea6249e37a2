using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The foundation's plan/apply cycle, re-run through the real GitHub client over HTTP against the emulator.</summary>
public class PlanApplyOverHttpTests
{
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;

    private static RepositoryDefinition Definition() => Repository(Repo,
        Environment("dev")
            .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg-ml-dev", "mlw-dev"))
            .WithVariable("MODEL_NAME", "credit-risk"),
        Environment("staging")
            .RequireReviewers(Team("ml-leads"))
            .AllowBranches("main", "release/*")
            .AllowTags("v*")
            .WithVariable("MODEL_NAME", "credit-risk"),
        Environment("Prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowProtectedBranchesOnly()
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue("{\"clientSecret\":\"over-http\"}")));

    private static async Task<(EmulatedGitHub GitHub, ServiceProvider Services)> StartAsync(FakeTimeProvider? time = null, Action<GitHubOptions>? configure = null)
    {
        var github = await EmulatedGitHub.StartAsync(time: time);
        github.State.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatedGitHub.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = github.Emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return (github, services.BuildServiceProvider());
    }

    [Fact]
    public async Task PlanApplyPlan_ConvergesToNoChanges_AndEveryRequestConforms()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        var planner = services.GetRequiredService<IEnvironmentPlanner>();
        var applier = services.GetRequiredService<IEnvironmentApplier>();

        var plan = await planner.PlanAsync(Definition());
        var result = await applier.ApplyAsync(plan);
        var again = await planner.PlanAsync(Definition());

        Assert.True(result.Succeeded, result.ToString());
        Assert.False(again.HasChanges, again.ToText());
        Assert.Equal(Definition().Environments.Select(e => e.Name), github.State.Snapshot(Repo).Environments.Select(e => e.Name));
        Assert.True(github.State.GetSecretValue(Repo, "Prod", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var secret));
        Assert.Equal("{\"clientSecret\":\"over-http\"}", secret);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task ASecondNoChangePlan_IsAnsweredMostlyBy304s()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        var planner = services.GetRequiredService<IEnvironmentPlanner>();
        await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(await planner.PlanAsync(Definition()));
        await planner.PlanAsync(Definition());
        var counters = services.GetRequiredService<GitHubRequestCounters>();
        var before = (counters.Requests, counters.NotModified304);

        await planner.PlanAsync(Definition());

        var requests = counters.Requests - before.Requests;
        var notModified = counters.NotModified304 - before.NotModified304;
        Assert.True(requests > 0);
        Assert.Equal(requests, notModified);
    }

    [Fact]
    public async Task BadReviewersStopAtPlanTime_BeforeAnyWrite()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        github.State.AddTeam("outsiders");
        var definition = Repository(Repo, Environment("prod").RequireReviewers(User("ana"), User("nobody-at-all"), Team("outsiders")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition));

        Assert.Equal(["environments[prod].reviewers[1]", "environments[prod].reviewers[2]"], error.Result.Errors.Select(e => e.Path));
        Assert.DoesNotContain(github.Emulator.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task ASeventhReviewerAndARefusedName_StopBeforeAnyRequest()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        var definition = Repository(Repo, Environment("prod\"quoted").RequireReviewers(
            User("a1"), User("a2"), User("a3"), User("a4"), User("a5"), User("a6"), User("a7")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition));

        Assert.Equal([ValidationRules.EnvironmentNameCharacters, ValidationRules.ReviewersLimit], error.Result.Errors.Select(e => e.Rule).Order());
        Assert.Empty(github.Emulator.Requests);
    }

    [Fact]
    public async Task AnInterruptedApply_ConvergesWhenRunAgain()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        var planner = services.GetRequiredService<IEnvironmentPlanner>();
        var applier = services.GetRequiredService<IEnvironmentApplier>();
        github.State.Faults.FailWhen(c => c.Operation == "actions/create-environment-variable" && c.Environment == "staging",
            c => new RemoteServiceException("GitHub", c.Operation, 422, "Injected refusal"));

        var first = await applier.ApplyAsync(await planner.PlanAsync(Definition()));
        var second = await applier.ApplyAsync(await planner.PlanAsync(Definition()));
        var third = await planner.PlanAsync(Definition());

        Assert.Equal(1, first.FailedCount);
        Assert.True(first.SkippedCount > 0);
        Assert.True(second.Succeeded, second.ToString());
        Assert.False(third.HasChanges, third.ToText());
    }

    [Fact]
    public async Task ARateLimitStorm_IsSurvived_WithEveryChangeAppliedExactlyOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (github, services) = await StartAsync(time, o =>
        {
            o.MaxRetryDelay = TimeSpan.FromHours(2);
            o.MaxRetries = 10;
        });
        await using var _ = github;
        await using var __ = services;
        var planner = services.GetRequiredService<IEnvironmentPlanner>();
        var applier = services.GetRequiredService<IEnvironmentApplier>();
        var plan = await planner.PlanAsync(Definition());
        github.Emulator.RateLimits
            .ExceedSecondaryLimit(count: 3, statusCode: 403, retryAfterSeconds: 60, when: r => r.Method != "GET")
            .ExceedSecondaryLimit(count: 2, statusCode: 429, retryAfterSeconds: 5)
            .ExceedPrimaryLimit(count: 1, statusCode: 429);

        using var clock = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            while (!clock.IsCancellationRequested)
            {
                await Task.Delay(5);
                time.Advance(TimeSpan.FromSeconds(30));
            }
        });
        var result = await applier.ApplyAsync(plan);
        await clock.CancelAsync();
        await ticking;

        Assert.True(result.Succeeded, result.ToString());
        var successfulWrites = github.Emulator.Requests.Count(r => r.Method != "GET" && r.StatusCode is >= 200 and < 300);
        var expectedWrites = plan.Changes.Count(c => c.Kind is ChangeKind.Secret or ChangeKind.Variable or ChangeKind.BranchPattern) +
                             plan.Changes.Count(c => c.Kind == ChangeKind.Environment);
        Assert.Equal(expectedWrites, successfulWrites);
        Assert.True(services.GetRequiredService<GitHubRequestCounters>().RateLimited >= 6);
        Assert.False((await planner.PlanAsync(Definition())).HasChanges);
    }
}
