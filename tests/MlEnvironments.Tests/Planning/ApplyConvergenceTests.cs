using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>
/// An apply interrupted at any write converges on the next plan and apply, and leaves undeclared things alone.
/// </summary>
public sealed class ApplyConvergenceTests : IDisposable
{
    private const int WriteCount = 14;

    private readonly string _apiKey = "api-" + Guid.NewGuid().ToString("N");
    private readonly string _token = "token-" + Guid.NewGuid().ToString("N");
    private readonly string _credentials = "credentials-" + Guid.NewGuid().ToString("N");
    private readonly EnvironmentVariableScope _variable;

    public ApplyConvergenceTests() => _variable = new EnvironmentVariableScope(_credentials);

    public void Dispose() => _variable.Dispose();

    public static TheoryData<int> EveryWrite => [.. Enumerable.Range(1, WriteCount)];

    private RepositoryDefinition Desired => Repository(RepositoryName,
        Environment("staging")
            .RequireReviewers(User("ana"))
            .WithWaitTimer(TimeSpan.FromMinutes(10))
            .AllowBranches("main", "release/*")
            .WithVariable("MODEL_NAME", "new")
            .WithVariable("EXTRA", "1")
            .WithSecret("API_KEY", SecretValue.FromValue(_apiKey)),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .AllowBranches("main")
            .AllowTags("v*")
            .BindWorkspace(ProdWorkspace)
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.FromValue(_token))
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromEnvironmentVariable(_variable.Name)));

    /// <summary>What GitHub must hold afterwards: the declared state plus every undeclared thing seeded beforehand.</summary>
    private static RepositoryDefinition Expected => Repository(RepositoryName,
        Environment("staging")
            .RequireReviewers(User("ana"))
            .WithWaitTimer(TimeSpan.FromMinutes(10))
            .AllowBranches("main", "legacy/*", "release/*")
            .WithVariable("MODEL_NAME", "new")
            .WithVariable("LEGACY_FLAG", "1")
            .WithVariable("EXTRA", "1")
            .WithSecret("OLD_TOKEN", SecretValue.Existing)
            .WithSecret("API_KEY", SecretValue.Existing),
        Environment("sandbox").WithVariable("X", "1"),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .AllowBranches("main")
            .AllowTags("v*")
            .WithVariable(WorkspaceBinding.SubscriptionVariable, SubscriptionId)
            .WithVariable(WorkspaceBinding.ResourceGroupVariable, "rg-ml")
            .WithVariable(WorkspaceBinding.WorkspaceVariable, "mlw-prod")
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.Existing)
            .WithSecret("AZURE_CREDENTIALS", SecretValue.Existing));

    private static (InMemoryGitHub GitHub, RepositoryId Repository) Seeded()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("staging")
            .RequireReviewers(User("ana"))
            .AllowBranches("main", "legacy/*")
            .WithVariable("MODEL_NAME", "old")
            .WithVariable("LEGACY_FLAG", "1")
            .WithSecret("OLD_TOKEN", SecretValue.FromValue("old-token")));
        github.Seed(repository, Environment("sandbox").WithVariable("X", "1"));
        return (github, repository);
    }

    private void AssertSecretsSet(InMemoryGitHub github, RepositoryId repository)
    {
        foreach (var (environment, name, value) in new[] { ("staging", "API_KEY", _apiKey), ("prod", "TOKEN", _token), ("prod", "AZURE_CREDENTIALS", _credentials) })
        {
            Assert.True(github.GetSecretValue(repository, environment, name)!.TryRevealLiteral(out var actual), name);
            Assert.Equal(value, actual);
        }
    }

    [Fact]
    public async Task RichPlan_HasOneWritePerChange_LeavesUndeclaredThingsAlone_AndReachesTheExpectedState()
    {
        var (github, repository) = Seeded();
        var planner = Planner(github);
        var plan = await planner.PlanAsync(Desired);
        Assert.Equal(WriteCount, plan.Changes.Length);
        Assert.Equal(4, plan.Notes.Length);
        github.ClearCalls();

        var result = await Applier(github).ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(WriteCount, github.Writes.Count);
        Assert.Equal(Expected, github.Snapshot(repository));
        AssertSecretsSet(github, repository);
        Assert.False((await planner.PlanAsync(Desired)).HasChanges);
    }

    [Theory]
    [MemberData(nameof(EveryWrite))]
    public async Task FailureAtAnyWrite_StopsThere_AndThePlanApplyAfterwardsConverges(int k)
    {
        var (github, repository) = Seeded();
        var planner = Planner(github);
        var applier = Applier(github);
        var plan = await planner.PlanAsync(Desired);
        Assert.Equal(WriteCount, plan.Changes.Length);
        github.ClearCalls();
        github.Faults.FailOnWrite(k);

        var interrupted = await applier.ApplyAsync(plan);

        Assert.Equal(1, interrupted.FailedCount);
        Assert.Equal(
            Enumerable.Range(1, WriteCount).Select(i => i < k ? ChangeOutcome.Applied : i == k ? ChangeOutcome.Failed : ChangeOutcome.Skipped),
            interrupted.Results.Select(r => r.Outcome));
        Assert.Equal(k, github.Writes.Count);
        Assert.False(interrupted.Succeeded);

        var second = await planner.PlanAsync(Desired);
        Assert.Equal(WriteCount - (k - 1), second.Changes.Length);
        var retried = await applier.ApplyAsync(second);
        Assert.True(retried.Succeeded, retried.ToString());

        var third = await planner.PlanAsync(Desired);
        Assert.False(third.HasChanges, third.ToText());
        Assert.Equal(Expected, github.Snapshot(repository));
        AssertSecretsSet(github, repository);
    }

    [Fact]
    public async Task PrunedApply_InterruptedBeforeTheEnvironmentDelete_Converges()
    {
        var (github, repository) = Seeded();
        var options = new PlanOptions { Prune = true };
        var planner = Planner(github);
        var plan = await planner.PlanAsync(Desired, options);
        github.Faults.FailWhen(c => c.Operation == "repos/delete-an-environment");

        var interrupted = await Applier(github).ApplyAsync(plan);

        var failed = Assert.Single(interrupted.Results, r => r.Outcome == ChangeOutcome.Failed);
        Assert.Equal((ChangeAction.Delete, ChangeKind.Environment, "sandbox"), (failed.Change.Action, failed.Change.Kind, failed.Change.EnvironmentName));
        Assert.Same(failed, interrupted.Results[^1]);
        var retried = await Applier(github).ApplyAsync(await planner.PlanAsync(Desired, options));
        Assert.True(retried.Succeeded, retried.ToString());
        Assert.False((await planner.PlanAsync(Desired, options)).HasChanges);
        Assert.Equal(["staging", "prod"], github.Snapshot(repository).Environments.Select(e => e.Name));
    }
}
