using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace MlEnvironments.GitHub.Tests;

public class AuthenticationTests
{
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/credit-risk");

    private static (GitHubAppTokenProvider Provider, ScriptedHandler Handler, FakeTimeProvider Time, RSA Key) App(long? installationId = null)
    {
        var key = RSA.Create(2048);
        var handler = new ScriptedHandler();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://api.github.test/") };
        var provider = new GitHubAppTokenProvider(4242, installationId, SecretValue.FromValue(key.ExportRSAPrivateKeyPem()),
            new DefaultSecretValueResolver(), http, time);
        return (provider, handler, time, key);
    }

    [Fact]
    public async Task AppJwt_IsRs256_IssuedByTheApp_AndValidForUnderTenMinutes()
    {
        var (provider, _, time, key) = App();

        var jwt = await provider.CreateJwtAsync(CancellationToken.None);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("4242", payload.RootElement.GetProperty("iss").GetString());
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var iat = payload.RootElement.GetProperty("iat").GetInt64();
        var exp = payload.RootElement.GetProperty("exp").GetInt64();
        Assert.True(iat <= now && exp > now && exp - iat <= 600, $"iat {iat}, exp {exp}, now {now}");
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task InstallationToken_IsFoundPerRepository_Cached_AndRefreshedBeforeItExpires()
    {
        var (provider, handler, time, _) = App();
        var expires = time.GetUtcNow().AddHours(1);
        handler
            .Then(HttpStatusCode.OK, """{"id":77}""")
            .Then(HttpStatusCode.Created, $$"""{"token":"ghs_first","expires_at":"{{expires:O}}"}""")
            .Then(HttpStatusCode.Created, $$"""{"token":"ghs_second","expires_at":"{{expires.AddHours(1):O}}"}""");

        var first = await provider.GetTokenAsync(Repo);
        var cached = await provider.GetTokenAsync(Repo);
        time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await provider.GetTokenAsync(Repo);

        Assert.Equal(("ghs_first", "ghs_first", "ghs_second"), (first, cached, refreshed));
        Assert.Equal(["GET /repos/octo-org/credit-risk/installation", "POST /app/installations/77/access_tokens", "POST /app/installations/77/access_tokens"],
            handler.Requests.Select(r => $"{r.Method} {r.Uri.AbsolutePath}"));
        Assert.All(handler.Requests, r => Assert.StartsWith("Bearer ey", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task AMissingPrivateKey_SaysWhereItWasLookedFor()
    {
        var provider = new GitHubAppTokenProvider(1, 2, SecretValue.FromEnvironmentVariable("MLENV_TEST_NO_SUCH_KEY_VARIABLE"),
            new DefaultSecretValueResolver(), new HttpClient(new ScriptedHandler()), TimeProvider.System);

        var error = await Assert.ThrowsAsync<GitHubAuthenticationException>(() => provider.GetTokenAsync(Repo).AsTask());

        Assert.Contains("MLENV_TEST_NO_SUCH_KEY_VARIABLE", error.Message);
    }

    [Fact]
    public async Task AMissingToken_SaysWhereItWasLookedFor_AndWhichPermissionsItNeeds()
    {
        var provider = new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromEnvironmentVariable("MLENV_TEST_NO_SUCH_TOKEN_VARIABLE"));

        var error = await Assert.ThrowsAsync<GitHubAuthenticationException>(() => provider.GetTokenAsync(Repo).AsTask());

        Assert.Contains("MLENV_TEST_NO_SUCH_TOKEN_VARIABLE", error.Message);
        Assert.Contains("Administration: write", error.Message);
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
