using System.Globalization;
using System.Text;
using MlEnvironments.GitHub;

namespace MlEnvironments.Benchmarks.Scale;

/// <summary>
/// "Second process": what a scheduled <c>mlenv plan</c> costs when the process before it left its ETags on disk. Two
/// fresh clients (each its own service provider, connection and HttpClient, as two processes have) plan the same set
/// one after the other with the same <see cref="FileGitHubResponseCache"/> folder (a temporary one); the second one's
/// share of answers 304 must be at least <see cref="Threshold"/>.
/// </summary>
internal static class SecondProcessRun
{
    /// <summary>The share of the second process's requests that must be answered 304.</summary>
    public const double Threshold = 0.9;

    public static async Task<SecondProcessResult> MeasureAsync(EmulatorSession session, RepositorySetDefinition set)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mlenv-scale-http-cache", Guid.NewGuid().ToString("N"));
        try
        {
            var first = await PlanAsync(session, set, directory);
            var second = await PlanAsync(session, set, directory);
            var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
            return new SecondProcessResult(set.Repositories.Length, first, second, files.Length, files.Sum(f => new FileInfo(f).Length));
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static async Task<(List<MlEnvironments.Testing.EmulatorRequest> Requests, TimeSpan Wall)> PlanAsync(EmulatorSession session, RepositorySetDefinition set, string directory)
    {
        await using var client = OurClient.Create(session.Emulator.BaseAddress, new FileGitHubResponseCache(directory));
        var (plan, requests, wall) = await session.MeasureAsync(() => client.PlanAsync(set));
        if (!plan.Failures.IsEmpty || plan.HasChanges)
        {
            throw new InvalidOperationException("Scale run: second-process plan: " + plan.Summary);
        }

        return (requests, wall);
    }

    public static void Write(StringBuilder output, IEnumerable<SecondProcessResult> results)
    {
        output.AppendLine("### Second process (on-disk ETag cache)").AppendLine();
        output.AppendLine("Two fresh clients, one after the other, plan the converged set with the same `FileGitHubResponseCache` folder (what two `mlenv plan` runs share).").AppendLine();
        output.AppendLine("| Repositories | 1st process: requests | 1st: 304 | 1st: wall | 2nd process: requests | 2nd: 304 | 2nd: counted | 2nd: wall | Cache on disk |");
        output.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.Append(CultureInfo.InvariantCulture,
                $"| {r.Repositories} | {r.First.Requests.Count} | {NotModified(r.First.Requests)} | {Seconds(r.First.Wall)} | {r.Second.Requests.Count} | {NotModified(r.Second.Requests)} ({r.Share:P0}) | {r.Second.Requests.Count - NotModified(r.Second.Requests)} | {Seconds(r.Second.Wall)} | {r.Files} files, {r.Bytes / 1024.0:0} KiB |")
                .AppendLine();
        }

        output.AppendLine();
    }

    internal static int NotModified(List<MlEnvironments.Testing.EmulatorRequest> requests) => requests.Count(r => r.StatusCode == 304);

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 10 ? time.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture) : time.TotalMilliseconds.ToString("0 ms", CultureInfo.InvariantCulture);
}

/// <summary>The two plans of the second-process scenario, and what the cache held on disk after them.</summary>
internal sealed record SecondProcessResult(
    int Repositories,
    (List<MlEnvironments.Testing.EmulatorRequest> Requests, TimeSpan Wall) First,
    (List<MlEnvironments.Testing.EmulatorRequest> Requests, TimeSpan Wall) Second,
    int Files,
    long Bytes)
{
    public double Share => Second.Requests.Count == 0 ? 0 : (double)SecondProcessRun.NotModified(Second.Requests) / Second.Requests.Count;

    public (string Check, bool Passed) Check() => (
        string.Create(CultureInfo.InvariantCulture,
            $"{Repositories} repositories, second process: {SecondProcessRun.NotModified(Second.Requests)} of {Second.Requests.Count} requests answered 304 ({Share:P1}; at least {SecondProcessRun.Threshold:P0} required)"),
        Second.Requests.Count > 0 && Share >= SecondProcessRun.Threshold);
}
