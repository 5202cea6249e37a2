using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Planning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>Plans, applies and GitHub calls are reported as activities of the packages' activity sources.</summary>
public class TracingTests
{
    [Fact]
    public async Task PlanApplyAndEachGitHubCall_AreActivities()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MlEnvironmentsDiagnostics.ActivitySourceName or GitHubDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var repository = RepositoryId.Parse("octo-org/traced-repo");
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.AddRepository(repository);
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatedGitHub.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = github.Emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();

        var plan = await provider.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Repository(repository, Environment("dev").WithVariable("A", "1")));
        await provider.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);

        var mine = activities.Where(a => Equals(a.GetTagItem("mlenv.repository"), "octo-org/traced-repo") ||
                                         Equals(a.GetTagItem("github.repository"), "octo-org/traced-repo")).ToList();
        Assert.Contains(mine, a => a.OperationName == "mlenv.plan" && Equals(a.GetTagItem("mlenv.changes"), 2));
        Assert.Contains(mine, a => a.OperationName == "mlenv.apply" && Equals(a.GetTagItem("mlenv.applied"), 2));
        Assert.Contains(mine, a => a.OperationName == "github repos/get-all-environments" && a.Kind == ActivityKind.Client);
        Assert.Contains(mine, a => a.OperationName == "github actions/create-environment-variable");
        Assert.All(mine, a => Assert.DoesNotContain(EmulatedGitHub.Token, string.Join(" ", a.TagObjects.Select(t => t.Value))));
    }
}
