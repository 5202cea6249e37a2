using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MlEnvironments.GitHub.Tests;

/// <summary>
/// Waiting is visible and bounded: a rate-limit or Retry-After wait of 2 seconds or more is logged at Warning (what,
/// how long, until when, never the token), and one longer than MaxRetryDelay fails at once saying so. Redirects with a
/// relative or scheme-relative Location are resolved against the request before the same-origin rule for the token.
/// </summary>
public class WaitsAndRedirectsTests
{
    private const string EmptyVariables = """{"total_count":0,"variables":[]}""";
    private static readonly RepositoryId Repo = ScriptedGitHub.Repo;

    [Fact]
    public async Task ARetryAfterWait_IsLoggedAtWarning_WithHowLongAndUntilWhen()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        using var github = new ScriptedGitHub(loggers: loggers);
        github.Handler
            .Then(HttpStatusCode.TooManyRequests, """{"message":"You have exceeded a secondary rate limit."}""", ("Retry-After", "30"))
            .Then(HttpStatusCode.OK, EmptyVariables);

        await github.RunAsync(github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

        var wait = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 103);
        Assert.Equal(LogLevel.Warning, wait.Level);
        Assert.Contains("00:00:30", wait.Message);
        Assert.Contains("until 2026-11-29 10:00:30Z", wait.Message);
        Assert.Contains("/repos/octo-org/credit-risk/environments/prod/variables", wait.Message);
        Assert.Contains("Retry-After", wait.Message);
        Assert.DoesNotContain(ScriptedGitHub.Token, string.Join("\n", logs.GetSnapshot().Select(r => r.Message)));
    }

    [Fact]
    public async Task AWaitLongerThanMaxRetryDelay_FailsAtOnce_SayingWhatHowLongAndUntilWhen()
    {
        using var github = new ScriptedGitHub(o => o.MaxRetryDelay = TimeSpan.FromMinutes(1));
        github.Handler.Then(HttpStatusCode.TooManyRequests, """{"message":"You have exceeded a secondary rate limit."}""", ("Retry-After", "600"), ("X-GitHub-Request-Id", "RQ:1"));

        var error = await Assert.ThrowsAsync<GitHubRateLimitException>(() => github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"));

        Assert.Single(github.Handler.Requests);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal("RQ:1", error.RequestId);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 10, 0, TimeSpan.Zero), error.ResetsAt);
        Assert.Contains("10 min 0 s", error.Message);
        Assert.Contains("until 2026-11-29 10:10:00Z", error.Message);
        Assert.Contains("MaxRetryDelay", error.Message);
        Assert.Contains("actions/list-environment-variables", error.Operation);
        Assert.DoesNotContain(ScriptedGitHub.Token, error.ToString());
    }

    [Fact]
    public async Task SpacingNearThePrimaryLimit_IsLoggedAtWarning_AndBoundedByMaxRetryDelay()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        using var github = new ScriptedGitHub(o => o.MaxRetryDelay = TimeSpan.FromMinutes(3), loggers);
        var reset = github.Time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        github.Handler
            .Then(HttpStatusCode.OK, EmptyVariables, ("x-ratelimit-remaining", "5"), ("x-ratelimit-reset", reset))
            .Then(HttpStatusCode.OK, EmptyVariables, ("x-ratelimit-remaining", "1"), ("x-ratelimit-reset", reset));

        await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await github.RunAsync(github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(3));

        // 5 left for 10 minutes: one request every 100 s, announced before the wait.
        var paced = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 104);
        Assert.Equal(LogLevel.Warning, paced.Level);
        Assert.Contains("00:01:40", paced.Message);
        Assert.Contains("until 2026-11-29 10:01:40Z", paced.Message);
        Assert.Contains("5 requests left", paced.Message);

        // 1 left for the 8 min 20 s remaining: a wait of 4 min 10 s, over MaxRetryDelay (3 min), fails instead of sleeping.
        var error = await Assert.ThrowsAsync<GitHubRateLimitException>(() => github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"));
        Assert.Contains("MaxRetryDelay", error.Message);
        Assert.Contains("until", error.Message);
        Assert.Equal(2, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task OctokitsHundredSecondRequestTimeout_DoesNotCutAWaitShort()
    {
        // Octokit gives every request 100 s on the real clock; the handler chain's waits (rate limits) can be longer.
        var inner = new CapturingHttpClient();
        using var client = new MlEnvironments.GitHub.Http.NoRequestTimeoutHttpClient(inner);

        await client.Send(new Octokit.Internal.Request { Timeout = TimeSpan.FromSeconds(100) }, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, inner.Seen?.Timeout);
    }

    private sealed class CapturingHttpClient : Octokit.Internal.IHttpClient
    {
        public Octokit.Internal.IRequest? Seen { get; private set; }

        public Task<Octokit.IResponse> Send(Octokit.Internal.IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
        {
            Seen = request;
            return Task.FromResult<Octokit.IResponse>(null!);
        }

        public void SetRequestTimeout(TimeSpan timeout)
        {
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task AShortRetry_IsNotAnnouncedAsAWait()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        using var github = new ScriptedGitHub(loggers: loggers);
        github.Handler.Then(HttpStatusCode.BadGateway, "").Then(HttpStatusCode.OK, EmptyVariables);

        await github.RunAsync(github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id is 103 or 104);
    }

    [Theory]
    [InlineData("/repos/octo-org/credit-risk/environments/renamed/variables", "https://api.github.test/repos/octo-org/credit-risk/environments/renamed/variables", true)]
    [InlineData("../renamed/variables", "https://api.github.test/repos/octo-org/credit-risk/environments/renamed/variables", true)]
    [InlineData("//elsewhere.test/variables", "https://elsewhere.test/variables", false)]
    [InlineData("https://elsewhere.test/variables", "https://elsewhere.test/variables", false)]
    public async Task ARedirect_IsResolvedAgainstTheRequest_AndTheTokenGoesOnlyToTheApiHost(string location, string followed, bool withToken)
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.MovedPermanently, null, ("Location", location))
            .Then(HttpStatusCode.OK, EmptyVariables);

        var variables = await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Empty(variables);
        Assert.Equal(2, github.Handler.Requests.Count);
        var second = github.Handler.Requests[1];
        Assert.Equal(followed, second.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(withToken, second.Headers.TryGetValue("Authorization", out var auth) && auth.Contains(ScriptedGitHub.Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://elsewhere.test/variables")]
    [InlineData("file:///etc/passwd")]
    public async Task ARedirectToSomethingElseThanHttp_FailsWithAGitHubException(string location)
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Found, null, ("Location", location));

        var error = await Assert.ThrowsAsync<GitHubException>(() => github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"));

        Assert.Equal(302, error.StatusCode);
        Assert.Contains("not an http(s) URL", error.Message);
        Assert.Single(github.Handler.Requests);
    }
}
