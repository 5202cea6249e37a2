using System.Text;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary>The per-user HTTP cache of <c>mlenv</c>: separate processes against the loopback GitHub emulator.</summary>
public class HttpCacheTests
{
    private const string Token = "ghp_cli_cache_token_1b2c3d9e";
    private const string OtherToken = "ghp_cli_cache_other_token_4e5f6a";
    private const string SecretText = "cli-cache-secret-never-stored-8842";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/cli-cache");

    private static async Task<GitHubEmulator> StartAsync()
    {
        var state = new InMemoryGitHub();
        state.AddRepository(Repo).GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(Token);
        options.AcceptedTokens.Add(OtherToken);
        return await GitHubEmulator.StartAsync(state, options);
    }

    /// <summary>A tool folder with the definition written, pointed at the emulator, and the definition applied (by a process with no cache).</summary>
    private static async Task<Mlenv> AppliedAsync(GitHubEmulator github)
    {
        var mlenv = new Mlenv();
        mlenv.Environment["GITHUB_TOKEN"] = Token;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
        mlenv.Environment["CACHE_TEST_SECRET"] = SecretText;
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository(Repo,
            Environment("dev").WithVariable("MODEL_NAME", "credit-risk").WithSecret("DEV_TOKEN", SecretValue.FromEnvironmentVariable("CACHE_TEST_SECRET")),
            Environment("staging").RequireReviewers(Team("ml-leads")).AllowBranches("main", "release/*"),
            Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(30)).PreventSelfReview()
                .WithVariable("MIN_AUC", "0.85").WithSecret("REGISTRY_TOKEN", SecretValue.FromEnvironmentVariable("CACHE_TEST_SECRET")))));
        var apply = await mlenv.RunAsync("apply", "--auto-approve", "--no-http-cache");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        return mlenv;
    }

    private static async Task<List<EmulatorRequest>> PlanAsync(Mlenv mlenv, GitHubEmulator github, params string[] extra)
    {
        var before = github.Requests.Count;
        var plan = await mlenv.RunAsync(["plan", .. extra]);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("No changes.", plan.Output);
        return [.. github.Requests.Skip(before)];
    }

    private static int NotModified(List<EmulatorRequest> requests) => requests.Count(r => r.StatusCode == 304);

    [Fact]
    public async Task ASecondPlanProcess_IsAnsweredAtLeast90PercentBy304s_FromAUserOnlyCacheWithNoSecretInIt()
    {
        await using var github = await StartAsync();
        using var mlenv = await AppliedAsync(github);
        var directory = mlenv.Environment["MLENV_HTTP_CACHE_DIR"];

        var first = await PlanAsync(mlenv, github);
        var second = await PlanAsync(mlenv, github);

        Assert.Equal(0, NotModified(first));
        Assert.True(second.Count >= 8, $"{second.Count} requests");
        Assert.True(NotModified(second) >= 0.9 * second.Count, $"{NotModified(second)} of {second.Count} answered 304");

        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        var directories = Directory.GetDirectories(directory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var partition = Assert.Single(directories);
        foreach (var path in files.Concat(directories))
        {
            var text = File.Exists(path) ? Encoding.UTF8.GetString(File.ReadAllBytes(path)) : string.Empty;
            foreach (var needle in new[] { SecretText, Token })
            {
                Assert.DoesNotContain(needle, text, StringComparison.Ordinal);
                Assert.DoesNotContain(needle, path, StringComparison.Ordinal);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(partition));
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task AnotherToken_GetsItsOwnFolder_AndNo304FromTheFirstTokensCopies()
    {
        await using var github = await StartAsync();
        using var mlenv = await AppliedAsync(github);
        var directory = mlenv.Environment["MLENV_HTTP_CACHE_DIR"];

        await PlanAsync(mlenv, github);
        mlenv.Environment.Remove("GITHUB_TOKEN");
        mlenv.Environment["GH_TOKEN"] = OtherToken;
        var other = await PlanAsync(mlenv, github);
        var otherAgain = await PlanAsync(mlenv, github);

        Assert.Equal(0, NotModified(other));
        Assert.True(NotModified(otherAgain) >= 0.9 * otherAgain.Count, $"{NotModified(otherAgain)} of {otherAgain.Count} answered 304");
        Assert.Equal(2, Directory.GetDirectories(directory).Length);
    }

    [Fact]
    public async Task TheFlagAndTheVariable_TurnTheCacheOff_AndTheDefaultFolderFollowsXdg()
    {
        await using var github = await StartAsync();
        using var mlenv = await AppliedAsync(github);
        var directory = mlenv.Environment["MLENV_HTTP_CACHE_DIR"];

        var flagged = new[] { await PlanAsync(mlenv, github, "--no-http-cache"), await PlanAsync(mlenv, github, "--no-http-cache") };
        Assert.False(Directory.Exists(directory));
        mlenv.Environment["MLENV_NO_HTTP_CACHE"] = "1";
        var variable = new[] { await PlanAsync(mlenv, github), await PlanAsync(mlenv, github) };
        Assert.False(Directory.Exists(directory));
        Assert.All(flagged.Concat(variable), requests => Assert.Equal(0, NotModified(requests)));

        // An explicit flag wins over the variable: --no-http-cache false keeps the cache.
        await PlanAsync(mlenv, github, "--no-http-cache", "false");
        Assert.True(Directory.Exists(directory));

        // Without MLENV_HTTP_CACHE_DIR: ${XDG_CACHE_HOME}/mlenv/http, else $HOME/.cache/mlenv/http.
        mlenv.Environment.Remove("MLENV_NO_HTTP_CACHE");
        mlenv.Environment.Remove("MLENV_HTTP_CACHE_DIR");
        mlenv.Environment["XDG_CACHE_HOME"] = mlenv.PathOf("xdg");
        mlenv.Environment["HOME"] = mlenv.PathOf("home");
        await PlanAsync(mlenv, github);
        Assert.NotEmpty(Directory.GetFiles(mlenv.PathOf(Path.Combine("xdg", "mlenv", "http")), "*.entry", SearchOption.AllDirectories));
        mlenv.Environment.Remove("XDG_CACHE_HOME");
        await PlanAsync(mlenv, github);
        Assert.NotEmpty(Directory.GetFiles(mlenv.PathOf(Path.Combine("home", ".cache", "mlenv", "http")), "*.entry", SearchOption.AllDirectories));

        mlenv.Environment["MLENV_HTTP_CACHE_DIR"] = "relative/cache";
        var relative = await mlenv.RunAsync("plan");
        Assert.Equal(1, relative.ExitCode);
        Assert.Contains("MLENV_HTTP_CACHE_DIR is not an absolute path", relative.Error);
    }
}
