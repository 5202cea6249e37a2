using Microsoft.Extensions.Options;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Planning;

public class RepositorySetPlannerTests
{
    private static readonly EnvironmentDefinition[] Template =
    [
        Environment("dev").WithVariable("MODEL_NAME", "m"),
        Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(10)),
    ];

    private static (InMemoryGitHub GitHub, RepositoryId[] Repositories) Organisation(int count)
    {
        var github = new InMemoryGitHub();
        var repositories = Enumerable.Range(0, count).Select(i => RepositoryId.Parse($"octo-org/ml-{i:D2}")).ToArray();
        foreach (var repository in repositories)
        {
            github.GrantAccess(repository, User("ana"));
        }

        return (github, repositories);
    }

    private static RepositorySetPlanner SetPlanner(InMemoryGitHub github, int concurrency = 4, IGitHubEnvironmentReader? reader = null) =>
        new(new EnvironmentPlanner(reader ?? github, github, github), new EnvironmentApplier(github, github, github, github),
            Options.Create(new MlEnvironmentsOptions { MaxRepositoryConcurrency = concurrency }));

    [Fact]
    public async Task ASet_IsPlannedAndApplied_InOneCall_AndThenHasNoChanges()
    {
        var (github, repositories) = Organisation(6);
        var set = RepositoriesFromTemplate(repositories, Template);
        var planner = SetPlanner(github);
        var reports = new List<RepositoryProgress>();

        var plan = await planner.PlanAsync(set, progress: new SynchronousProgress<RepositoryProgress>(reports.Add));
        var result = await planner.ApplyAsync(plan);
        var again = await planner.PlanAsync(set);

        Assert.Equal("6 repositories, 18 changes (6 with changes, 0 failed to plan).", plan.Summary);
        Assert.Equal(6, reports.Count(r => r.Stage == RepositoryProgressStage.Planned));
        Assert.Equal(6, reports.Max(r => r.Completed));
        Assert.True(result.Succeeded, result.ToString());
        Assert.False(again.HasChanges);
        Assert.Contains("6 repositories, 0 changes", again.ToText());
        Assert.Equal(repositories.Select(r => r.ToString()), plan.Plans.Select(p => p.Repository.ToString()));
    }

    [Fact]
    public async Task ARepositoryThatFailsToPlan_IsReported_AndTheOthersArePlanned()
    {
        var (github, repositories) = Organisation(3);
        var missing = RepositoryId.Parse("octo-org/does-not-exist");
        var set = RepositoriesFromTemplate([repositories[0], missing, repositories[1], repositories[2]], Template);

        var plan = await SetPlanner(github).PlanAsync(set);

        var failure = Assert.Single(plan.Failures);
        Assert.Equal(missing, failure.Repository);
        Assert.Equal(404, Assert.IsType<RemoteServiceException>(failure.Error).StatusCode);
        Assert.Equal(3, plan.Plans.Length);
        Assert.Contains("1 failed to plan", plan.Summary);
        Assert.Contains("octo-org/does-not-exist FAILED", plan.ToText());
        using var json = System.Text.Json.JsonDocument.Parse(plan.ToJson());
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("failed").GetInt32());
        Assert.Contains("`octo-org/does-not-exist` failed", plan.ToMarkdown());
    }

    [Fact]
    public async Task OneRepositorysApplyFailure_DoesNotStopOrCorruptTheOthers_AndConvergesLater()
    {
        var (github, repositories) = Organisation(5);
        var set = RepositoriesFromTemplate(repositories, Template);
        var planner = SetPlanner(github);
        github.Faults.FailWhen(c => c.Resource == repositories[2].ToString() && c.IsWrite && c.Environment == "prod",
            c => new RemoteServiceException("GitHub", c.Operation, 422, "Injected refusal"), times: null);

        var result = await planner.ApplyAsync(await planner.PlanAsync(set));

        Assert.False(result.Succeeded);
        Assert.Equal([repositories[2]], result.Results.Where(r => !r.Succeeded).Select(r => r.Repository));
        Assert.All(result.Results.Where(r => r.Repository != repositories[2]), r => Assert.True(r.Succeeded));
        github.Faults.Clear();
        var after = await planner.PlanAsync(set);
        Assert.Equal([repositories[2]], after.Plans.Where(p => p.HasChanges).Select(p => p.Repository));
        Assert.True((await planner.ApplyAsync(after)).Succeeded);
        Assert.False((await planner.PlanAsync(set)).HasChanges);
    }

    [Fact]
    public async Task AnInvalidSet_FailsBeforeAnyCall_WithEveryError()
    {
        var (github, repositories) = Organisation(2);
        var set = Repositories(
            Repository(repositories[0], Environment("prod").PreventSelfReview()),
            Repository(repositories[1], Environment("dev"), Environment("DEV")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => SetPlanner(github).PlanAsync(set));

        Assert.Equal([ValidationRules.PreventSelfReviewRequiresReviewer, ValidationRules.EnvironmentNameDuplicate], error.Result.Errors.Select(e => e.Rule));
        Assert.Empty(github.Calls);
    }

    [Fact]
    public async Task RepositoriesArePlannedConcurrently_UpToTheLimit()
    {
        var (github, repositories) = Organisation(8);
        var reader = new ConcurrencyProbe(github);

        var plan = await SetPlanner(github, concurrency: 3, reader: reader).PlanAsync(RepositoriesFromTemplate(repositories, Template));

        Assert.Equal(8, plan.Plans.Length);
        Assert.InRange(reader.MaxConcurrent, 1, 3);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }

    /// <summary>Counts how many repositories are being read at the same time.</summary>
    private sealed class ConcurrencyProbe(InMemoryGitHub inner) : IGitHubEnvironmentReader
    {
        private int _current;
        private int _max;

        public int MaxConcurrent => Volatile.Read(ref _max);

        public async Task<IReadOnlyList<GitHubEnvironment>> ListEnvironmentsAsync(RepositoryId repository, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(20, cancellationToken);
                return await inner.ListEnvironmentsAsync(repository, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }

        public Task<GitHubEnvironment?> GetEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
            inner.GetEnvironmentAsync(repository, environmentName, cancellationToken);

        public Task<IReadOnlyList<GitHubDeploymentBranchPolicy>> ListDeploymentBranchPoliciesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
            inner.ListDeploymentBranchPoliciesAsync(repository, environmentName, cancellationToken);
    }
}
