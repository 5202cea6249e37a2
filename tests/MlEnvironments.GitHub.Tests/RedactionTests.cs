using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MlEnvironments.GitHub.Http;

namespace MlEnvironments.GitHub.Tests;

/// <summary>Tokens and secret values never reach logs or exceptions, even when requests fail and are retried.</summary>
public class RedactionTests
{
    [Fact]
    public async Task RetriesAndFailures_LogAndThrowWithoutTheTokenOrTheSecret()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var handler = new ScriptedHandler();
        var keyPair = Sodium.PublicKeyBox.GenerateKeyPair();
        handler
            .Then(HttpStatusCode.OK, $$"""{"key_id":"1","key":"{{Convert.ToBase64String(keyPair.PublicKey)}}"}""")
            .Then(HttpStatusCode.TooManyRequests, """{"message":"You have exceeded a secondary rate limit."}""", ("Retry-After", "0"))
            .Then(HttpStatusCode.BadGateway, "")
            .Then(HttpStatusCode.Forbidden, """{"message":"Resource not accessible by personal access token"}""");
        var options = new GitHubOptions { BaseAddress = new Uri("https://api.github.test/"), WritePause = TimeSpan.Zero };
        using var connection = new GitHubConnection(options, new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(ScriptedGitHub.Token)),
            TimeProvider.System, new GitHubRequestCounters(), loggers, () => handler);
        var secrets = new GitHubSecretClient(connection);

        var error = await Assert.ThrowsAsync<GitHubException>(() =>
            secrets.SetEnvironmentSecretAsync(ScriptedGitHub.Repo, "prod", "AZURE_CREDENTIALS", "secret-value-in-no-log"));

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("Administration: write", error.Message);
        var everything = string.Join("\n", collector.GetSnapshot().Select(r => r.Message + " " + r.Exception)) + "\n" + error;
        Assert.Contains(collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.DoesNotContain(ScriptedGitHub.Token, everything);
        Assert.DoesNotContain("secret-value-in-no-log", everything);
    }
}
