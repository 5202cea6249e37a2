using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing.Tests;

public class InMemoryGitHubSecretsAndVariablesTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryGitHub _github;
    private readonly RepositoryId _repository;

    public InMemoryGitHubSecretsAndVariablesTests()
    {
        _github = new InMemoryGitHub(_time);
        _repository = _github.AddRepository("octo-org/credit-risk");
        _github.Seed(_repository, MlEnvironment.Environment("prod"));
    }

    private async Task ExpectStatusAsync(int status, Func<Task> call) =>
        Assert.Equal(status, (await Assert.ThrowsAsync<RemoteServiceException>(call)).StatusCode);

    [Fact]
    public async Task Secrets_AreListedByUpperCaseNameAndTimestamps_NeverValues()
    {
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "api_key", "v4lue");
        _time.Advance(TimeSpan.FromMinutes(10));

        await _github.SetEnvironmentSecretAsync(_repository, "prod", "API_KEY", "other");

        var secret = Assert.Single(await _github.ListEnvironmentSecretsAsync(_repository, "prod"));
        Assert.Equal(("API_KEY", Start, Start.AddMinutes(10)), (secret.Name, secret.CreatedAt, secret.UpdatedAt));
        Assert.Equal("API_KEY", secret.ToString());
        Assert.DoesNotContain(typeof(GitHubSecret).GetProperties(), p => p.Name.Contains("Value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetSecretValue_ReturnsWhatWasLastSet()
    {
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "TOKEN", "first");
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "token", "second");

        var value = _github.GetSecretValue(_repository, "PROD", "Token");

        Assert.NotNull(value);
        Assert.True(value.TryRevealLiteral(out var plaintext));
        Assert.Equal("second", plaintext);
        Assert.Equal(SecretValue.Redacted, value.ToString());
        Assert.Null(_github.GetSecretValue(_repository, "prod", "MISSING"));
        Assert.Null(_github.GetSecretValue(RepositoryId.Parse("octo-org/missing"), "prod", "TOKEN"));
    }

    [Fact]
    public async Task SecretLimits_AnswerOn101stSecretAndOversizedValue_WithoutStoring()
    {
        for (var i = 0; i < 100; i++)
        {
            await _github.SetEnvironmentSecretAsync(_repository, "prod", "S" + i, "v");
        }

        await ExpectStatusAsync(422, () => _github.SetEnvironmentSecretAsync(_repository, "prod", "S100", "v"));
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "S0", "replacing an existing one is fine");
        await _github.DeleteEnvironmentSecretAsync(_repository, "prod", "S99");
        await ExpectStatusAsync(422, () => _github.SetEnvironmentSecretAsync(_repository, "prod", "BIG", new string('x', (48 * 1024) + 1)));
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "BIG", new string('x', 48 * 1024));

        Assert.Equal(100, (await _github.ListEnvironmentSecretsAsync(_repository, "prod")).Count);
        Assert.Null(_github.GetSecretValue(_repository, "prod", "S100"));
    }

    [Theory]
    [InlineData("1TOKEN")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("MY-TOKEN")]
    public async Task BadNames_Answer422(string name)
    {
        await ExpectStatusAsync(422, () => _github.SetEnvironmentSecretAsync(_repository, "prod", name, "v"));
        await ExpectStatusAsync(422, () => _github.CreateEnvironmentVariableAsync(_repository, "prod", name, "v"));

        Assert.Empty(await _github.ListEnvironmentSecretsAsync(_repository, "prod"));
        Assert.Empty(await _github.ListEnvironmentVariablesAsync(_repository, "prod"));
    }

    [Fact]
    public async Task DeletingAMissingSecret_Answers404()
    {
        await _github.SetEnvironmentSecretAsync(_repository, "prod", "TOKEN", "v");

        await _github.DeleteEnvironmentSecretAsync(_repository, "prod", "token");

        await ExpectStatusAsync(404, () => _github.DeleteEnvironmentSecretAsync(_repository, "prod", "TOKEN"));
    }

    [Fact]
    public async Task Variables_CreateOnce_UpdateAndDeleteOnlyWhatExists()
    {
        await _github.CreateEnvironmentVariableAsync(_repository, "prod", "model", "credit");
        await ExpectStatusAsync(409, () => _github.CreateEnvironmentVariableAsync(_repository, "prod", "MODEL", "other"));
        await ExpectStatusAsync(404, () => _github.UpdateEnvironmentVariableAsync(_repository, "prod", "MISSING", "v"));
        await ExpectStatusAsync(404, () => _github.DeleteEnvironmentVariableAsync(_repository, "prod", "MISSING"));
        _time.Advance(TimeSpan.FromMinutes(1));

        await _github.UpdateEnvironmentVariableAsync(_repository, "prod", "Model", "fraud");

        var variable = Assert.Single(await _github.ListEnvironmentVariablesAsync(_repository, "prod"));
        Assert.Equal(("MODEL", "fraud", Start, Start.AddMinutes(1)), (variable.Name, variable.Value, variable.CreatedAt, variable.UpdatedAt));
        await _github.DeleteEnvironmentVariableAsync(_repository, "prod", "model");
        Assert.Empty(await _github.ListEnvironmentVariablesAsync(_repository, "prod"));
    }

    [Fact]
    public async Task HundredAndFirstVariable_Answers422()
    {
        for (var i = 0; i < 100; i++)
        {
            await _github.CreateEnvironmentVariableAsync(_repository, "prod", "V" + i, "v");
        }

        await ExpectStatusAsync(422, () => _github.CreateEnvironmentVariableAsync(_repository, "prod", "V100", "v"));

        Assert.Equal(100, (await _github.ListEnvironmentVariablesAsync(_repository, "prod")).Count);
    }
}
