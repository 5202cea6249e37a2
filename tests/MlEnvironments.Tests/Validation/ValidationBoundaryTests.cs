using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Validation;

/// <summary>The last accepted value and the first refused one of every limit.</summary>
public class ValidationBoundaryTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static void AssertOutcome(ValidationResult result, string? expectedRule, string expectedPath)
    {
        if (expectedRule is null)
        {
            Assert.True(result.IsValid, result.ToString());
            return;
        }

        var error = Assert.Single(result.Errors);
        Assert.Equal(expectedRule, error.Rule);
        Assert.Equal(expectedPath, error.Path);
    }

    [Theory]
    [InlineData(255, null)]
    [InlineData(256, ValidationRules.EnvironmentNameLength)]
    public void EnvironmentName_HasAtMost255Characters(int length, string? rule)
    {
        var name = new string('n', length);

        AssertOutcome(Environment(name).Validate(), rule, $"environments[{name}].name");
    }

    [Theory]
    [InlineData(6, null)]
    [InlineData(7, ValidationRules.ReviewersLimit)]
    public void Reviewers_AreAtMostSixUsersAndTeamsTogether(int count, string? rule)
    {
        var reviewers = Enumerable.Range(1, count).Select(i => i % 2 == 0 ? Team($"team-{i}") : User($"user-{i}"));

        AssertOutcome(Environment("prod").RequireReviewers(reviewers).Validate(), rule, "environments[prod].reviewers");
    }

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(43_200.0, null)]
    [InlineData(43_201.0, ValidationRules.WaitTimerRange)]
    [InlineData(-1.0, ValidationRules.WaitTimerRange)]
    [InlineData(1.5, ValidationRules.WaitTimerWholeMinutes)]
    public void WaitTimer_IsAWholeNumberOfMinutesFrom0To43200(double minutes, string? rule)
    {
        var environment = Environment("prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(minutes));

        AssertOutcome(environment.Validate(), rule, "environments[prod].waitTimerMinutes");
    }

    [Theory]
    [InlineData("secrets", 100, null)]
    [InlineData("secrets", 101, ValidationRules.SecretsLimit)]
    [InlineData("variables", 100, null)]
    [InlineData("variables", 101, ValidationRules.VariablesLimit)]
    public void AnEnvironment_HoldsAtMost100SecretsAnd100Variables(string kind, int count, string? rule)
    {
        var environment = Enumerable.Range(0, count).Aggregate(Environment("prod"), (e, i) => kind == "secrets"
            ? e.WithSecret($"SECRET_{i}", SecretFromConfiguration($"Secrets:{i}"))
            : e.WithVariable($"VARIABLE_{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        AssertOutcome(environment.Validate(), rule, $"environments[prod].{kind}");
    }

    [Theory]
    [InlineData("variable", 48 * 1024, 0, null)]
    [InlineData("variable", 1, 24 * 1024, ValidationRules.VariableValueSize)] // 24,577 characters but 49,153 UTF-8 bytes
    [InlineData("secret", 48 * 1024, 0, null)]
    [InlineData("secret", 48 * 1024 + 1, 0, ValidationRules.SecretValueSize)]
    public void Values_AreAtMost48KilobytesOfUtf8(string kind, int asciiCharacters, int twoByteCharacters, string? rule)
    {
        var value = new string('a', asciiCharacters) + new string('é', twoByteCharacters);
        var environment = kind == "secret"
            ? Environment("prod").WithSecret("VALUE", SecretValue.FromValue(value))
            : Environment("prod").WithVariable("VALUE", value);

        AssertOutcome(environment.Validate(), rule, $"environments[prod].{kind}s[VALUE]");
    }

    [Theory]
    [InlineData("_private_1", null, null)]
    [InlineData("1ST", ValidationRules.VariableNameFormat, ValidationRules.SecretNameFormat)]
    [InlineData("GITHUB_SHA", ValidationRules.VariableNameReserved, ValidationRules.SecretNameReserved)]
    [InlineData("MY-NAME", ValidationRules.VariableNameFormat, ValidationRules.SecretNameFormat)]
    public void VariableAndSecretNames_AreIdentifiers_NotStartingWithGitHub(string name, string? variableRule, string? secretRule)
    {
        AssertOutcome(Environment("prod").WithVariable(name, "x").Validate(), variableRule, $"environments[prod].variables[{name}]");
        AssertOutcome(Environment("prod").WithSecret(name, SecretValue.Existing).Validate(), secretRule, $"environments[prod].secrets[{name}]");
    }

    [Theory]
    [InlineData("AZURE_SUBSCRIPTION_ID")]
    [InlineData("azureml_resource_group")]
    [InlineData("AzureML_Workspace")]
    public void AVariable_CollidingWithTheWorkspaceBinding_IsReported(string name)
    {
        var environment = Environment("prod")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable(name, "something else");

        var error = Assert.Single(environment.Validate().Errors);

        Assert.Equal(ValidationRules.VariableNameDuplicate, error.Rule);
        Assert.Equal($"environments[prod].variables[{name}]", error.Path);
        Assert.Equal(name, error.OffendingValue);
        Assert.Contains("workspace binding", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheVariablesLimit_CountsTheWorkspaceBindingsThreeVariables()
    {
        static EnvironmentDefinition WithDeclared(int count) => Enumerable.Range(0, count).Aggregate(
            Environment("prod").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")),
            (e, i) => e.WithVariable($"VARIABLE_{i}", "x"));

        AssertOutcome(WithDeclared(97).Validate(), null, "environments[prod].variables");
        var result = WithDeclared(98).Validate();
        AssertOutcome(result, ValidationRules.VariablesLimit, "environments[prod].variables");
        Assert.Equal("101", result.Errors[0].OffendingValue);
    }
}
