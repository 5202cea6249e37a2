using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

public sealed class GitHubEmulatorAuthenticationTests : EmulatorTestBase, IDisposable
{
    private const string Pat = "ghp_test_token_1234567890";
    private const long AppId = 31337;
    private const long InstallationId = 4242;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RepositoryId OtherRepo = RepositoryId.Parse("octo-org/other");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RSA _appKey = RSA.Create(2048);

    protected override GitHubEmulatorOptions Options
    {
        get
        {
            var options = new GitHubEmulatorOptions { TimeProvider = _time, InstallationTokenLifetime = TimeSpan.FromMinutes(30) };
            options.AcceptedTokens.Add(Pat);
            return options;
        }
    }

    public void Dispose() => _appKey.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string ValidJwt() => SignJwt(_appKey, AppId, Now - 60, Now + 540);

    [Fact]
    public async Task AcceptedTokens_BearerOrToken_ElseBadCredentials()
    {
        GitHub.Seed(Repo, Environment("prod"));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(EnvPath("prod"), NewClient(token: Pat))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(EnvPath("prod"), NewClient(token: Pat, scheme: "token"))).StatusCode);
        Assert.Equal("Bad credentials", await ReadErrorAsync(await GetAsync(EnvPath("prod"), NewClient(token: "ghp_wrong")), HttpStatusCode.Unauthorized));
        Assert.Equal("Bad credentials", await ReadErrorAsync(await GetAsync(EnvPath("prod")), HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(EnvPath("prod"), NewClient(token: ValidJwt()))).StatusCode);

        Assert.DoesNotContain(Emulator.Requests, r => r.ToString().Contains(Pat, StringComparison.Ordinal) || r.ToString().Contains("ghp_wrong", StringComparison.Ordinal));
        Assert.Equal([200, 200, 401, 401, 401], Emulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task AppJwt_GetsTheRepositoryInstallation_AndAnInstallationToken_ThatWorksUntilItExpires()
    {
        Emulator.RegisterApp(AppId, _appKey, InstallationId, Repo);
        GitHub.Seed(Repo, Environment("prod"));
        var app = NewClient(token: ValidJwt());

        var installation = await ReadConformingAsync(await GetAsync($"repos/{Repo}/installation", app), "apps/get-repo-installation");
        Assert.Equal((InstallationId, AppId), (installation.GetProperty("id").GetInt64(), installation.GetProperty("app_id").GetInt64()));
        Assert.Equal(Emulator.BaseAddress + $"app/installations/{InstallationId}/access_tokens", installation.GetProperty("access_tokens_url").GetString());

        var created = await SendAsync(HttpMethod.Post, $"app/installations/{InstallationId}/access_tokens", null, app);
        var body = await ReadConformingAsync(created, "apps/create-installation-access-token", HttpStatusCode.Created);
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("ghs_", token, StringComparison.Ordinal);
        Assert.Equal(Start.AddMinutes(30), DateTimeOffset.Parse(body.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("write", body.GetProperty("permissions").GetProperty("environments").GetString());

        var installationClient = NewClient(token: token, scheme: "token");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(EnvPath("prod"), installationClient)).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("Bad credentials", await ReadErrorAsync(await GetAsync(EnvPath("prod"), installationClient), HttpStatusCode.Unauthorized));
        Assert.DoesNotContain(Emulator.Requests, r => r.ToString().Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstallationToken_ReachesOnlyItsRepositories()
    {
        Emulator.RegisterApp(AppId, _appKey, InstallationId, Repo, OtherRepo);
        GitHub.Seed(Repo, Environment("prod")).Seed(OtherRepo, Environment("prod"));
        var app = NewClient(token: ValidJwt());

        var body = await ReadConformingAsync(
            await SendAsync(HttpMethod.Post, $"app/installations/{InstallationId}/access_tokens", """{"repositories": ["credit-risk"]}""", app),
            "apps/create-installation-access-token", HttpStatusCode.Created);
        var client = NewClient(token: body.GetProperty("token").GetString());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(EnvPath("prod"), client)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"repos/{OtherRepo}/environments/prod", client)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await SendAsync(HttpMethod.Post, $"app/installations/{InstallationId}/access_tokens", """{"repositories": ["not-installed"]}""", app)).StatusCode);
    }

    [Fact]
    public async Task AppEndpoints_RefuseBadJwts()
    {
        Emulator.RegisterApp(AppId, _appKey.ExportSubjectPublicKeyInfoPem(), InstallationId, Repo);
        using var otherKey = RSA.Create(2048);
        var path = $"app/installations/{InstallationId}/access_tokens";

        async Task<string> RefusedAsync(string? jwt)
        {
            var response = await SendAsync(HttpMethod.Post, path, null, jwt is null ? Http : NewClient(token: jwt));
            return await ReadErrorAsync(response, HttpStatusCode.Unauthorized);
        }

        Assert.Equal("A JSON web token could not be decoded", await RefusedAsync(null));
        Assert.Equal("A JSON web token could not be decoded", await RefusedAsync(Pat));
        Assert.Equal("A JSON web token could not be decoded", await RefusedAsync(SignJwt(otherKey, AppId, Now - 60, Now + 540)));
        Assert.Equal("A JSON web token could not be decoded", await RefusedAsync(SignJwt(_appKey, AppId, Now - 60, Now + 540, alg: "RS512")));
        Assert.Equal("Integration not found", await RefusedAsync(SignJwt(_appKey, 999, Now - 60, Now + 540)));
        Assert.Contains("too far in the future", await RefusedAsync(SignJwt(_appKey, AppId, Now, Now + 660)), StringComparison.Ordinal);
        Assert.Contains("'exp'", await RefusedAsync(SignJwt(_appKey, AppId, Now - 700, Now - 100)), StringComparison.Ordinal);

        // iss may also be sent as a string; a JWT is not accepted for another installation.
        var jwt = SignJwt(_appKey, AppId.ToString(CultureInfo.InvariantCulture), Now - 60, Now + 540);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, path, null, NewClient(token: jwt))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "app/installations/1/access_tokens", null, NewClient(token: jwt))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("repos/octo-org/not-installed/installation", NewClient(token: jwt))).StatusCode);
    }

    [Fact]
    public async Task WithoutAcceptedTokens_NoAuthenticationIsNeeded_ButAppEndpointsStillWantAJwt()
    {
        await using var open = await GitHubEmulator.StartAsync();
        open.State.AddRepository(Repo);
        using var client = new HttpClient { BaseAddress = open.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"repos/{Repo}/environments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"repos/{Repo}/installation")).StatusCode);
    }
}
