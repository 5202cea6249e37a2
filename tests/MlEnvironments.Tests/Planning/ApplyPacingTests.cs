using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

public class ApplyPacingTests
{
    private static readonly MlEnvironmentsOptions OneSecondPause = new() { WritePause = TimeSpan.FromSeconds(1) };

    private static async Task<(InMemoryGitHub GitHub, RepositoryPlan Plan)> ThreeWritePlanAsync()
    {
        var (github, _) = NewGitHub();
        var plan = await Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("A", "1").WithVariable("B", "2")));
        Assert.Equal(3, plan.Changes.Length);
        github.ClearCalls();
        return (github, plan);
    }

    [Fact]
    public async Task WritePause_WaitsOnTheClockBetweenWrites()
    {
        var (github, plan) = await ThreeWritePlanAsync();
        var time = new FakeTimeProvider();

        var apply = Applier(github, OneSecondPause, time).ApplyAsync(plan);

        // The first write goes out at once; the second waits for the clock.
        Assert.Single(github.Writes);
        Assert.False(apply.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(github.Writes);
        Assert.False(apply.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => github.Writes.Count == 2, "the second write");
        Assert.False(apply.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var result = await apply;

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(3, github.Writes.Count);
    }

    [Fact]
    public async Task CanceledBeforeStart_WritesNothing()
    {
        var (github, plan) = await ThreeWritePlanAsync();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Applier(github).ApplyAsync(plan, cancellation.Token));

        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task CanceledDuringAPause_StopsTheRemainingWrites()
    {
        var (github, plan) = await ThreeWritePlanAsync();
        var time = new FakeTimeProvider();
        using var cancellation = new CancellationTokenSource();

        var apply = Applier(github, OneSecondPause, time).ApplyAsync(plan, cancellation.Token);
        Assert.Single(github.Writes);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apply);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(github.Writes);
    }

    [Fact]
    public async Task CanceledPlan_ReadsNothing()
    {
        var (github, _) = NewGitHub();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Planner(github).PlanAsync(Repository(RepositoryName, Environment("prod")), cancellationToken: cancellation.Token));

        Assert.Empty(github.Calls);
    }
}
