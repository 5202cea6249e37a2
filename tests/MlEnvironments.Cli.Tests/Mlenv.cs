using System.Diagnostics;

namespace MlEnvironments.Cli.Tests;

/// <summary>Runs the built tool as a separate process (<c>dotnet mlenv.dll …</c>) in a folder of its own, as a user would.</summary>
internal sealed class Mlenv : IDisposable
{
    private static readonly Lazy<string> Tool = new(FindTool);

    public Mlenv()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mlenv-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);

        // The HTTP cache of each run stays in the run's folder, never in the user's.
        Environment["MLENV_HTTP_CACHE_DIR"] = Path.Combine(Directory, ".http-cache");
    }

    /// <summary>The working folder the tool runs in.</summary>
    public string Directory { get; }

    /// <summary>Environment variables every run gets (on top of a cleaned copy of this process's).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal)
    {
        // Writes are paused one second by default (GitHub's guidance); the emulator needs no pause.
        ["MlEnvironments__GitHub__WritePause"] = "00:00:00",
    };

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public void Write(string relative, string content)
    {
        var path = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Tool.Value);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the machine that runs the tests may change what the tool does.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MLENV_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MlEnvironments__", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("Secrets__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("AZURE_", StringComparison.OrdinalIgnoreCase) ||
                key is "GITHUB_TOKEN" or "GH_TOKEN" or "GITHUB_APP_PRIVATE_KEY" or "NO_COLOR" or "XDG_CACHE_HOME")
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindTool()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "MlEnvironments.Cli", "bin", configuration, "net10.0", "mlenv.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("mlenv.dll was not built; build the solution first.");
    }

    /// <summary>What a run gave: the exit code, standard output and standard error.</summary>
    internal sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}
