using System.Diagnostics;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The quickstart's real mode against the emulator when GitHub refuses a write: it says what, why and what to do.</summary>
public class QuickstartFailureTests
{
    [Fact]
    public async Task RealMode_ApplyStoppedByGitHub_PrintsTheChange_TheStatus_GitHubsMessage_AndWhatToDo()
    {
        var repository = RepositoryId.Parse("octo-org/quickstart-refused");
        var state = new InMemoryGitHub();
        state.GrantAccess(repository, User("ana")).GrantAccess(repository, Team("ml-leads"));
        state.Faults.FailWhen(
            call => call.IsWrite && call.Environment == "staging",
            call => new RemoteServiceException("GitHub", call.Operation, 403, "Resource not accessible by personal access token\u001b[2J"),
            times: null);
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add("ghp_quickstart_refused");
        await using var emulator = await GitHubEmulator.StartAsync(state, options);

        var (exitCode, output, error) = await RunQuickstartAsync(emulator, repository, "--apply");

        Assert.True(exitCode == 1, output + error);
        Assert.Contains("Apply stopped:", output);
        Assert.Contains("FAILED: ", error);
        Assert.Contains("\"staging\"", error);
        Assert.Contains("HTTP 403", error);
        Assert.Contains("Resource not accessible by personal access token", error);
        Assert.Contains("What to do: the token lacks a permission", error);
        Assert.Contains("run again", error);
        Assert.DoesNotContain('\u001b', output + error);
        Assert.Contains("\\u001b[2J", error);
        Assert.DoesNotContain("ghp_quickstart_refused", output + error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunQuickstartAsync(GitHubEmulator emulator, RepositoryId repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [FindQuickstart(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["GITHUB_TOKEN"] = "ghp_quickstart_refused",
                ["MLENV_REPOSITORY"] = repository.ToString(),
                ["MLENV_GITHUB_URL"] = emulator.BaseAddress.ToString(),
                ["Secrets__ModelRegistryToken"] = "token-from-the-environment",
                ["MlEnvironments__GitHub__WritePause"] = "00:00:00",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
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
