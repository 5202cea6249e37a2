using MlEnvironments.GitHub;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary><c>mlenv drift --open-issues</c> as a separate process against the loopback GitHub emulator.</summary>
public class DriftEndToEndTests
{
    private const string ReadToken = "ghp_drift_read_only_token_51c0";
    private const string IssuesToken = "ghs_drift_issues_token_8e22";
    private const string SecretValue = "model-token-never-printed-3391";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/drift-e2e");

    [Fact]
    public async Task Drift_NoneThenFoundThenUpdatedThenFixed_OpensUpdatesAndClosesOneIssue()
    {
        var state = new InMemoryGitHub();
        state.GrantAccess(Repo, User("ana")).GrantAccess(Repo, User("bo"));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(ReadToken);
        options.AcceptedTokens.Add(IssuesToken);
        await using var github = await GitHubEmulator.StartAsync(state, options);
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository(Repo,
            Environment("staging").AllowBranches("main"),
            Environment("prod").RequireReviewers(User("ana"), User("bo"))
                .WithSecret("MODEL_TOKEN", MlEnvironments.SecretValue.FromConfiguration("Secrets:ModelToken")))));
        mlenv.Environment["GITHUB_TOKEN"] = ReadToken;
        mlenv.Environment["MLENV_ISSUES_TOKEN"] = IssuesToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
        mlenv.Environment["Secrets__ModelToken"] = SecretValue;

        var apply = await mlenv.RunAsync("apply", "--auto-approve");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // No drift: exit code 0, and no issue.
        var clean = await mlenv.RunAsync("drift", "--open-issues");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.True(clean.Output.Contains("No drift", StringComparison.Ordinal), clean.ToString());
        Assert.Empty(state.GetIssues(Repo));

        // Drift made outside the definition: a reviewer removed, an undeclared unprotected environment, a secret deleted.
        var ana = state.AddUser("ana");
        await state.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings { Reviewers = [new GitHubReviewerReference(ReviewerKind.User, ana)] });
        await state.CreateOrUpdateEnvironmentAsync(Repo, "preview", new GitHubEnvironmentSettings());
        await state.DeleteEnvironmentSecretAsync(Repo, "prod", "MODEL_TOKEN");

        var found = await mlenv.RunAsync("drift", "--open-issues");
        Assert.True(found.ExitCode == 4, found.ToString());
        Assert.True(found.Output.Contains("environment \"prod\": reviewers: declared [user:ana, user:bo]; actual [user:ana]", StringComparison.Ordinal), found.ToString());
        Assert.True(found.Output.Contains("environment \"preview\": not declared, and has no protection rules at all", StringComparison.Ordinal), found.ToString());
        Assert.True(found.Output.Contains("environment \"prod\": secret MODEL_TOKEN is declared but missing", StringComparison.Ordinal), found.ToString());
        Assert.True(found.Output.Contains("Opened drift issue #1", StringComparison.Ordinal), found.ToString());
        var opened = Assert.Single(state.GetIssues(Repo));
        Assert.True(opened.IsOpen);
        Assert.Contains("<!-- mlenv-drift octo-org/drift-e2e -->", opened.Body);
        Assert.Contains("`preview`", opened.Body);
        Assert.Contains("secret MODEL_TOKEN", opened.Body);

        // Drift changes: the same issue is updated, no second one is opened.
        var anaAndTimer = new GitHubEnvironmentSettings { WaitTimer = TimeSpan.FromMinutes(5), BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns };
        await state.CreateOrUpdateEnvironmentAsync(Repo, "staging", anaAndTimer);
        var markdown = await mlenv.RunAsync("drift", "--open-issues", "--output", "markdown");
        Assert.True(markdown.ExitCode == 4, markdown.ToString());
        Assert.StartsWith("### Drift check of `octo-org/drift-e2e`", markdown.Output.TrimStart());
        Assert.True(markdown.Error.Contains("Updated drift issue #1", StringComparison.Ordinal), markdown.ToString());
        var updated = Assert.Single(state.GetIssues(Repo));
        Assert.True(updated.IsOpen);
        Assert.Contains("wait timer", updated.Body);

        // Run again with nothing new: still one issue, not rewritten.
        var same = await mlenv.RunAsync("drift", "--open-issues", "--output", "json");
        Assert.True(same.ExitCode == 4, same.ToString());
        Assert.True(same.Output.Contains("\"hasDrift\": true", StringComparison.Ordinal), same.ToString());
        Assert.True(same.Error.Contains("Unchanged drift issue #1", StringComparison.Ordinal), same.ToString());
        Assert.Single(state.GetIssues(Repo));

        // Fixed: apply the definition again and remove the stray environment; the issue is closed with a comment.
        var fix = await mlenv.RunAsync("apply", "--auto-approve");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        await state.DeleteEnvironmentAsync(Repo, "preview");
        var fixedRun = await mlenv.RunAsync("drift", "--open-issues");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.True(fixedRun.Output.Contains("Closed drift issue #1", StringComparison.Ordinal), fixedRun.ToString());
        var closed = Assert.Single(state.GetIssues(Repo));
        Assert.False(closed.IsOpen);
        Assert.Contains("No drift any more", Assert.Single(state.GetIssueComments(Repo, 1)));

        Assert.Empty(github.SchemaViolations);
        Assert.Empty(github.UnmatchedRequests);
        foreach (var run in new[] { clean, found, markdown, same, fixedRun })
        {
            Assert.DoesNotContain(SecretValue, run.All);
            Assert.DoesNotContain(ReadToken, run.All);
            Assert.DoesNotContain(IssuesToken, run.All);
        }

        Assert.DoesNotContain(SecretValue, updated.Body);
    }
}
