using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>Starts an emulator per test and talks to it with a plain <see cref="HttpClient"/>.</summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    protected static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/credit-risk");

    private readonly List<HttpClient> _clients = [];
    private GitHubEmulator? _emulator;

    protected GitHubEmulator Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

    protected InMemoryGitHub GitHub => Emulator.State;

    protected HttpClient Http { get; private set; } = null!;

    protected virtual GitHubEmulatorOptions? Options => null;

    protected virtual InMemoryGitHub CreateState() => new();

    public async Task InitializeAsync()
    {
        var state = CreateState();
        state.AddRepository(Repo);
        _emulator = await GitHubEmulator.StartAsync(state, Options);
        Http = NewClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>A client on the emulator; <paramref name="followRedirects"/> false to see 303s.</summary>
    protected HttpClient NewClient(bool followRedirects = true, string? token = null, string scheme = "Bearer")
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseProxy = false }) { BaseAddress = Emulator.BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MlEnvironments-tests/1.0");
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        _clients.Add(client);
        return client;
    }

    protected static string EnvPath(string environment, string rest = "") =>
        $"repos/{Repo}/environments/{Uri.EscapeDataString(environment)}{rest}";

    protected static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    protected Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = JsonBody(json);
        }

        return (client ?? Http).SendAsync(request);
    }

    protected Task<HttpResponseMessage> GetAsync(string path, HttpClient? client = null) => SendAsync(HttpMethod.Get, path, null, client);

    /// <summary>Reads a JSON body and checks it against the spec's response schema of the operation and status.</summary>
    protected static async Task<JsonElement> ReadConformingAsync(HttpResponseMessage response, string operationId, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        AssertConforms(body, operationId, (int)expected);
        return body;
    }

    protected static void AssertConforms(JsonElement body, string operationId, int status)
    {
        var schema = OpenApiDescription.Default[operationId].ResponseSchema(status);
        Assert.True(schema.HasValue, $"The spec has no {status} schema for {operationId}.");
        var errors = JsonSchemaValidator.Validate(schema.Value, body);
        Assert.True(errors.Count == 0, $"{operationId} {status} does not conform: " + string.Join("; ", errors));
    }

    /// <summary>Reads GitHub's error body and checks its shape.</summary>
    protected static async Task<string> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("https://docs.github.com/", body.GetProperty("documentation_url").GetString());
        return body.GetProperty("message").GetString()!;
    }

    protected static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    /// <summary>An App JWT signed by hand: RS256 over base64url(header).base64url(payload).</summary>
    protected static string SignJwt(RSA key, object issuer, long issuedAt, long expiresAt, string alg = "RS256")
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var iss = issuer is string s ? JsonSerializer.Serialize(s) : Convert.ToString(issuer, System.Globalization.CultureInfo.InvariantCulture);
        var header = B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}"));
        var payload = B64(Encoding.UTF8.GetBytes($"{{\"iat\":{issuedAt},\"exp\":{expiresAt},\"iss\":{iss}}}"));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }
}
