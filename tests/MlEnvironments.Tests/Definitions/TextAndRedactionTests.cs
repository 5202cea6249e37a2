using System.Text.Json;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Definitions;

public class TextAndRedactionTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string Plaintext = "pl41nt3xt-Zq9!";

    private sealed record Credentials(string User, SecretValue Password);

    private sealed record Holder(SecretDefinition Secret, EnvironmentDefinition Environment);

    [Fact]
    public void EnvironmentToString_IsAReadableOneLineSummary()
    {
        var prod = Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main")
            .AllowTags("v*")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.FromValue(Plaintext))
            .WithSecret("API_KEY", SecretFromEnvironmentVariable("API_KEY_VAR"));

        Assert.Equal(
            "environment \"prod\" { reviewers: user:ana, team:ml-leads; wait timer: 30 min; prevent self-review; no admin bypass; " +
            "branches: custom [branch:main, tag:v*]; workspace rg-ml/mlw-prod (subscription " + Subscription + "); " +
            "variables: MODEL=credit; secrets: TOKEN=(sensitive), API_KEY=(sensitive: env:API_KEY_VAR) }",
            prod.ToString());
        Assert.Equal("environment \"dev\" { branches: all branches }", Environment("dev").ToString());
        Assert.Equal("environment \"qa\" { branches: protected branches }", Environment("qa").AllowProtectedBranchesOnly().ToString());
    }

    [Fact]
    public void RepositoryAndSetToString_ShowThePromotionOrder()
    {
        var repository = Repository("octo-org/credit-risk", Environment("dev"), Environment("staging"), Environment("prod"));
        var empty = Repository("octo-org/churn");

        Assert.Equal("octo-org/credit-risk: dev → staging → prod", repository.ToString());
        Assert.Equal("octo-org/churn: (no environments)", empty.ToString());
        Assert.Equal(
            "octo-org/credit-risk: dev → staging → prod" + System.Environment.NewLine + "octo-org/churn: (no environments)",
            Repositories(repository, empty).ToString());
        Assert.Equal("(no repositories)", RepositorySetDefinition.Empty.ToString());
        Assert.Equal("user:ana", User("ana").ToString());
        Assert.Equal("team:ml-leads", Team("ml-leads").ToString());
        Assert.Equal("MODEL=credit", new VariableDefinition("MODEL", "credit").ToString());
    }

    [Theory]
    [InlineData(SecretSource.Literal, "(sensitive)")]
    [InlineData(SecretSource.EnvironmentVariable, "(sensitive: env:TOKEN_VAR)")]
    [InlineData(SecretSource.Configuration, "(sensitive: config:Secrets:Token)")]
    [InlineData(SecretSource.Existing, "(sensitive: existing)")]
    public void SecretValue_NeverPrintsThePlaintext(SecretSource source, string expected)
    {
        var value = source switch
        {
            SecretSource.Literal => SecretValue.FromValue(Plaintext),
            SecretSource.EnvironmentVariable => SecretFromEnvironmentVariable("TOKEN_VAR"),
            SecretSource.Configuration => SecretFromConfiguration("Secrets:Token"),
            _ => SecretValue.Existing,
        };

        Assert.Equal(source, value.Source);
        Assert.Equal(expected, value.ToString());
        Assert.Equal("token: " + expected, $"token: {value}");
        Assert.Equal("token: " + expected, string.Format(System.Globalization.CultureInfo.InvariantCulture, "token: {0}", value));
        Assert.Equal("TOKEN=" + expected, new SecretDefinition("TOKEN", value).ToString());

        var record = new Credentials("ana", value).ToString();
        Assert.Contains(expected, record, StringComparison.Ordinal);
        var holder = new Holder(new SecretDefinition("TOKEN", value), Environment("prod").WithSecret("TOKEN", value)).ToString();
        Assert.Contains("TOKEN=" + expected, holder, StringComparison.Ordinal);

        foreach (var text in new[] { value.ToString(), $"{value}", record, holder })
        {
            Assert.DoesNotContain(Plaintext, text, StringComparison.Ordinal);
        }

        Assert.Equal(source == SecretSource.Literal, value.TryRevealLiteral(out var revealed));
        Assert.Equal(source == SecretSource.Literal ? Plaintext : null, revealed);
    }

    [Fact]
    public void JsonSerializer_WritesALiteralSecretAsSensitive()
    {
        Assert.Equal("\"(sensitive)\"", JsonSerializer.Serialize(SecretValue.FromValue("x")));
        Assert.Equal("\"(sensitive)\"", JsonSerializer.Serialize<object>(SecretValue.FromValue("x")));
        Assert.Equal("{\"fromEnvironmentVariable\":\"TOKEN_VAR\"}", JsonSerializer.Serialize(SecretFromEnvironmentVariable("TOKEN_VAR")));

        var json = JsonSerializer.Serialize(new Credentials("ana", SecretValue.FromValue(Plaintext)));
        Assert.Equal("{\"User\":\"ana\",\"Password\":\"(sensitive)\"}", json);
    }

    [Fact]
    public void ADefinitionHoldingALiteralSecret_NeverShowsThePlaintext()
    {
        var environment = Environment("prod")
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.FromValue(Plaintext))
            .WithSecret(new SecretDefinition("OTHER", SecretValue.FromValue(Plaintext + "-2")));
        var repository = Repository("octo-org/credit-risk", environment);
        var set = Repositories(repository);

        string[] texts =
        [
            environment.ToString(),
            repository.ToString(),
            set.ToString(),
            string.Join(";", environment.Secrets),
            JsonSerializer.Serialize(environment),
            JsonSerializer.Serialize(repository),
            JsonSerializer.Serialize(set),
            JsonSerializer.Serialize(new Holder(environment.Secrets[0], environment)),
            MlEnvironmentsJson.Serialize(environment),
            MlEnvironmentsJson.Serialize(repository),
            MlEnvironmentsJson.Serialize(set),
            environment.Validate().ToString(),
        ];

        foreach (var text in texts)
        {
            Assert.DoesNotContain(Plaintext, text, StringComparison.Ordinal);
        }

        Assert.Contains("TOKEN=(sensitive)", environment.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"TOKEN\": \"(sensitive)\"", MlEnvironmentsJson.Serialize(environment), StringComparison.Ordinal);
        Assert.Contains("\"TOKEN\":\"(sensitive)\"", JsonSerializer.Serialize(environment), StringComparison.Ordinal);
    }
}
