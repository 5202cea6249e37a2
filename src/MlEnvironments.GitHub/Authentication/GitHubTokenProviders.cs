using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;

namespace MlEnvironments.GitHub;

/// <summary>Authentication could not be set up; the message says what is missing and never contains a credential.</summary>
public sealed class GitHubAuthenticationException : MlEnvironmentsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing and how to provide it.</param>
    public GitHubAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is missing and how to provide it.</param>
    /// <param name="innerException">The cause.</param>
    public GitHubAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A token read through a <see cref="SecretValue"/> (environment variable, configuration key or literal) on every request.</summary>
public sealed class SecretTokenProvider : IGitHubTokenProvider
{
    private readonly SecretValue[] _sources;
    private readonly ISecretValueResolver _resolver;

    /// <summary>Creates the provider; the first source with a value wins.</summary>
    /// <param name="resolver">Resolves the sources.</param>
    /// <param name="sources">Where the token is, in order of preference.</param>
    public SecretTokenProvider(ISecretValueResolver resolver, params SecretValue[] sources)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0)
        {
            throw new ArgumentException("At least one source is needed.", nameof(sources));
        }

        _resolver = resolver;
        _sources = sources;
    }

    /// <inheritdoc />
    public async ValueTask<string> GetTokenAsync(RepositoryId? repository, CancellationToken cancellationToken = default)
    {
        foreach (var source in _sources)
        {
            var token = await _resolver.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(token))
            {
                return token.Trim();
            }
        }

        throw new GitHubAuthenticationException(
            "No GitHub token was found in " + string.Join(" or ", Array.ConvertAll(_sources, Describe)) +
            ". Set it (a fine-grained token needs Administration: write, Environments: write, Actions: read and Deployments: write on the repository).");
    }

    internal static string Describe(SecretValue source) => source.Source switch
    {
        SecretSource.EnvironmentVariable => $"the environment variable {source.Reference}",
        SecretSource.Configuration => $"the configuration key {source.Reference}",
        _ => "the value given",
    };
}

/// <summary>
/// GitHub App authentication: an RS256 JWT signed with the App's private key is exchanged for an installation token
/// (found per repository unless an installation id is configured), cached and refreshed five minutes before it expires.
/// </summary>
public sealed class GitHubAppTokenProvider : IGitHubTokenProvider, IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly long _appId;
    private readonly long? _installationId;
    private readonly SecretValue _privateKey;
    private readonly ISecretValueResolver _resolver;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<RepositoryId, long> _installations = new();
    private readonly ConcurrentDictionary<long, (string Token, DateTimeOffset ExpiresAt)> _tokens = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);

    internal GitHubAppTokenProvider(
        long appId,
        long? installationId,
        SecretValue privateKey,
        ISecretValueResolver resolver,
        HttpClient http,
        TimeProvider time)
    {
        _appId = appId;
        _installationId = installationId;
        _privateKey = privateKey;
        _resolver = resolver;
        _http = http;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<string> GetTokenAsync(RepositoryId? repository, CancellationToken cancellationToken = default)
    {
        var installation = _installationId ?? await FindInstallationAsync(repository, cancellationToken).ConfigureAwait(false);
        if (_tokens.TryGetValue(installation, out var cached) && cached.ExpiresAt - RefreshMargin > _time.GetUtcNow())
        {
            return cached.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(installation, out cached) && cached.ExpiresAt - RefreshMargin > _time.GetUtcNow())
            {
                return cached.Token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, GitHubPath.Root("app").Literal("installations").Id(installation).Literal("access_tokens").ToString());
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CreateJwtAsync(cancellationToken).ConfigureAwait(false));
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using var document = await ReadAsync(response, "apps/create-installation-access-token", cancellationToken).ConfigureAwait(false);
            var token = document.RootElement.GetProperty("token").GetString()
                ?? throw new GitHubAuthenticationException("GitHub returned an installation token response without a token.");
            var expiresAt = document.RootElement.TryGetProperty("expires_at", out var expires) && expires.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(expires.GetString()!, CultureInfo.InvariantCulture)
                : _time.GetUtcNow().AddHours(1);
            _tokens[installation] = (token, expiresAt);
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Builds the App's JWT: issued a minute ago (clock drift), expiring in nine minutes, signed RS256.</summary>
    /// <param name="cancellationToken">Cancels the key lookup.</param>
    /// <returns>The JWT.</returns>
    internal async Task<string> CreateJwtAsync(CancellationToken cancellationToken)
    {
        var pem = await _resolver.ResolveAsync(_privateKey, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new GitHubAuthenticationException(
                $"The GitHub App's private key was not found in {SecretTokenProvider.Describe(_privateKey)}. Set it to the App's PEM private key.");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new GitHubAuthenticationException(
                $"The GitHub App's private key in {SecretTokenProvider.Describe(_privateKey)} is not a PEM RSA key.", e);
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"iat\":{now - 60},\"exp\":{now + 540},\"iss\":\"{_appId}\"}}")));
        var signingInput = header + "." + payload;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();

    private async Task<long> FindInstallationAsync(RepositoryId? repository, CancellationToken cancellationToken)
    {
        if (repository is not { } repo)
        {
            throw new GitHubAuthenticationException(
                "A GitHub App needs an installation: configure MlEnvironments:GitHub:InstallationId, or call through a repository so that its installation can be found.");
        }

        if (_installations.TryGetValue(repo, out var cached))
        {
            return cached;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get,
            GitHubPath.Repository(repo).Literal("installation").ToString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CreateJwtAsync(cancellationToken).ConfigureAwait(false));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = await ReadAsync(response, "apps/get-repo-installation", cancellationToken).ConfigureAwait(false);
        var id = document.RootElement.GetProperty("id").GetInt64();
        _installations[repo] = id;
        return id;
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = GitHubErrors.MessageOf(body);
            throw new GitHubAuthenticationException(
                $"GitHub refused the App authentication ({operation}, {(int)response.StatusCode}): {message} Check the App id, its private key and that it is installed on the repository.");
        }

        return JsonDocument.Parse(body);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
