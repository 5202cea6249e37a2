using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>
/// A set of repositories applied through <see cref="IRepositorySetPlanner"/> and the real client over HTTP, while the
/// emulator answers rate limits: every change is applied exactly once, nothing is lost, and one repository's failure
/// stays its own. (The 500-repository version is part of the benchmarks' scale run.)
/// </summary>
public class ScaleTests
{
    private const int Repositories = 20;
    private const string Token = "ghp_scale_test_token_never_printed";
    private static readonly Reviewer[] Reviewers = [User("ana"), Team("ml-leads"), Team("ml-reviewers")];

    private static RepositoryId Repo(int index) => RepositoryId.Parse($"octo-org/model-{index:D2}");

    private static RepositorySetDefinition Set(IEnumerable<int> indexes) => MlEnvironment.Repositories(indexes.Select(i => Repository(Repo(i),
        Environment("dev")
            .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg-ml-dev", $"mlw-dev-{i}"))
            .WithVariable("MIN_AUC", "0.70"),
        Environment("staging")
            .RequireReviewers(Team("ml-reviewers"))
            .AllowBranches("main", "release/*")
            .WithVariable("MIN_AUC", "0.80"),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .AllowProtectedBranchesOnly()
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue($"secret-of-{i}")))));

    private static RepositorySetDefinition All => Set(Enumerable.Range(0, Repositories));

    private static async Task<(GitHubEmulator Emulator, ServiceProvider Services)> StartAsync()
    {
        var state = new InMemoryGitHub();
        for (var i = 0; i < Repositories; i++)
        {
            foreach (var reviewer in Reviewers)
            {
                state.GrantAccess(Repo(i), reviewer);
            }
        }

        // The rate-limit window is an hour behind: a primary-limit answer names a reset that has already passed, so
        // the client retries it after a second instead of an hour.
        var options = new GitHubEmulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)), PrimaryRateLimit = 1_000_000 };
        options.AcceptedTokens.Add(Token);
        var emulator = await GitHubEmulator.StartAsync(state, options);
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        return (emulator, services.BuildServiceProvider());
    }

    /// <summary>Secondary limits (403 and 429, retry-after 0) and primary-limit 429s on requests picked by sequence number.</summary>
    private static int InjectRateLimits(GitHubEmulator emulator)
    {
        emulator.RateLimits
            .ExceedSecondaryLimit(count: 6, statusCode: 403, retryAfterSeconds: 0, when: r => r.Method != "GET" && r.Sequence % 17 == 0)
            .ExceedSecondaryLimit(count: 6, statusCode: 429, retryAfterSeconds: 0, when: r => r.Sequence % 13 == 0)
            .ExceedPrimaryLimit(count: 2, statusCode: 429, when: r => r.Sequence % 61 == 0);
        return 6 + 6 + 2;
    }

    /// <summary>What applying a plan writes: one settings write per environment, one per pattern, variable or secret.</summary>
    private static int PlannedWrites(RepositoryPlan plan) =>
        plan.Changes.Where(c => c.Kind is ChangeKind.Reviewers or ChangeKind.WaitTimer or ChangeKind.PreventSelfReview or ChangeKind.AdminsBypass or ChangeKind.BranchPolicy ||
                                (c.Kind == ChangeKind.Environment && c.Action == ChangeAction.Create))
            .Select(c => c.EnvironmentName).Distinct(StringComparer.OrdinalIgnoreCase).Count() +
        plan.Changes.Count(c => c.Kind is ChangeKind.BranchPattern or ChangeKind.Variable or ChangeKind.Secret);

    [Fact]
    public async Task ApplyingTwentyRepositories_ThroughRateLimits_AppliesEveryChangeExactlyOnce_AndConverges()
    {
        var (emulator, services) = await StartAsync();
        await using var _ = emulator;
        await using var __ = services;
        var planner = services.GetRequiredService<IRepositorySetPlanner>();
        var counters = services.GetRequiredService<GitHubRequestCounters>();
        var plan = await planner.PlanAsync(All);
        var planned = plan.Plans.Sum(PlannedWrites);
        var sequenceBefore = emulator.Requests.Count;
        InjectRateLimits(emulator);

        var result = await planner.ApplyAsync(plan);
        emulator.RateLimits.ClearInjected();
        var again = await planner.PlanAsync(All);

        Assert.True(result.Succeeded, result.ToString());
        var applying = emulator.Requests.Skip(sequenceBefore).ToList();
        var limited = applying.Count(r => r.StatusCode is 403 or 429);
        Assert.True(limited > 0, "no rate limit was injected while applying");
        Assert.Equal(limited, counters.RateLimited);
        Assert.DoesNotContain(applying, r => r.StatusCode >= 400 && r.StatusCode is not 403 and not 429);
        Assert.Equal(planned, applying.Count(r => r.Method != "GET" && r.StatusCode is >= 200 and < 300));
        var writes = emulator.State.Writes;
        Assert.Equal(planned, writes.Count);
        Assert.All(writes.GroupBy(w => (w.Operation, w.Resource, w.Environment, w.Target)), g => Assert.Single(g));
        Assert.False(again.HasChanges, again.ToText());
        Assert.Empty(again.Failures);
        Assert.Empty(emulator.UnmatchedRequests);
        Assert.Empty(emulator.SchemaViolations);
    }

    [Fact]
    public async Task OneRepositoryRefusingAWrite_IsReportedInTheResult_WithoutStoppingOrCorruptingTheOthers()
    {
        var (emulator, services) = await StartAsync();
        await using var _ = emulator;
        await using var __ = services;
        var planner = services.GetRequiredService<IRepositorySetPlanner>();
        var failing = Repo(7);
        var others = Set(Enumerable.Range(0, Repositories).Where(i => i != 7));
        emulator.State.Faults.FailWhen(
            c => c.IsWrite && c.Resource == failing.ToString() && c.Operation == "actions/create-environment-variable" && c.Environment == "staging",
            c => new RemoteServiceException("GitHub", c.Operation, 422, "Injected refusal"),
            times: null);
        var plan = await planner.PlanAsync(All);
        InjectRateLimits(emulator);

        var result = await planner.ApplyAsync(plan);
        emulator.RateLimits.ClearInjected();

        // Reported: one repository stopped at the refused write, with GitHub's status; every other one applied completely.
        Assert.False(result.Succeeded);
        Assert.Empty(result.Failures);
        Assert.Equal(Repositories, result.Results.Length);
        var stopped = Assert.Single(result.Results, r => !r.Succeeded);
        Assert.Equal(failing, stopped.Repository);
        var refused = Assert.Single(stopped.Results, r => r.Outcome == ChangeOutcome.Failed);
        Assert.Equal(ChangeKind.Variable, refused.Change.Kind);
        Assert.Equal(422, Assert.IsType<GitHubException>(refused.Error).StatusCode);
        Assert.True(stopped.SkippedCount > 0);
        Assert.Contains($"{Repositories - 1} applied completely, 1 stopped", result.Summary, StringComparison.Ordinal);

        // Not corrupted: the others have nothing left to do; the stopped one has exactly what was not applied.
        var othersAgain = await planner.PlanAsync(others);
        Assert.False(othersAgain.HasChanges, othersAgain.ToText());
        var failingAgain = (await planner.PlanAsync(All)).Plans.Single(p => p.Repository == failing);
        Assert.Equal(stopped.FailedCount + stopped.SkippedCount, failingAgain.Changes.Length);

        // Once GitHub accepts the write, planning and applying again converges.
        emulator.State.Faults.Clear();
        var retry = await planner.ApplyAsync(await planner.PlanAsync(All));
        Assert.True(retry.Succeeded, retry.ToString());
        Assert.False((await planner.PlanAsync(All)).HasChanges);
    }
}
