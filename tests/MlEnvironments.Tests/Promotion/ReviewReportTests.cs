using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

/// <summary>
/// The review a person looks at: the candidate against the champion and the target's latest promoted versions, as a
/// table with deltas and the gates each metric decides, a Mermaid chart, and studio links, within GitHub's size limits.
/// </summary>
public sealed class ReviewReportTests : IAsyncDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/churn");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg", "mlw-staging");
    private readonly InMemoryGitHub _github = new();
    private readonly InMemoryAzureMachineLearning _ml = new();
    private readonly ServiceProvider _provider;

    public ReviewReportTests()
    {
        _github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        _ml.AddWorkspace(Dev).AddWorkspace(Staging);
        var services = new ServiceCollection();
        services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero).UseInMemory(_github, _ml);
        _provider = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    private IModelPromoter Promoter => _provider.GetRequiredService<IModelPromoter>();

    private static RepositoryDefinition Definition => Repository(Repo,
        Environment("dev").BindWorkspace(Dev),
        Environment("staging").BindWorkspace(Staging).WithGates(MetricAtLeast("auc", 0.8), ImprovesOnChampion("auc")));

    private async Task TrainAsync(string version, double auc, double loss)
    {
        var job = "job-" + version;
        _ml.AddJob(Dev, job, MachineLearningJobStatus.Completed);
        _ml.LogMetric(Dev, job, "auc", auc);
        _ml.LogMetric(Dev, job, "loss", loss);
        await _ml.CreateOrUpdateModelVersionAsync(Dev, "churn", version, new MachineLearningModelVersionProperties { JobName = job, ModelUri = new Uri("azureml://jobs/" + job + "/outputs/model") });
    }

    /// <summary>Promotes versions 1..count into staging with a rising auc, then trains the next one.</summary>
    private async Task<PromotionRequest> ChampionsThenCandidateAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await TrainAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0.80 + (0.01 * i), 0.5 - (0.01 * i));
            var promoted = await Promoter.PromoteAsync(new PromotionRequest(Definition, "churn", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "dev", "staging"));
            Assert.True(promoted.Succeeded, promoted.Message);
        }

        var next = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TrainAsync(next, 0.80 + (0.01 * count) + 0.02, 0.3);
        return new PromotionRequest(Definition, "churn", next, "dev", "staging");
    }

    [Fact]
    public async Task Evaluation_CarriesTheLatestPromotedVersions_NewestFirst_ChampionFirst()
    {
        var request = await ChampionsThenCandidateAsync(6);

        var evaluation = await Promoter.EvaluateAsync(request);

        Assert.Equal(["6", "5", "4", "3", "2"], evaluation.History.Select(r => r.Version));
        Assert.Same(evaluation.Champion, evaluation.History[0]);
        Assert.Equal(0.85, evaluation.History[1].Metrics["auc"], 6);
    }

    [Fact]
    public async Task HistoryDepth_BoundsWhatIsRead_AndZeroStillFindsTheChampion()
    {
        var request = await ChampionsThenCandidateAsync(4);

        var two = await Promoter.EvaluateAsync(new PromotionRequest(Definition, "churn", "5", "dev", "staging") { HistoryDepth = 2 });
        var zero = await Promoter.EvaluateAsync(new PromotionRequest(Definition, "churn", "5", "dev", "staging") { HistoryDepth = 0 });

        Assert.Equal(["4", "3"], two.History.Select(r => r.Version));
        Assert.Equal("4", Assert.Single(zero.History).Version);
        Assert.Equal("4", zero.Champion!.Version);
        Assert.True((await Promoter.EvaluateAsync(request)).Passed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(51)]
    public void HistoryDepth_OutOfRange_NamesTheProperty(int depth)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PromotionRequest(Definition, "churn", "1", "dev", "staging") { HistoryDepth = depth });
        Assert.Equal(nameof(PromotionRequest.HistoryDepth), error.ParamName);
    }

    [Fact]
    public async Task Markdown_HasTheTableWithDeltasAndDecidingGates_TheChart_AndStudioLinks()
    {
        var request = await ChampionsThenCandidateAsync(3);

        var markdown = PromotionReport.ToMarkdown(await Promoter.EvaluateAsync(request));

        Assert.Contains("| Metric | Candidate | Champion | Δ champion | Last 3 promoted (min – max) | Decides |", markdown);
        Assert.Contains("| auc | 0.85 | 0.83 | +0.02 | 0.81 – 0.83 | ✅ auc ≥ 0.8; ✅ auc improves on the champion (higher is better) |", markdown);
        Assert.Contains("| loss | 0.3 | 0.47 | −0.17 | 0.47 – 0.49 | — |", markdown);
        Assert.Contains("""
            ```mermaid
            xychart-beta
                title "auc in staging"
                x-axis ["1", "2", "3", "4 (candidate)"]
                y-axis "auc"
                bar [0.81, 0.82, 0.83, 0.85]
            ```
            """.ReplaceLineEndings(), markdown);
        Assert.Single(Regex.Matches(markdown, "```mermaid"));
        Assert.Contains("(https://ml.azure.com/runs/job-4?wsid=%2Fsubscriptions%2F" + Subscription + "%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.MachineLearningServices%2Fworkspaces%2Fmlw-dev)", markdown);
        Assert.Contains("(https://ml.azure.com/model/churn:4/details?wsid=", markdown);
        Assert.EndsWith("All 2 gates pass: churn@4 may be promoted to staging." + System.Environment.NewLine, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_ShowsTheRangeOfTheLatestPromotedVersions()
    {
        var request = await ChampionsThenCandidateAsync(3);

        var text = PromotionReport.ToText(await Promoter.EvaluateAsync(request));

        Assert.Contains("metric  candidate  champion  last 3 promoted", text);
        Assert.Contains("auc          0.85      0.83  0.81 – 0.83", text);
    }

    [Fact]
    public void NoChampion_NoChart_TableStillThere()
    {
        var evaluation = MlEnvironmentsModelFactory.PromotionEvaluation("dev", "staging", Staging,
            MlEnvironmentsModelFactory.ModelCandidate(Dev, "churn", "1", metrics: new Dictionary<string, double> { ["auc"] = 0.9 }));

        var markdown = PromotionReport.ToMarkdown(evaluation);

        Assert.DoesNotContain("mermaid", markdown);
        Assert.Contains("| auc | 0.9 | — | — | — |", markdown);
        Assert.Contains("No champion in staging yet.", markdown);
    }

    [Fact]
    public void HostileNames_CannotLeaveTheChartOrTheTable()
    {
        const string metric = "auc\"]\n```\n<img src=x onerror=alert(1)>|x";
        var champion = MlEnvironmentsModelFactory.PromotionRecord(7, "prod`\n```", "churn", "1", metrics: new Dictionary<string, double> { [metric] = 0.8 });
        var evaluation = MlEnvironmentsModelFactory.PromotionEvaluation("staging", "prod`\n```", Staging,
            MlEnvironmentsModelFactory.ModelCandidate(Dev, "churn", "2", jobName: "job`)](javascript:alert(1))", metrics: new Dictionary<string, double> { [metric] = 0.9 }),
            champion, [MlEnvironmentsModelFactory.GateVerdict(MetricAtLeast(metric, 0.5), passed: true)]);

        var markdown = PromotionReport.ToMarkdown(evaluation);

        var chart = Regex.Match(markdown, "```mermaid\n(?<body>.*?)\n```", RegexOptions.Singleline);
        Assert.True(chart.Success, markdown);
        Assert.Equal(2, Regex.Count(markdown.ReplaceLineEndings("\n"), "^```", RegexOptions.Multiline));
        Assert.Contains("title \"auc________img src_x onerror_alert(1)__x in prod_____\"", chart.Groups["body"].Value);
        Assert.DoesNotContain("<img", chart.Groups["body"].Value);
        Assert.Contains("runs/job%60%29%5D%28javascript%3Aalert%281%29%29?wsid=", markdown);
        foreach (var line in markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            Assert.DoesNotMatch(@"[^\\]\|x", line);
        }
    }

    [Fact]
    public void ManyMetrics_StayUnderTheJobSummaryLimit_AndSayWhatIsNotShown()
    {
        var metrics = Enumerable.Range(0, 20_000).ToDictionary(i => "metric_" + new string('m', 200) + i, i => (double)i);
        var evaluation = MlEnvironmentsModelFactory.PromotionEvaluation("dev", "staging", Staging,
            MlEnvironmentsModelFactory.ModelCandidate(Dev, "churn", "1", metrics: metrics));

        var markdown = PromotionReport.ToMarkdown(evaluation);

        Assert.True(Encoding.UTF8.GetByteCount(markdown) <= PromotionReport.JobSummaryLimit);
        Assert.Contains("19950 more metrics not shown", markdown);
        Assert.Equal(PromotionReport.MaxMetricRows + 1, markdown.Split('\n').Count(l => l.StartsWith("| metric_", StringComparison.Ordinal) || l.StartsWith("| …", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SmallLimit_LeavesOutSections_LeastUsefulFirst_AndSaysSo()
    {
        var request = await ChampionsThenCandidateAsync(4);
        var evaluation = await Promoter.EvaluateAsync(request);
        var full = PromotionReport.ToMarkdown(evaluation);
        Assert.True(Encoding.UTF8.GetByteCount(full) > 700, full);

        var fitted = PromotionReport.ToMarkdown(evaluation, 700);

        Assert.True(Encoding.UTF8.GetByteCount(fitted) <= 700, fitted);
        Assert.Contains("_Left out to fit 700 bytes: ", fitted);
        Assert.Contains("links", fitted);
        Assert.Contains("| Gate | Verdict | Details |", fitted);
        Assert.EndsWith("All 2 gates pass: churn@5 may be promoted to staging." + System.Environment.NewLine, fitted, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionReport.ToMarkdown(evaluation, 255));
    }

    [Fact]
    public async Task ProtectionRuleComment_FitsGitHubs1024Characters_WithTheChartWhenItFits()
    {
        var request = await ChampionsThenCandidateAsync(3);
        var evaluation = await Promoter.EvaluateAsync(request);

        var comment = DeploymentProtectionRuleHandler.Comment(evaluation);

        Assert.True(comment.Length <= 1024, comment.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("✅ **mlenv** approved `churn@4` → staging", comment, StringComparison.Ordinal);
        Assert.Contains("| Gate | Verdict | Details |", comment);

        var longNames = MlEnvironmentsModelFactory.PromotionEvaluation("dev", "staging", Staging,
            MlEnvironmentsModelFactory.ModelCandidate(Dev, new string('m', 255), new string('9', 128),
                metrics: Enumerable.Range(0, 40).ToDictionary(i => new string('x', 100) + i, i => (double)i)),
            verdicts: Enumerable.Range(0, 20).Select(i => MlEnvironmentsModelFactory.GateVerdict(MetricAtLeast(new string('x', 100) + i, 0), passed: true, reason: new string('r', 200))));
        Assert.True(DeploymentProtectionRuleHandler.Comment(longNames).Length <= 1024);
    }
}
