using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary>A wait for a rate limit is shown on the terminal: what, how long and until when.</summary>
public class WaitVisibilityTests
{
    private const string GitHubToken = "ghp_cli_wait_visibility_token_51b0";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/cli-waits");

    [Fact]
    public async Task Plan_WaitingOutASecondaryRateLimit_SaysSoOnStandardError()
    {
        var state = new InMemoryGitHub();
        state.Seed(Repo, Environment("staging").AllowBranches("main"));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(GitHubToken);
        await using var github = await GitHubEmulator.StartAsync(state, options);
        using var mlenv = new Mlenv();
        mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
        var init = await mlenv.RunAsync("init", "--repository", Repo.ToString(), "--import");
        Assert.True(init.ExitCode == 0, init.ToString());

        github.RateLimits.ExceedSecondaryLimit(count: 1, retryAfterSeconds: 3);
        var plan = await mlenv.RunAsync("plan");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var warning = Assert.Single(plan.Error.Split('\n'), line => line.Contains("warning: Waiting", StringComparison.Ordinal));
        Assert.Contains("until", warning, StringComparison.Ordinal);
        Assert.Contains("00:00:03", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, plan.All, StringComparison.Ordinal);
    }
}
