using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Planning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>Custom deployment protection rules planned and applied through the real GitHub client, over HTTP, against the emulator.</summary>
public class ProtectionRulePlanOverHttpTests
{
    private const long DeployGate = 42;
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;

    private static async Task<(EmulatedGitHub GitHub, ServiceProvider Services)> StartAsync()
    {
        var github = await EmulatedGitHub.StartAsync();
        github.State.InstallProtectionRuleApp(Repo, DeployGate, "deploy-gate");
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatedGitHub.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = github.Emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        return (github, services.BuildServiceProvider());
    }

    [Fact]
    public async Task ARequiredApp_IsEnabledThroughTheRealClient_AndTheNextPlanHasNoChanges()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        github.State.Seed(Repo, Environment("dev"));
        var definition = Repository(Repo,
            Environment("dev").RequireProtectionRule(DeployGate),
            Environment("prod").RequireProtectionRule(DeployGate).WithGates(MetricAtLeast("auc", 0.85)));
        var planner = services.GetRequiredService<IEnvironmentPlanner>();

        var plan = await planner.PlanAsync(definition);
        var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);
        var again = await planner.PlanAsync(definition);

        Assert.Equal(
            [
                (ChangeAction.Create, ChangeKind.ProtectionRule, "dev", "deploy-gate (#42)"),
                (ChangeAction.Create, ChangeKind.Environment, "prod", (string?)null),
                (ChangeAction.Create, ChangeKind.ProtectionRule, "prod", "deploy-gate (#42)"),
            ],
            plan.Changes.Select(c => (c.Action, c.Kind, c.EnvironmentName, c.Kind == ChangeKind.ProtectionRule ? c.After : null)));
        Assert.True(result.Succeeded, result.ToString());
        Assert.False(again.HasChanges, again.ToText());
        Assert.Equal(2, github.Emulator.Requests.Count(r => r.OperationId == "repos/create-deployment-protection-rule" && r.StatusCode == 201));
        Assert.All(github.State.Snapshot(Repo).Environments, e => Assert.Equal<long>([DeployGate], e.ProtectionRuleAppIds));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task AnAppThatIsNotInstalled_StopsThePlan_BeforeAnyWrite()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        github.State.Seed(Repo, Environment("prod"));
        var definition = Repository(Repo, Environment("prod").RequireProtectionRule(DeployGate).RequireProtectionRule(99).WithVariable("MODEL", "credit"));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition));

        var violation = Assert.Single(error.Result.Errors);
        Assert.Equal(("environments[prod].protectionRules[1]", ValidationRules.ProtectionRuleAppNotInstalled), (violation.Path, violation.Rule));
        Assert.Contains("deploy-gate (#42)", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(github.Emulator.Requests, r => r.Method != "GET");
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task AnUndeclaredRule_IsDisabledThroughTheRealClient_WhenPruning()
    {
        var (github, services) = await StartAsync();
        await using var _ = github;
        await using var __ = services;
        github.State.Seed(Repo, Environment("prod").RequireProtectionRule(DeployGate));
        var definition = Repository(Repo, Environment("prod"));
        var planner = services.GetRequiredService<IEnvironmentPlanner>();

        var unread = await planner.PlanAsync(definition);
        var kept = await planner.PlanAsync(definition, new PlanOptions { ReadProtectionRules = true });
        var pruned = await planner.PlanAsync(definition, new PlanOptions { Prune = true });
        var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(pruned);

        // Without pruning or drift detection, rules of an environment that declares none are not read.
        Assert.False(unread.HasChanges);
        Assert.DoesNotContain(unread.Notes, n => n.Message.Contains("protection rule", StringComparison.Ordinal));
        Assert.False(kept.HasChanges);
        Assert.Contains(kept.Notes, n => n.Message.StartsWith("protection rule deploy-gate (#42) is enabled but not declared", StringComparison.Ordinal));
        Assert.Equal("- environment \"prod\": protection rule deploy-gate (#42)", Assert.Single(pruned.Changes).Describe());
        Assert.True(result.Succeeded, result.ToString());
        Assert.Empty(Assert.Single(github.State.Snapshot(Repo).Environments).ProtectionRuleAppIds);
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "repos/disable-deployment-protection-rule" && r.StatusCode == 204);
        github.AssertEveryRequestConformed();
    }
}
