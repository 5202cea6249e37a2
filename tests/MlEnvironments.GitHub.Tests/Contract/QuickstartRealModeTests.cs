using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The quickstart's real mode, run as a process against the emulator as if it were GitHub.</summary>
public class QuickstartRealModeTests
{
    [Fact]
    public async Task RealMode_PlansWithoutWriting_ThenAppliesWhenAsked()
    {
        var repository = RepositoryId.Parse("octo-org/quickstart-real");
        var state = new InMemoryGitHub();
        state.GrantAccess(repository, User("ana")).GrantAccess(repository, Team("ml-leads"));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add("ghp_quickstart_emulated");
        await using var emulator = await GitHubEmulator.StartAsync(state, options);

        var (planExit, planStdout, planStderr) = await QuickstartProcess.RunAsync(emulator, repository, "ghp_quickstart_emulated");
        var planOutput = planStdout + planStderr;
        var writesAfterPlan = emulator.Requests.Count(r => r.Method != "GET");
        var (applyExit, applyStdout, applyStderr) = await QuickstartProcess.RunAsync(emulator, repository, "ghp_quickstart_emulated", "--apply");
        var applyOutput = applyStdout + applyStderr;

        Assert.True(planExit == 0, planOutput);
        Assert.Contains("Real mode: planning against octo-org/quickstart-real", planOutput);
        Assert.Contains("Run again with --apply", planOutput);
        Assert.Equal(0, writesAfterPlan);
        Assert.True(applyExit == 0, applyOutput);
        Assert.Contains("No changes. GitHub matches the definition.", applyOutput);
        Assert.Equal(["dev", "staging", "prod"], state.Snapshot(repository).Environments.Select(e => e.Name));
        Assert.True(state.GetSecretValue(repository, "prod", "MODEL_REGISTRY_TOKEN")!.TryRevealLiteral(out var secret));
        Assert.Equal("token-from-the-environment", secret);
        Assert.Null(state.GetSecretValue(repository, "dev", "AZURE_CREDENTIALS"));
        Assert.DoesNotContain("token-from-the-environment", planOutput + applyOutput);
        Assert.Contains("logins are left out", planOutput);
        Assert.DoesNotContain("ghp_quickstart_emulated", planOutput + applyOutput);
        Assert.Empty(emulator.SchemaViolations);
    }
}
