using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Planning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>A protection-rule App that is not installed leaves nothing behind, through the real client against the emulator.</summary>
public class ProtectionRuleAppInstallationOverHttpTests
{
    private const long DeployGate = 42;
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;

    [Fact]
    public async Task InARepositoryWithoutEnvironments_AMissingApp_IsNamed_AndNoEnvironmentIsLeft()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.InstallProtectionRuleApp(Repo, DeployGate, "deploy-gate");
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatedGitHub.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = github.Emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();
        var definition = Repository(Repo, Environment("prod").AllowBranches("main").RequireProtectionRule(999).WithVariable("MODEL", "credit"));

        var plan = await provider.GetRequiredService<IEnvironmentPlanner>().PlanAsync(definition);
        var result = await provider.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);

        Assert.False(result.Succeeded);
        var error = Assert.IsType<ValidationFailedException>(result.Results.First(r => r.Outcome == ChangeOutcome.Failed).Error);
        Assert.Contains("999", Assert.Single(error.Result.Errors).Message);
        Assert.Empty(github.State.Snapshot(Repo).Environments);
        Assert.DoesNotContain(github.Emulator.Requests, r => r.OperationId is "repos/create-deployment-protection-rule" or "repos/create-deployment-branch-policy" or "actions/create-environment-variable");
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "repos/delete-an-environment" && r.StatusCode == 204);
        github.AssertEveryRequestConformed();
    }
}
