using System.Text;
using System.Text.Json;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Serialization;

public class ReadingTests
{
    private static string Document(string environmentJson) =>
        $$"""{"repositories": [{"repository": "octo-org/credit-risk", "environments": [{"name": "dev"}, {{environmentJson}}]}]}""";

    [Fact]
    public void ASecretWrittenInline_IsRefused_NamingItsPath()
    {
        var json = Document("""{"name": "prod", "secrets": {"OK": {"existing": true}, "TOKEN": "s3cr3t-value"}}""");

        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(json));

        Assert.Equal("$.repositories[0].environments[1].secrets.TOKEN", e.Path);
        Assert.StartsWith(e.Path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains("fromEnvironmentVariable", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", e.Message, StringComparison.Ordinal);

        // A literal is written as a marker, and the marker is refused in the same way when read back.
        var written = MlEnvironmentsJson.Serialize(Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-value")));
        var again = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(written));
        Assert.Equal("$.secrets.TOKEN", again.Path);
        Assert.Equal("$", Assert.Throws<DefinitionFormatException>(() => JsonSerializer.Deserialize<SecretValue>("\"x\"")).Path);
    }

    [Theory]
    [InlineData("""{"name": "prod", "waitTimer": 30}""", ".waitTimer")]
    [InlineData("""{"name": "prod", "waitTimerMinutes": "30"}""", ".waitTimerMinutes")]
    [InlineData("""{"name": "prod", "reviewers": "user:ana"}""", ".reviewers")]
    [InlineData("""{"name": "prod", "variables": {"MODEL": "credit", "THRESHOLD": 0.7}}""", ".variables.THRESHOLD")]
    [InlineData("""{"reviewers": []}""", ".name")]
    [InlineData("""{"name": "prod", "branchPolicy": {"mode": "Custom"}}""", ".branchPolicy.mode")]
    [InlineData("""{"name": "prod", "branchPolicy": {"mode": "custom", "patterns": [{"branch": "main"}, {"ref": "v*"}]}}""", ".branchPolicy.patterns[1].ref")]
    [InlineData("""{"name": "prod", "reviewers": ["user:ana", "ana"]}""", ".reviewers[1]")]
    [InlineData("""{"name": "prod", "secrets": {"TOKEN": {"fromVault": "kv/token"}}}""", ".secrets.TOKEN.fromVault")]
    public void AMalformedEnvironment_IsRefused_WithThePathOfTheProblem(string environmentJson, string pathInEnvironment)
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(Document(environmentJson)));

        Assert.Equal("$.repositories[0].environments[1]" + pathInEnvironment, e.Path);
        Assert.StartsWith(e.Path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Equal("$" + pathInEnvironment, Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(environmentJson)).Path);
    }

    [Theory]
    [InlineData("""{"repositories": [], "repos": []}""", "$.repos")]
    [InlineData("""{"repositories": [{"repository": "octo-org/a"}, {"repository": "octo-org"}]}""", "$.repositories[1].repository")]
    [InlineData("""{"repositories": [{"repository": "octo-org/a", "environments": {"name": "dev"}}]}""", "$.repositories[0].environments")]
    [InlineData("""[{"repository": "octo-org/a"}]""", "$")]
    public void AMalformedDocument_IsRefused_WithThePathOfTheProblem(string json, string path)
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(json));

        Assert.Equal(path, e.Path);
        Assert.IsAssignableFrom<MlEnvironmentsException>(e);
    }

    [Fact]
    public void TextThatIsNotJson_IsRefused()
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet("""{"repositories": [ }"""));

        Assert.IsAssignableFrom<JsonException>(e.InnerException);
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASingleRepositoryDocument_IsAcceptedAsASet()
    {
        const string Json = """
            {
              "$schema": "https://example.test/mlenv.schema.json",
              "repository": "octo-org/credit-risk",
              "environments": [{"name": "dev"}, {"name": "prod", "reviewers": ["team:ml-leads"]}]
            }
            """;

        var set = MlEnvironmentsJson.DeserializeRepositorySet(Json);

        Assert.Equal(Repositories(Repository("octo-org/credit-risk", Environment("dev"), Environment("prod").RequireReviewers(Team("ml-leads")))), set);
        Assert.Equal(set.Repositories[0], MlEnvironmentsJson.DeserializeRepository(Json));
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreAccepted()
    {
        const string Json = """
            // The organisation's environments.
            {
              "repositories": [
                {
                  "repository": "octo-org/credit-risk", /* promotion order: dev, then prod */
                  "environments": [
                    { "name": "dev", },
                    {
                      "name": "prod",
                      "reviewers": ["user:ana", "team:ml-leads",], // any one of them approves
                      "waitTimerMinutes": 15,
                    },
                  ],
                },
              ],
            }
            """;

        var set = MlEnvironmentsJson.DeserializeRepositorySet(Json);

        Assert.Equal(
            Repositories(Repository("octo-org/credit-risk",
                Environment("dev"),
                Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(15)))),
            set);
    }

    [Fact]
    public async Task DeserializeRepositorySetAsync_ReadsAStream()
    {
        var expected = Repositories(
            Repository("octo-org/credit-risk", Environment("prod").AllowBranches("main").WithVariable("MODEL", "crédit")),
            Repository("octo-org/churn"));
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes("/* file */ " + MlEnvironmentsJson.Serialize(expected)));

        var set = await MlEnvironmentsJson.DeserializeRepositorySetAsync(stream);

        Assert.Equal(expected, set);
        await using var broken = new MemoryStream(Encoding.UTF8.GetBytes("""{"repositories": [{"repository": "octo-org/a", "extra": 1}]}"""));
        var e = await Assert.ThrowsAsync<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySetAsync(broken));
        Assert.Equal("$.repositories[0].extra", e.Path);
        await using var notJson = new MemoryStream(Encoding.UTF8.GetBytes("{ nope"));
        await Assert.ThrowsAsync<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySetAsync(notJson));
    }

    [Fact]
    public void DuplicateVariableNames_DifferingInCase_AreRead_AndThenReportedByValidation()
    {
        const string Json = """
            {"repositories": [{"repository": "octo-org/credit-risk", "environments": [
              {"name": "prod", "variables": {"MODEL": "credit", "Region": "westeurope", "model": "fraud"}}
            ]}]}
            """;

        var set = MlEnvironmentsJson.DeserializeRepositorySet(Json);

        Assert.Equal(["MODEL", "Region", "model"], set.Repositories[0].Environments[0].Variables.Select(v => v.Name));
        var error = Assert.Single(set.Validate().Errors);
        Assert.Equal(ValidationRules.VariableNameDuplicate, error.Rule);
        Assert.Equal("repositories[octo-org/credit-risk].environments[prod].variables[model]", error.Path);
        Assert.Equal("model", error.OffendingValue);
    }
}
