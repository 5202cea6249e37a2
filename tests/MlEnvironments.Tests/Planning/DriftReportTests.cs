using MlEnvironments.Drift;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Planning;

/// <summary>Drift reports from plans against the in-memory GitHub, their renderings, and the drift issue.</summary>
public class DriftReportTests
{
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/drift");

    [Fact]
    public async Task Detect_ReportsChangedMissingAndUndeclared_AndNeverAValue()
    {
        var github = new InMemoryGitHub();
        github.GrantAccess(Repo, User("ana"));
        github.Seed(Repo, Environment("prod").WithWaitTimer(TimeSpan.FromMinutes(5)));
        github.Seed(Repo, Environment("preview"));
        github.Seed(Repo, Environment("qa").RequireReviewers(User("ana")));
        var definition = Repository(Repo, Environment("prod").WithWaitTimer(TimeSpan.FromMinutes(30))
            .WithSecret("TOKEN", SecretValue.FromValue("secret-value-never-shown-1")));
        var planner = new EnvironmentPlanner(github, github, github, protectionRules: github);

        var report = await new DriftDetector(planner).DetectAsync(definition);

        Assert.True(report.HasDrift);
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.SettingChanged && f.Subject == "wait timer" && f.EnvironmentName == "prod");
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.SecretMissing && f.Subject == "secret TOKEN");
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.UnprotectedEnvironment && f.EnvironmentName == "preview");
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.UndeclaredEnvironment && f.EnvironmentName == "qa");
        foreach (var text in new[] { report.ToText(), report.ToJson(), report.ToMarkdown(), DriftIssueFiler.Body(report) })
        {
            Assert.DoesNotContain("secret-value-never-shown-1", text);
        }

        // The undeclared environments' custom rules were read (drift mode), the declared one's too.
        Assert.Equal(3, github.Calls.Count(c => c.Operation == "repos/get-all-deployment-protection-rules"));
    }

    [Fact]
    public void Markdown_IsCutToTheLimit_AndCountsWhatIsLeftOut()
    {
        var findings = Enumerable.Range(0, 2000).Select(i => MlEnvironmentsModelFactory.DriftFinding(DriftKind.SettingChanged, "env" + i, "variable V" + i, "a|b", "<c>"));
        var report = MlEnvironmentsModelFactory.DriftReport(Repo, findings);

        var body = DriftIssueFiler.Body(report);

        Assert.True(body.Length <= GitHubIssue.MaxBodyLength, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("more findings: run `mlenv drift`", body);
        Assert.Contains("`<c>`", body); // inside a code span: shown, never HTML
    }

    [Fact]
    public async Task Filer_OpensUpdatesAndCloses_OneIssue()
    {
        var github = new InMemoryGitHub().AddRepository(Repo);
        var filer = new DriftIssueFiler(github);
        var drift = MlEnvironmentsModelFactory.DriftReport(Repo, [MlEnvironmentsModelFactory.DriftFinding(DriftKind.EnvironmentMissing, "prod", "environment")]);
        var more = MlEnvironmentsModelFactory.DriftReport(Repo, [.. drift.Findings, MlEnvironmentsModelFactory.DriftFinding(DriftKind.SecretMissing, "prod", "secret T")]);

        Assert.Equal(DriftIssueAction.None, (await filer.FileAsync(MlEnvironmentsModelFactory.DriftReport(Repo))).Action);
        Assert.Equal(DriftIssueAction.Opened, (await filer.FileAsync(drift)).Action);
        Assert.Equal(DriftIssueAction.Unchanged, (await filer.FileAsync(drift)).Action);
        Assert.Equal(DriftIssueAction.Updated, (await filer.FileAsync(more)).Action);
        Assert.Equal(DriftIssueAction.Closed, (await filer.FileAsync(MlEnvironmentsModelFactory.DriftReport(Repo))).Action);
        var issue = Assert.Single(github.GetIssues(Repo));
        Assert.False(issue.IsOpen);
        Assert.Contains("secret T", issue.Body);
    }
}
