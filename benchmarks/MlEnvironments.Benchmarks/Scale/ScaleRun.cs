using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MlEnvironments.Planning;
using MlEnvironments.Testing;

namespace MlEnvironments.Benchmarks.Scale;

/// <summary>
/// The request-counting scale run: <c>dotnet run -c Release --project benchmarks/MlEnvironments.Benchmarks -- --scale
/// [--latency-ms 30] [--sizes 1,10,100,500] [--storm 500]</c>. Prints Markdown on standard output and progress on
/// standard error. Exit code 0 when every check passed, 1 otherwise.
/// </summary>
internal static class ScaleRun
{
    private const string ScenarioA = "(a) first-time apply";
    private const string ScenarioB1 = "(b) no-change plan, 1st";
    private const string ScenarioB2 = "(b) no-change plan, 2nd";
    private const string ScenarioC = "(c) 10%-changed apply";
    private static readonly string[] Scenarios = [ScenarioA, ScenarioB1, ScenarioB2, ScenarioC];
    private static readonly string[] Methods = ["GET", "PUT", "POST", "PATCH", "DELETE"];

    public static async Task<int> RunAsync(string[] args)
    {
        ScaleOptions options;
        try
        {
            options = ScaleOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var total = Stopwatch.StartNew();
        var checks = new List<(string Check, bool Passed)>();
        var output = new StringBuilder();
        WriteHeader(output, options);

        Progress("warm-up (2 repositories, not reported)");
        await RunSizeAsync(2, options.Latency);

        var sizes = new List<SizeResult>();
        foreach (var size in options.Sizes)
        {
            var result = await RunSizeAsync(size, options.Latency);
            sizes.Add(result);
            checks.AddRange(result.Checks);
        }

        WriteSummary(output, sizes);
        SecondProcessRun.Write(output, sizes.Select(s => s.SecondProcess!));
        foreach (var size in sizes)
        {
            WriteSize(output, size);
        }

        if (options.StormRepositories > 0)
        {
            var storm = await RunStormAsync(options.StormRepositories, options.Latency);
            checks.AddRange(storm.Checks);
            WriteStorm(output, storm);
        }

        total.Stop();
        output.AppendLine("### Checks").AppendLine();
        foreach (var (check, passed) in checks)
        {
            output.Append("- ").Append(passed ? "OK" : "FAIL").Append(": ").AppendLine(check);
        }

        output.AppendLine().Append(CultureInfo.InvariantCulture, $"Whole run: {Format(total.Elapsed)} (warm-up included).").AppendLine();
        Console.Write(output.ToString());
        return checks.All(c => c.Passed) ? 0 : 1;
    }

    // ----- one size: ours and the naïve baseline, each on its own emulator ------------------------------------

    private static async Task<SizeResult> RunSizeAsync(int repositories, TimeSpan latency)
    {
        var set = ScaleCorpus.Set(repositories);
        var (changed, changedEnvironments) = ScaleCorpus.ChangeOneInTen(set);
        var result = new SizeResult(repositories, changedEnvironments);

        await using (var session = await EmulatorSession.StartAsync(repositories, latency))
        await using (var ours = OurClient.Create(session.Emulator.BaseAddress))
        {
            result.Concurrency = ours.Concurrency;
            Progress($"{repositories} repositories: ours {ScenarioA}");
            var minimum = MinimumOf(session, set);
            var (a, requests, wall) = await session.MeasureAsync(() => ours.PlanAndApplyAsync(set));
            Require(a.Plan.Failures.IsEmpty && a.Result.Succeeded, $"ours {ScenarioA}: {a.Result.Summary} {string.Join("; ", a.Plan.Failures)}");
            result.Ours.Add(new Measurement(ScenarioA, requests, wall, minimum));
            result.Checks.Add(WithinBudget(repositories, result.Ours[^1]));

            foreach (var scenario in new[] { ScenarioB1, ScenarioB2 })
            {
                Progress($"{repositories} repositories: ours {scenario}");
                minimum = MinimumOf(session, set);
                var (plan, planRequests, planWall) = await session.MeasureAsync(() => ours.PlanAsync(set));
                Require(plan.Failures.IsEmpty && !plan.HasChanges, $"ours {scenario}: {plan.Summary}");
                var measurement = new Measurement(scenario, planRequests, planWall, minimum);
                result.Ours.Add(measurement);
                var overBudget = measurement.RepositoriesOverMinimum();
                result.Checks.Add((
                    $"{repositories} repositories, {scenario}: ours sent {measurement.Total} requests, the minimum is {measurement.Minimum.Total}" +
                    (overBudget.Count == 0 ? "; no repository above its minimum" : $"; above the minimum: {string.Join(", ", overBudget.Take(5))}") +
                    $" ({measurement.NotModified} answered 304)",
                    measurement.Total <= measurement.Minimum.Total && overBudget.Count == 0));
                result.Checks.Add(WithinBudget(repositories, measurement));
            }

            Progress($"{repositories} repositories: ours {ScenarioC}");
            minimum = MinimumOf(session, changed);
            var (c, changeRequests, changeWall) = await session.MeasureAsync(() => ours.PlanAndApplyAsync(changed));
            Require(c.Plan.Failures.IsEmpty && c.Result.Succeeded, $"ours {ScenarioC}: {c.Result.Summary}");
            result.Ours.Add(new Measurement(ScenarioC, changeRequests, changeWall, minimum));
            result.Checks.Add(WithinBudget(repositories, result.Ours[^1]));
            var left = await ChangesLeftAsync(session.State, changed);
            result.Checks.Add(($"{repositories} repositories: ours converged (after (c), the emulator's state differs from the definitions by {left} changes)", left == 0));
            result.OurCounters = ours.Counters.ToString();

            Progress($"{repositories} repositories: ours, no-change plan from a second process (on-disk ETag cache)");
            result.SecondProcess = await SecondProcessRun.MeasureAsync(session, changed);
            result.Checks.Add(result.SecondProcess.Check());
        }

        await using (var session = await EmulatorSession.StartAsync(repositories, latency))
        await using (var naive = NaiveClient.Create(session.Emulator.BaseAddress))
        {
            Progress($"{repositories} repositories: naïve {ScenarioA}");
            var minimum = MinimumOf(session, set);
            var (a, requests, wall) = await session.MeasureAsync(() => naive.PlanAndApplyAsync(set));
            Require(a.Results.All(r => r.Succeeded), $"naïve {ScenarioA}: {string.Join("; ", a.Results.Where(r => !r.Succeeded))}");
            result.Naive.Add(new Measurement(ScenarioA, requests, wall, minimum));

            foreach (var scenario in new[] { ScenarioB1, ScenarioB2 })
            {
                Progress($"{repositories} repositories: naïve {scenario}");
                minimum = MinimumOf(session, set);
                var (plans, planRequests, planWall) = await session.MeasureAsync(() => naive.PlanAsync(set));
                Require(plans.All(p => !p.HasChanges), $"naïve {scenario}: changes planned");
                result.Naive.Add(new Measurement(scenario, planRequests, planWall, minimum));
            }

            Progress($"{repositories} repositories: naïve {ScenarioC}");
            minimum = MinimumOf(session, changed);
            var (c, changeRequests, changeWall) = await session.MeasureAsync(() => naive.PlanAndApplyAsync(changed));
            Require(c.Results.All(r => r.Succeeded), $"naïve {ScenarioC}: not applied");
            result.Naive.Add(new Measurement(ScenarioC, changeRequests, changeWall, minimum));
            var left = await ChangesLeftAsync(session.State, changed);
            result.Checks.Add(($"{repositories} repositories: naïve baseline converged (after (c), the emulator's state differs from the definitions by {left} changes)", left == 0));
        }

        return result;
    }

    /// <summary>Plans the set in process, straight over the emulator's state (no HTTP): how far the state is from the definitions.</summary>
    private static async Task<int> ChangesLeftAsync(InMemoryGitHub state, RepositorySetDefinition set)
    {
        var planner = new EnvironmentPlanner(state, state, state);
        var changes = 0;
        foreach (var repository in set.Repositories)
        {
            changes += (await planner.PlanAsync(repository, PlanOptions.Default)).Changes.Length;
        }

        return changes;
    }

    /// <summary>The documented formula ("Ours' budget" in benchmarks/README.md): a scenario above it fails the run.</summary>
    private static (string Check, bool Passed) WithinBudget(int repositories, Measurement measurement) =>
        ($"{repositories} repositories, {measurement.Scenario}: ours sent {measurement.Total} requests, the documented formula allows {measurement.Minimum.Budget}",
            measurement.Total <= measurement.Minimum.Budget);

    private static (Minimum Total, Dictionary<RepositoryId, long> PerRepository) MinimumOf(EmulatorSession session, RepositorySetDefinition set)
    {
        var before = session.Snapshot(set);
        return AnalyticMinimum.ForSet(set, id => before[id]);
    }

    // ----- the rate-limit storm -------------------------------------------------------------------------------

    private static async Task<StormResult> RunStormAsync(int repositories, TimeSpan latency)
    {
        var set = ScaleCorpus.Set(repositories);

        // The emulator's rate-limit window is an hour behind: a primary-limit answer names a reset that has passed,
        // so the client retries it after one second.
        await using var session = await EmulatorSession.StartAsync(repositories, latency, new ShiftedClock(-TimeSpan.FromHours(1)));
        await using var ours = OurClient.Create(session.Emulator.BaseAddress);
        Progress($"storm: {repositories} repositories, plan");
        var plan = await ours.PlanAsync(set);
        Require(plan.Failures.IsEmpty, "storm plan failed: " + string.Join("; ", plan.Failures));
        var planned = plan.Plans.Sum(PlannedWrites);
        var writesBefore = session.State.Writes.Count;
        var (retriesBefore, limitedBefore) = (ours.Counters.Retries, ours.Counters.RateLimited);

        var budget = Math.Max(2, repositories / 16);
        var injected = new List<string>
        {
            $"{budget} × secondary limit 403, retry-after 1 s, on writes",
            $"{budget} × secondary limit 403, retry-after 0 s, on writes",
            $"{budget} × secondary limit 429, retry-after 0 s, on any request",
            $"{Math.Max(1, budget / 2)} × secondary limit 429, retry-after 1 s, on GETs (public keys)",
            $"{Math.Max(1, budget / 3)} × primary limit 429 (x-ratelimit-remaining 0, reset already passed: the client waits 1 s)",
        };
        session.Emulator.RateLimits
            .ExceedSecondaryLimit(budget, 403, retryAfterSeconds: 1, when: r => r.Method != "GET" && r.Sequence % 151 == 0)
            .ExceedSecondaryLimit(budget, 403, retryAfterSeconds: 0, when: r => r.Method != "GET" && r.Sequence % 149 == 0)
            .ExceedSecondaryLimit(budget, 429, retryAfterSeconds: 0, when: r => r.Sequence % 97 == 0)
            .ExceedSecondaryLimit(Math.Max(1, budget / 2), 429, retryAfterSeconds: 1, when: r => r.Method == "GET" && r.Sequence % 7 == 0)
            .ExceedPrimaryLimit(Math.Max(1, budget / 3), 429, when: r => r.Sequence % 401 == 0);

        Progress($"storm: {repositories} repositories, apply under injected rate limits");
        var (result, requests, wall) = await session.MeasureAsync(() => ours.Planner.ApplyAsync(plan));
        session.Emulator.RateLimits.ClearInjected();

        var successful = requests.Count(r => r.Method != "GET" && r.StatusCode is >= 200 and < 300);
        var limited = requests.Count(r => r.StatusCode is 403 or 429);
        var otherErrors = requests.Count(r => r.StatusCode >= 400 && r.StatusCode is not 403 and not 429);
        var reached = session.State.Writes.Skip(writesBefore).ToList();
        var duplicated = reached.GroupBy(w => (w.Operation, w.Resource, w.Environment, w.Target)).Count(g => g.Count() > 1);
        Progress($"storm: {repositories} repositories, final plan");
        var final = await ours.PlanAsync(set);

        var storm = new StormResult(repositories, planned, successful, reached.Count, duplicated, limited, otherErrors,
            ours.Counters.Retries - retriesBefore, ours.Counters.RateLimited - limitedBefore,
            result.Results.Count(r => !r.Succeeded) + result.Failures.Length, final.ChangeCount, wall, injected);
        storm.Checks.Add(($"storm: {successful} successful writes for {planned} planned writes; {reached.Count} reached GitHub's state, {duplicated} twice",
            successful == planned && reached.Count == planned && duplicated == 0));
        storm.Checks.Add(($"storm: {limited} rate-limited answers, all retried ({storm.Retries} retries), {otherErrors} other errors, {storm.FailedRepositories} repositories stopped",
            limited > 0 && otherErrors == 0 && storm.FailedRepositories == 0 && result.Succeeded));
        storm.Checks.Add(($"storm: the final plan has {final.ChangeCount} changes and {final.Failures.Length} failures", !final.HasChanges && final.Failures.IsEmpty));
        return storm;
    }

    /// <summary>What applying a plan writes: one settings write per environment, one per pattern, variable or secret, one per deleted environment.</summary>
    private static int PlannedWrites(RepositoryPlan plan) =>
        plan.Changes.Where(c => c.Kind is ChangeKind.Reviewers or ChangeKind.WaitTimer or ChangeKind.PreventSelfReview or ChangeKind.AdminsBypass or ChangeKind.BranchPolicy ||
                                (c.Kind == ChangeKind.Environment && c.Action == ChangeAction.Create))
            .Select(c => c.EnvironmentName).Distinct(StringComparer.OrdinalIgnoreCase).Count() +
        plan.Changes.Count(c => c.Kind is ChangeKind.BranchPattern or ChangeKind.Variable or ChangeKind.Secret) +
        plan.Changes.Count(c => c.Kind == ChangeKind.Environment && c.Action == ChangeAction.Delete);

    // ----- output ---------------------------------------------------------------------------------------------

    private static void WriteHeader(StringBuilder output, ScaleOptions options)
    {
        output.AppendLine("## Scale run").AppendLine();
        output.Append("Command: `dotnet run -c Release --project benchmarks/MlEnvironments.Benchmarks -- ").Append(string.Join(' ', options.Arguments)).AppendLine("`  ");
        output.Append(CultureInfo.InvariantCulture, $"Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.  ").AppendLine();
        output.Append(CultureInfo.InvariantCulture, $"Emulator: `GitHubEmulator` on 127.0.0.1, latency {options.Latency.TotalMilliseconds:0} ms per request (wall clock, before handling; concurrent requests wait in parallel).  ").AppendLine();
        output.AppendLine("Ours: `IRepositorySetPlanner` from `AddMlEnvironments().AddGitHub(...)` — the Octokit client, conditional requests on, " +
                          "`MaxRepositoryConcurrency` 4 (the default), writes serial per token. **`WritePause` is set to 0 for this run** " +
                          "(default 1 s between writes, GitHub's guidance; with it, every write below costs one more second).  ");
        output.AppendLine("Naïve: one GET per resource (each declared environment, its branch policies, each declared secret and variable by name), " +
                          "raw `HttpClient`, no conditional requests, one repository and one request at a time; the same diff (`EnvironmentPlanner`) " +
                          "and the same applier (the real client, conditional requests off), serially.  ");
        output.AppendLine("Definitions: N repositories × 3 environments — dev (workspace binding: 3 variables + `MIN_AUC`), staging (a team reviewer, " +
                          "branch patterns `main` and `release/*`, workspace, `MIN_AUC`), prod (a user and a team reviewer, 30-minute wait timer, " +
                          "prevent self-review, protected branches, workspace, `MIN_AUC`, one secret).  ");
        output.AppendLine("Counted = requests that count against the primary rate limit (all but 304s). Minimum: see \"Analytic minimum\" in benchmarks/README.md.");
        output.AppendLine();
    }

    private static void WriteSummary(StringBuilder output, List<SizeResult> sizes)
    {
        output.AppendLine("### Summary").AppendLine();
        output.AppendLine("| Repositories | Scenario | Minimum | Ours: requests | Ours: 304 | Ours: ratio | Ours: wall | Naïve: requests | Naïve: ratio | Naïve: wall |");
        output.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            foreach (var scenario in Scenarios)
            {
                var ours = size.Ours.Single(m => m.Scenario == scenario);
                var naive = size.Naive.Single(m => m.Scenario == scenario);
                output.Append(CultureInfo.InvariantCulture,
                    $"| {size.Repositories} | {scenario} | {ours.Minimum.Total} | {ours.Total} | {ours.NotModified} ({Percent(ours.NotModified, ours.Total)}) | {ours.Ratio:0.00} | {Format(ours.Wall)} | {naive.Total} | {naive.Ratio:0.00} | {Format(naive.Wall)} |")
                    .AppendLine();
            }
        }

        output.AppendLine();
    }

    private static void WriteSize(StringBuilder output, SizeResult size)
    {
        output.Append(CultureInfo.InvariantCulture, $"### {size.Repositories} repositories × 3 environments").AppendLine().AppendLine();
        output.Append(CultureInfo.InvariantCulture, $"(c) changes {size.ChangedEnvironments} environments (one in ten): a longer wait timer and a new `MIN_AUC`. Ours ran {size.Concurrency} repositories at a time.").AppendLine().AppendLine();
        output.AppendLine("| Scenario | Client | Requests | GET | PUT | POST | PATCH | DELETE | 304 | Counted | Minimum | Ratio | Ratio (counted) | Wall time |");
        output.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in Scenarios)
        {
            foreach (var (client, measurement) in new[] { ("ours", size.Ours.Single(m => m.Scenario == scenario)), ("naïve", size.Naive.Single(m => m.Scenario == scenario)) })
            {
                output.Append(CultureInfo.InvariantCulture, $"| {scenario} | {client} | {measurement.Total} | ");
                foreach (var method in Methods)
                {
                    output.Append(measurement.Count(method).ToString(CultureInfo.InvariantCulture)).Append(" | ");
                }

                output.Append(CultureInfo.InvariantCulture,
                    $"{measurement.NotModified} | {measurement.Counted} | {measurement.Minimum.Total} | {measurement.Ratio:0.00} | {measurement.CountedRatio:0.00} | {Format(measurement.Wall)} |").AppendLine();
            }
        }

        output.AppendLine();
        var a = size.Ours.Single(m => m.Scenario == ScenarioA).Minimum;
        output.Append(CultureInfo.InvariantCulture,
            $"Minimum of (a): {a.Reads} reads + {a.Writes} writes + {a.PublicKeys} public keys + {a.ReviewerLookups} reviewer id look-ups; ours' budget (the checked formula) {a.Budget}. Ours' client counters over the whole size: {size.OurCounters}.")
            .AppendLine().AppendLine();

        output.Append(CultureInfo.InvariantCulture, $"<details><summary>By operation, {size.Repositories} repositories (\"n (k)\": n requests, k of them answered 304)</summary>").AppendLine().AppendLine();
        output.Append("| Operation | Method |");
        foreach (var scenario in Scenarios)
        {
            output.Append(CultureInfo.InvariantCulture, $" {scenario}: ours | naïve |");
        }

        output.AppendLine().Append("|---|---|").AppendLine(string.Concat(Enumerable.Repeat("---:|---:|", Scenarios.Length)));
        var operations = size.Ours.Concat(size.Naive).SelectMany(m => m.Requests)
            .Select(r => (Operation: r.OperationId ?? "(unmatched)", r.Method)).Distinct()
            .OrderBy(o => Array.IndexOf(Methods, o.Method)).ThenBy(o => o.Operation, StringComparer.Ordinal);
        foreach (var (operation, method) in operations)
        {
            output.Append(CultureInfo.InvariantCulture, $"| `{operation}` | {method} |");
            foreach (var scenario in Scenarios)
            {
                output.Append(' ').Append(Cell(size.Ours.Single(m => m.Scenario == scenario), operation, method)).Append(" | ")
                    .Append(Cell(size.Naive.Single(m => m.Scenario == scenario), operation, method)).Append(" |");
            }

            output.AppendLine();
        }

        output.AppendLine().AppendLine("</details>").AppendLine();
    }

    private static string Cell(Measurement measurement, string operation, string method)
    {
        var matching = measurement.Requests.Where(r => (r.OperationId ?? "(unmatched)") == operation && r.Method == method).ToList();
        var notModified = matching.Count(r => r.StatusCode == 304);
        return matching.Count == 0 ? "·" : notModified == 0 ? matching.Count.ToString(CultureInfo.InvariantCulture) : $"{matching.Count} ({notModified})";
    }

    private static void WriteStorm(StringBuilder output, StormResult storm)
    {
        output.Append(CultureInfo.InvariantCulture, $"### Rate-limit storm: first-time apply of {storm.Repositories} repositories").AppendLine().AppendLine();
        output.AppendLine("Injected through `emulator.RateLimits` while applying (requests picked by their sequence number, so a retry is rarely hit again):").AppendLine();
        foreach (var line in storm.Injected)
        {
            output.Append("- ").AppendLine(line);
        }

        output.AppendLine();
        output.AppendLine("| Planned writes | Successful writes (2xx) | Writes that reached the state | Applied twice | Rate-limited answers | Client retries | Other errors | Repositories stopped | Final plan | Apply wall time |");
        output.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        output.Append(CultureInfo.InvariantCulture,
            $"| {storm.PlannedWrites} | {storm.SuccessfulWrites} | {storm.WritesReached} | {storm.Duplicated} | {storm.RateLimitedAnswers} | {storm.Retries} | {storm.OtherErrors} | {storm.FailedRepositories} | {(storm.FinalChanges == 0 ? "no changes" : storm.FinalChanges + " changes")} | {Format(storm.Wall)} |")
            .AppendLine().AppendLine();
    }

    // ----- helpers --------------------------------------------------------------------------------------------

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Scale run: " + message);
        }
    }

    private static void Progress(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private static string Format(TimeSpan time) =>
        time.TotalSeconds >= 10 ? time.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture) : time.TotalMilliseconds.ToString("0 ms", CultureInfo.InvariantCulture);

    private static string Percent(int part, int whole) =>
        whole == 0 ? "–" : (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

/// <summary>The scale run's arguments.</summary>
internal sealed record ScaleOptions(TimeSpan Latency, int[] Sizes, int StormRepositories, string[] Arguments)
{
    public static ScaleOptions Parse(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(30);
        int[] sizes = [1, 10, 100, 500];
        var storm = 500;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale":
                    break;
                case "--latency-ms":
                    latency = TimeSpan.FromMilliseconds(Number(args, ++i, 0));
                    break;
                case "--sizes":
                    sizes = [.. Value(args, ++i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Parse(s, 1, "--sizes"))];
                    break;
                case "--storm":
                    storm = Number(args, ++i, 0);
                    break;
                default:
                    throw new FormatException($"Unknown argument '{args[i]}'. Usage: --scale [--latency-ms 30] [--sizes 1,10,100,500] [--storm 500 (0 to skip)]");
            }
        }

        return new ScaleOptions(latency, sizes, storm, args);
    }

    private static string Value(string[] args, int index) =>
        index < args.Length ? args[index] : throw new FormatException($"'{args[index - 1]}' needs a value.");

    private static int Number(string[] args, int index, int minimum) => Parse(Value(args, index), minimum, args[index - 1]);

    private static int Parse(string text, int minimum, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new FormatException($"{name} takes whole numbers of at least {minimum}; '{text}' is not one.");
}

/// <summary>One scenario of one client: the requests the emulator answered, the wall time and the minimum.</summary>
internal sealed record Measurement(string Scenario, List<EmulatorRequest> Requests, TimeSpan Wall, Minimum Minimum, Dictionary<RepositoryId, long> PerRepositoryMinimum)
{
    public Measurement(string scenario, List<EmulatorRequest> requests, TimeSpan wall, (Minimum Total, Dictionary<RepositoryId, long> PerRepository) minimum)
        : this(scenario, requests, wall, minimum.Total, minimum.PerRepository)
    {
    }

    public int Total => Requests.Count;

    public int NotModified => Requests.Count(r => r.StatusCode == 304);

    public int Counted => Total - NotModified - Requests.Count(r => r.StatusCode is 403 or 429);

    public double Ratio => Minimum.Total == 0 ? 0 : (double)Total / Minimum.Total;

    public double CountedRatio => Minimum.Total == 0 ? 0 : (double)Counted / Minimum.Total;

    public int Count(string method) => Requests.Count(r => r.Method == method);

    /// <summary>For a no-change plan: the repositories that received more requests than their own minimum.</summary>
    public List<string> RepositoriesOverMinimum()
    {
        var over = new List<string>();
        foreach (var group in Requests.GroupBy(r => RepositoryOf(r.Path)))
        {
            if (group.Key is not { } repository)
            {
                over.Add($"{group.Count()} requests not about a repository");
                continue;
            }

            var minimum = PerRepositoryMinimum.GetValueOrDefault(repository);
            if (group.Count() > minimum)
            {
                over.Add($"{repository} ({group.Count()} > {minimum})");
            }
        }

        return over;
    }

    private static RepositoryId? RepositoryOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(segments, "repos");
        return index >= 0 && index + 2 < segments.Length
            ? RepositoryId.Parse(Uri.UnescapeDataString(segments[index + 1]) + "/" + Uri.UnescapeDataString(segments[index + 2]))
            : null;
    }
}

/// <summary>The measurements of one size.</summary>
internal sealed class SizeResult(int repositories, int changedEnvironments)
{
    public int Repositories { get; } = repositories;

    public int ChangedEnvironments { get; } = changedEnvironments;

    public int Concurrency { get; set; }

    public string OurCounters { get; set; } = string.Empty;

    public SecondProcessResult? SecondProcess { get; set; }

    public List<Measurement> Ours { get; } = [];

    public List<Measurement> Naive { get; } = [];

    public List<(string Check, bool Passed)> Checks { get; } = [];
}

/// <summary>The rate-limit storm's outcome.</summary>
internal sealed record StormResult(
    int Repositories,
    int PlannedWrites,
    int SuccessfulWrites,
    int WritesReached,
    int Duplicated,
    int RateLimitedAnswers,
    int OtherErrors,
    long Retries,
    long ClientRateLimited,
    int FailedRepositories,
    int FinalChanges,
    TimeSpan Wall,
    List<string> Injected)
{
    public List<(string Check, bool Passed)> Checks { get; } = [];
}
