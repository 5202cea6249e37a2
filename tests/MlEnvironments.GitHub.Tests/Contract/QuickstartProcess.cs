using System.Diagnostics;
using MlEnvironments.Testing;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>Runs the built quickstart as a separate process in real mode against a <see cref="GitHubEmulator"/>.</summary>
internal static class QuickstartProcess
{
    /// <summary>Runs it with <paramref name="token"/> as <c>GITHUB_TOKEN</c> and no write pause; bounded to three minutes.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(GitHubEmulator emulator, RepositoryId repository, string token, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [FindQuickstart(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["GITHUB_TOKEN"] = token,
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
