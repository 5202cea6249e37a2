using System.Net;
using System.Text;
using Sodium;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

public class GitHubEmulatorSecretsAndVariablesTests : EmulatorTestBase
{
    private async Task<(string KeyId, byte[] Key)> PublicKeyAsync(string environment)
    {
        var body = await ReadConformingAsync(await GetAsync(EnvPath(environment, "/secrets/public-key")), "actions/get-environment-public-key");
        return (body.GetProperty("key_id").GetString()!, Convert.FromBase64String(body.GetProperty("key").GetString()!));
    }

    private static string Seal(string value, byte[] key) =>
        Convert.ToBase64String(SealedPublicKeyBox.Create(Encoding.UTF8.GetBytes(value), key));

    [Fact]
    public async Task PublicKey_IsTheEnvironmentsCurve25519Key_AndStable()
    {
        GitHub.Seed(Repo, Environment("prod"));

        var (keyId, key) = await PublicKeyAsync("prod");
        var again = await PublicKeyAsync("PROD");

        var pair = Emulator.GetEnvironmentSecretKeyPair(Repo, "prod");
        Assert.Equal((pair.KeyId, pair.PublicKeyBase64), (keyId, Convert.ToBase64String(key)));
        Assert.Equal(32, key.Length);
        Assert.Equal(keyId, again.KeyId);
        Assert.NotEqual(pair.PublicKeyBase64, Emulator.GetEnvironmentSecretKeyPair(Repo, "dev").PublicKeyBase64);
        Assert.DoesNotContain(Convert.ToBase64String(pair.GetPrivateKey()), pair.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(EnvPath("staging", "/secrets/public-key"))).StatusCode);
    }

    [Fact]
    public async Task SealedBox_RoundTrip_TheFakeHoldsThePlaintext_201ThenUpdate204()
    {
        GitHub.Seed(Repo, Environment("prod"));
        var (keyId, key) = await PublicKeyAsync("prod");

        var created = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/azure_credentials"), $$"""{"encrypted_value": "{{Seal("s3cr3t-\u00e9", key)}}", "key_id": "{{keyId}}"}""");
        var createdBody = await ReadConformingAsync(created, "actions/create-or-update-environment-secret", HttpStatusCode.Created);
        Assert.Empty(createdBody.EnumerateObject());
        Assert.True(GitHub.GetSecretValue(Repo, "prod", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var plaintext));
        Assert.Equal("s3cr3t-\u00e9", plaintext);

        var updated = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/AZURE_CREDENTIALS"), $$"""{"encrypted_value": "{{Seal("rotated", key)}}", "key_id": "{{keyId}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.True(GitHub.GetSecretValue(Repo, "prod", "azure_credentials")!.TryRevealLiteral(out plaintext));
        Assert.Equal("rotated", plaintext);

        Assert.Contains(GitHub.Calls, c => c.Operation == "actions/create-or-update-environment-secret" && c.Target == "azure_credentials");
        Assert.DoesNotContain(Emulator.Requests, r => r.ToString().Contains("rotated", StringComparison.Ordinal) || r.ToString().Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutSecret_WithAnotherKeyId_OrABoxThatDoesNotOpen_Answers422_AndStoresNothing()
    {
        GitHub.Seed(Repo, Environment("prod"));
        var (keyId, key) = await PublicKeyAsync("prod");
        var otherKey = PublicKeyBox.GenerateKeyPair().PublicKey;

        var wrongKeyId = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/TOKEN"), $$"""{"encrypted_value": "{{Seal("x", key)}}", "key_id": "123"}""");
        Assert.Contains("key_id", await ReadErrorAsync(wrongKeyId, HttpStatusCode.UnprocessableEntity));

        var wrongKey = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/TOKEN"), $$"""{"encrypted_value": "{{Seal("x", otherKey)}}", "key_id": "{{keyId}}"}""");
        Assert.Contains("sealed box", await ReadErrorAsync(wrongKey, HttpStatusCode.UnprocessableEntity));

        var tooShort = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/TOKEN"), $$"""{"encrypted_value": "AAAA", "key_id": "{{keyId}}"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);

        var notBase64 = await SendAsync(HttpMethod.Put, EnvPath("prod", "/secrets/TOKEN"), $$"""{"encrypted_value": "not base64!", "key_id": "{{keyId}}"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notBase64.StatusCode);
        Assert.Contains(Emulator.SchemaViolations, r => r.OperationId == "actions/create-or-update-environment-secret" && r.SchemaErrors.Any(e => e.Contains("/encrypted_value", StringComparison.Ordinal)));

        Assert.Null(GitHub.GetSecretValue(Repo, "prod", "TOKEN"));
    }

    [Fact]
    public async Task PutSecret_ToAnUnknownEnvironment_Answers404()
    {
        var key = Emulator.GetEnvironmentSecretKeyPair(Repo, "staging");

        var response = await SendAsync(HttpMethod.Put, EnvPath("staging", "/secrets/TOKEN"), $$"""{"encrypted_value": "{{Seal("x", key.GetPublicKey())}}", "key_id": "{{key.KeyId}}"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Secrets_ListAndGetShowNamesAndTimestamps_NeverValues_AndDelete()
    {
        GitHub.Seed(Repo, Environment("prod"));
        await GitHub.SetEnvironmentSecretAsync(Repo, "prod", "API_KEY", "hidden-value");
        await GitHub.SetEnvironmentSecretAsync(Repo, "prod", "DB_PASSWORD", "hidden-value");

        var listResponse = await GetAsync(EnvPath("prod", "/secrets"));
        var raw = await listResponse.Content.ReadAsStringAsync();
        var list = await ReadConformingAsync(listResponse, "actions/list-environment-secrets");
        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        Assert.Equal(["API_KEY", "DB_PASSWORD"], list.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.DoesNotContain("hidden-value", raw, StringComparison.Ordinal);

        var secret = await ReadConformingAsync(await GetAsync(EnvPath("prod", "/secrets/api_key")), "actions/get-environment-secret");
        Assert.Equal("API_KEY", secret.GetProperty("name").GetString());
        Assert.False(secret.TryGetProperty("value", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, EnvPath("prod", "/secrets/API_KEY"))).StatusCode);
        Assert.Null(GitHub.GetSecretValue(Repo, "prod", "API_KEY"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(EnvPath("prod", "/secrets/API_KEY"))).StatusCode);
    }

    [Fact]
    public async Task Variables_Create201_Duplicate409_Get_Patch204_Rename_Delete()
    {
        GitHub.Seed(Repo, Environment("prod"));
        var path = EnvPath("prod", "/variables");

        var created = await SendAsync(HttpMethod.Post, path, """{"name": "model_name", "value": "credit-risk"}""");
        Assert.Empty((await ReadConformingAsync(created, "actions/create-environment-variable", HttpStatusCode.Created)).EnumerateObject());
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, path, """{"name": "MODEL_NAME", "value": "other"}""")).StatusCode);

        var variable = await ReadConformingAsync(await GetAsync(path + "/model_name"), "actions/get-environment-variable");
        Assert.Equal(("MODEL_NAME", "credit-risk"), (variable.GetProperty("name").GetString(), variable.GetProperty("value").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Patch, path + "/MODEL_NAME", """{"value": "credit-risk-v2"}""")).StatusCode);
        Assert.Equal("credit-risk-v2", Assert.Single(await GitHub.ListEnvironmentVariablesAsync(Repo, "prod")).Value);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Patch, path + "/MODEL_NAME", """{"name": "MODEL"}""")).StatusCode);
        var renamed = Assert.Single(await GitHub.ListEnvironmentVariablesAsync(Repo, "prod"));
        Assert.Equal(("MODEL", "credit-risk-v2"), (renamed.Name, renamed.Value));

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Patch, path + "/MISSING", """{"value": "x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, path + "/MODEL")).StatusCode);
        Assert.Empty(await GitHub.ListEnvironmentVariablesAsync(Repo, "prod"));
    }

    [Fact]
    public async Task Variables_AreListedTenPerPageByDefault_AtMostThirty()
    {
        var environment = Environment("prod");
        for (var i = 0; i < 35; i++)
        {
            environment = environment.WithVariable($"V{i:D2}", "x");
        }

        GitHub.Seed(Repo, environment);
        var path = EnvPath("prod", "/variables");

        var first = await GetAsync(path);
        var body = await ReadConformingAsync(first, "actions/list-environment-variables");
        Assert.Equal(35, body.GetProperty("total_count").GetInt32());
        Assert.Equal(10, body.GetProperty("variables").GetArrayLength());
        Assert.Contains("page=4>; rel=\"last\"", Header(first, "Link"), StringComparison.Ordinal);

        var capped = await ReadConformingAsync(await GetAsync(path + "?per_page=100&page=2"), "actions/list-environment-variables");
        Assert.Equal(5, capped.GetProperty("variables").GetArrayLength());
        Assert.Equal("V30", capped.GetProperty("variables")[0].GetProperty("name").GetString());
    }
}
