using System.Diagnostics;
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

        var (planExit, planOutput) = await RunQuickstartAsync(emulator, repository);
        var writesAfterPlan = emulator.Requests.Count(r => r.Method != "GET");
        var (applyExit, applyOutput) = await RunQuickstartAsync(emulator, repository, "--apply");

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

    private static async Task<(int ExitCode, string Output)> RunQuickstartAsync(GitHubEmulator emulator, RepositoryId repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [FindQuickstart(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["GITHUB_TOKEN"] = "ghp_quickstart_emulated",
                ["MLENV_REPOSITORY"] = repository.ToString(),
                ["MLENV_GITHUB_URL"] = emulator.BaseAddress.ToString(),
                ["Secrets__ModelRegistryToken"] = "token-from-the-environment",
                ["MlEnvironments__GitHub__WritePause"] = "00:00:00",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string FindQuickstart()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "Quickstart", "bin", configuration, "net10.0", "Quickstart.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Quickstart.dll was not built; build the solution first.");
    }
}
