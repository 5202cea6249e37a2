using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Benchmarks.Promotion;

/// <summary>
/// The request-counting promotion run: <c>dotnet run -c Release --project benchmarks/MlEnvironments.Benchmarks --
/// --promotion [--history 0,10,100,1000]</c>. For each length of the target's ledger history it counts the GitHub and
/// ARM requests of one evaluation, one promotion, one no-op promotion and one history read, through the real clients
/// against the loopback emulators. Prints Markdown; exit code 0 when every check passed.
/// With <c>--registry [--runs 3]</c> it instead times promotions that share through a registry (publish, then tag the
/// registry version: two long-running operations) against an ARM emulator that answers without <c>Retry-After</c>.
/// </summary>
internal static class PromotionRun
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string GitHubToken = "ghp_promotion_run";
    private const string ArmToken = "arm-promotion-run";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/fraud");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg", "mlw-prod");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--registry"))
        {
            return await RunRegistryAsync(args);
        }

        var index = Array.IndexOf(args, "--history");
        var sizes = index >= 0 && index + 1 < args.Length
            ? args[index + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [0, 10, 100, 1000];
        var output = new StringBuilder("| Ledger entries before | Operation | GitHub requests | ARM requests |").AppendLine().AppendLine("|---:|---|---:|---:|");
        var checks = new List<(string, bool)>();
        foreach (var size in sizes)
        {
            foreach (var (operation, github, arm) in await MeasureAsync(size))
            {
                output.Append(CultureInfo.InvariantCulture, $"| {size} | {operation} | {github} | {arm} |").AppendLine();
                if (operation == "promote (passes)")
                {
                    // Listing is paged (100 per page); statuses are read only until the newest success.
                    var bound = 2 + (size / 100) + 1 + 4;
                    checks.Add(($"{size} entries: a promotion sends {github} GitHub requests (bound {bound})", github <= bound));
                }
            }
        }

        output.AppendLine().AppendLine("Checks:");
        foreach (var (check, passed) in checks)
        {
            output.Append("- ").Append(passed ? "OK" : "FAIL").Append(": ").AppendLine(check);
        }

        Console.Write(output.ToString());
        return checks.All(c => c.Item2) ? 0 : 1;
    }

    private static async Task<List<(string Operation, int GitHub, int Arm)>> MeasureAsync(int history)
    {
        var github = new InMemoryGitHub();
        github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        var ml = new InMemoryAzureMachineLearning().AddWorkspace(Staging).AddWorkspace(Prod);
        var definition = Repository(Repo,
            Environment("staging").BindWorkspace(Staging),
            Environment("prod").BindWorkspace(Prod).WithGates(MetricAtLeast("auc", 0.8), ImprovesOnChampion("auc")));
        for (var i = 1; i <= history; i++)
        {
            // Older entries: alternating failed and successful attempts, as the fake records them.
            var deployment = await github.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "prod")
            {
                Task = PromotionLedger.Task,
                PayloadJson = "{\"mlenv\":\"mlenv.promotion/v1\",\"kind\":\"promotion\",\"model\":\"fraud\",\"version\":\"old-" + i.ToString(CultureInfo.InvariantCulture) + "\",\"metrics\":{\"auc\":0.8}}",
            });
            await github.CreateDeploymentStatusAsync(Repo, deployment.Id, new GitHubNewDeploymentStatus(i % 2 == 0 ? GitHubDeploymentState.Success : GitHubDeploymentState.Failure));
        }

        ml.AddJob(Staging, "job-1", MachineLearningJobStatus.Completed);
        ml.LogMetric(Staging, "job-1", "auc", 0.9);
        await ml.CreateOrUpdateModelVersionAsync(Staging, "fraud", "1", new MachineLearningModelVersionProperties { JobName = "job-1" });

        var githubOptions = new GitHubEmulatorOptions();
        githubOptions.AcceptedTokens.Add(GitHubToken);
        await using var githubEmulator = await GitHubEmulator.StartAsync(github, githubOptions);
        var armOptions = new AzureResourceManagerEmulatorOptions();
        armOptions.AcceptedTokens.Add(ArmToken);
        await using var arm = await AzureResourceManagerEmulator.StartAsync(ml, new InMemoryAzureIdentity(), armOptions);
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(GitHubToken)));
        services.AddMlEnvironments()
            .AddGitHub(o =>
            {
                o.BaseAddress = githubEmulator.BaseAddress;
                o.WritePause = TimeSpan.Zero;
                o.UseConditionalRequests = false;
            })
            .AddAzureMachineLearning(o =>
            {
                o.Endpoint = arm.Endpoint;
                o.Transport = new HttpClientTransport(arm.CreateHttpMessageHandler());
            });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var promoter = provider.GetRequiredService<IModelPromoter>();
        var ledger = provider.GetRequiredService<IPromotionLedger>();
        var request = new PromotionRequest(definition, "fraud", "1", "staging", "prod");
        var results = new List<(string, int, int)>();

        async Task Measure(string name, Func<Task> action)
        {
            var (g, a) = (githubEmulator.Requests.Count, arm.Requests.Count);
            await action();
            results.Add((name, githubEmulator.Requests.Count - g, arm.Requests.Count - a));
        }

        await Measure("evaluate", () => promoter.EvaluateAsync(request));
        await Measure("promote (passes)", async () => Check((await promoter.PromoteAsync(request)).Outcome == PromotionOutcome.Promoted, "promotion"));
        await Measure("promote again (no-op)", async () => Check((await promoter.PromoteAsync(request)).Outcome == PromotionOutcome.AlreadyPromoted, "no-op"));
        await Measure("history", async () => Check((await ledger.GetHistoryAsync(Repo, "prod")).Count == history + 1, "history"));
        Check(githubEmulator.SchemaViolations.Count == 0 && arm.UnmatchedRequests.Count == 0, "emulator contract");
        return results;
    }

    /// <summary>
    /// Wall-clock time of registry promotions (dev → staging, shared through a registry) through the real clients,
    /// on the real clock, against an ARM emulator whose long-running operations answer "in progress" twice, without
    /// <c>Retry-After</c>: the time is then the client's own polling schedule.
    /// </summary>
    private static async Task<int> RunRegistryAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--runs");
        var runs = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 3;
        var output = new StringBuilder("| Run | Wall time | ARM requests | Polls (publish + registry version) |").AppendLine().AppendLine("|---:|---:|---:|---:|");
        var times = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (elapsed, requests, polls) = await MeasureRegistryAsync();
            times.Add(elapsed.TotalSeconds);
            output.Append(CultureInfo.InvariantCulture, $"| {run} | {elapsed.TotalSeconds:0.00} s | {requests} | {polls} |").AppendLine();
        }

        times.Sort();
        output.AppendLine().Append(CultureInfo.InvariantCulture, $"Median: {times[times.Count / 2]:0.00} s over {runs} runs.").AppendLine();
        Console.Write(output.ToString());
        return 0;
    }

    private static async Task<(TimeSpan Elapsed, int ArmRequests, int Polls)> MeasureRegistryAsync()
    {
        var dev = Workspace(Subscription, "rg", "mlw-dev");
        var registry = MachineLearningRegistryId.Create(Subscription, "rg", "mlr-shared");
        var github = new InMemoryGitHub();
        github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        var ml = new InMemoryAzureMachineLearning().AddWorkspace(dev).AddWorkspace(Staging).AddRegistry(registry);
        ml.AddJob(dev, "job-1", MachineLearningJobStatus.Completed);
        ml.LogMetric(dev, "job-1", "auc", 0.9);
        await ml.CreateOrUpdateModelVersionAsync(dev, "fraud", "4", new MachineLearningModelVersionProperties { JobName = "job-1", ModelUri = new Uri("azureml://jobs/job-1/outputs/model") });
        var definition = Repository(Repo, Environment("dev").BindWorkspace(dev), Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(registry));

        var githubOptions = new GitHubEmulatorOptions();
        githubOptions.AcceptedTokens.Add(GitHubToken);
        await using var githubEmulator = await GitHubEmulator.StartAsync(github, githubOptions);
        // Two "in progress" answers per long-running operation, and no Retry-After header on any of them.
        var armOptions = new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 2, PollRetryAfter = null };
        armOptions.AcceptedTokens.Add(ArmToken);
        await using var arm = await AzureResourceManagerEmulator.StartAsync(ml, new InMemoryAzureIdentity(), armOptions);
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(GitHubToken)));
        services.AddMlEnvironments()
            .AddGitHub(o =>
            {
                o.BaseAddress = githubEmulator.BaseAddress;
                o.WritePause = TimeSpan.Zero;
            })
            .AddAzureMachineLearning(o =>
            {
                o.Endpoint = arm.Endpoint;
                o.Transport = new HttpClientTransport(arm.CreateHttpMessageHandler());
            });
        await using var provider = services.BuildServiceProvider();
        var promoter = provider.GetRequiredService<IModelPromoter>();

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await promoter.PromoteAsync(new PromotionRequest(definition, "fraud", "4", "dev", "staging"));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Check(result.Outcome == PromotionOutcome.Promoted, "registry promotion: " + result.Message);
        Check(await ml.GetRegistryModelVersionAsync(registry, "fraud", "4") is not null, "registry version");
        Check(arm.UnmatchedRequests.Count == 0 && githubEmulator.SchemaViolations.Count == 0, "emulator contract");
        var polls = arm.Requests.Count(r => r.Operation is "OperationResult_Get" or "OperationStatus_Get");
        return (elapsed, arm.Requests.Count, polls);
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Promotion run: " + what + " did not behave as expected.");
        }
    }
}
