using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Validation;

/// <summary>One bad input per rule: exactly one error, with the rule's code, the path of the problem and the offending value.</summary>
public class ValidationRuleTests
{
    private const string Repo = "octo-org/credit-risk";
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly string LongName = new('a', 256);
    private static readonly string LongValue = new('v', 48 * 1024 + 1);
    private static readonly string LongSecret = new('S', 48 * 1024 + 1);

    private sealed record Case(Func<ValidationResult> Validate, string Path, string? OffendingValue);

    private static ValidationResult Prod(Func<EnvironmentDefinition, EnvironmentDefinition> change) =>
        Repository(Repo, change(Environment("prod"))).Validate();

    private static ValidationResult FromJson(string environmentJson) =>
        Repository(Repo, MlEnvironmentsJson.DeserializeEnvironment(environmentJson)).Validate();

    private static readonly Dictionary<string, Case> Cases = new()
    {
        [ValidationRules.EnvironmentNameRequired] = new(
            () => Repository(Repo, Environment("")).Validate(), "environments[].name", ""),
        [ValidationRules.EnvironmentNameLength] = new(
            () => Repository(Repo, Environment(LongName)).Validate(), $"environments[{LongName}].name", new string('a', 77) + "..."),
        [ValidationRules.EnvironmentNameCharacters] = new(
            () => Repository(Repo, Environment("prod;eu")).Validate(), "environments[prod;eu].name", "prod;eu"),
        [ValidationRules.EnvironmentNameDuplicate] = new(
            () => Repository(Repo, Environment("prod"), Environment("PROD")).Validate(), "environments[PROD].name", "PROD"),
        [ValidationRules.ReviewersLimit] = new(
            () => Prod(e => e.RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4"), Team("t1"), Team("t2"), Team("t3"))),
            "environments[prod].reviewers", "user:u1, user:u2, user:u3, user:u4, team:t1, team:t2, team:t3"),
        [ValidationRules.ReviewerDuplicate] = new(
            () => Prod(e => e.RequireReviewers(User("ana"), Team("ana"), User("ANA"))), "environments[prod].reviewers[2]", "user:ANA"),
        [ValidationRules.ReviewerName] = new(
            () => Prod(e => e.RequireReviewers(User("ana"), Team("ML Leads"))), "environments[prod].reviewers[1]", "ML Leads"),
        [ValidationRules.WaitTimerRange] = new(
            () => Prod(e => e.WithWaitTimer(TimeSpan.FromMinutes(43_201))), "environments[prod].waitTimerMinutes", "43201 min"),
        [ValidationRules.WaitTimerWholeMinutes] = new(
            () => Prod(e => e.WithWaitTimer(TimeSpan.FromSeconds(90))), "environments[prod].waitTimerMinutes", "00:01:30"),
        [ValidationRules.WorkspaceRegistry] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")).ShareThroughRegistry(MachineLearning.MachineLearningRegistryId.Parse($"/subscriptions/{Subscription}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/.."))),
            "environments[prod].workspace.registry", $"/subscriptions/{Subscription}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/.."),
        [ValidationRules.UndefinedValue] = new(
            () => Prod(e => e.WithGates(ImprovesOnChampion("auc", (MetricDirection)99))), "environments[prod].gates[0].direction", "99"),
        [ValidationRules.PreventSelfReviewRequiresReviewer] = new(
            () => Prod(e => e.PreventSelfReview()), "environments[prod].preventSelfReview", "true"),
        [ValidationRules.BranchPatternEmpty] = new(
            () => Prod(e => e.AllowBranches("main").AllowTags(" ")), "environments[prod].branchPolicy.patterns[1]", " "),
        [ValidationRules.BranchPatternDuplicate] = new(
            () => Prod(e => e.AllowBranches("main", "release/*").AllowTags("main").AllowBranches("main")),
            "environments[prod].branchPolicy.patterns[3]", "main"),
        [ValidationRules.BranchPolicyWithoutPatterns] = new(
            () => Prod(e => e.AllowBranches()), "environments[prod].branchPolicy.patterns", null),
        [ValidationRules.BranchPatternRequiresCustomPolicy] = new(
            () => FromJson("""{"name": "prod", "branchPolicy": {"mode": "protectedBranches", "patterns": [{"branch": "main"}, {"tag": "v*"}]}}"""),
            "environments[prod].branchPolicy.patterns", "branch:main, tag:v*"),
        [ValidationRules.SecretNameFormat] = new(
            () => Prod(e => e.WithSecret("MY-TOKEN", SecretValue.Existing)), "environments[prod].secrets[MY-TOKEN]", "MY-TOKEN"),
        [ValidationRules.SecretNameReserved] = new(
            () => Prod(e => e.WithSecret("GITHUB_TOKEN", SecretValue.Existing)), "environments[prod].secrets[GITHUB_TOKEN]", "GITHUB_TOKEN"),
        [ValidationRules.SecretNameDuplicate] = new(
            () => FromJson("""{"name": "prod", "secrets": {"TOKEN": {"existing": true}, "token": {"fromEnvironmentVariable": "T"}}}"""),
            "environments[prod].secrets[token]", "token"),
        [ValidationRules.SecretsLimit] = new(
            () => Prod(e => Enumerable.Range(0, 101).Aggregate(e, (x, i) => x.WithSecret($"S{i:000}", SecretValue.Existing))),
            "environments[prod].secrets", "101"),
        [ValidationRules.SecretValueSize] = new(
            () => Prod(e => e.WithSecret("BIG", SecretValue.FromValue(LongSecret))), "environments[prod].secrets[BIG]", "(sensitive), 49153 bytes"),
        [ValidationRules.SecretReferenceEmpty] = new(
            () => Prod(e => e.WithSecret("TOKEN", SecretFromEnvironmentVariable(""))), "environments[prod].secrets[TOKEN]", null),
        [ValidationRules.VariableNameFormat] = new(
            () => Prod(e => e.WithVariable("1ST", "x")), "environments[prod].variables[1ST]", "1ST"),
        [ValidationRules.VariableNameReserved] = new(
            () => Prod(e => e.WithVariable("github_sha", "x")), "environments[prod].variables[github_sha]", "github_sha"),
        [ValidationRules.VariableNameDuplicate] = new(
            () => FromJson("""{"name": "prod", "variables": {"MODEL": "credit", "model": "fraud"}}"""),
            "environments[prod].variables[model]", "model"),
        [ValidationRules.VariablesLimit] = new(
            () => Prod(e => Enumerable.Range(0, 101).Aggregate(e, (x, i) => x.WithVariable($"V{i:000}", "x"))),
            "environments[prod].variables", "101"),
        [ValidationRules.VariableValueSize] = new(
            () => Prod(e => e.WithVariable("BIG", LongValue)), "environments[prod].variables[BIG]", new string('v', 77) + "..."),
        [ValidationRules.WorkspaceSubscriptionId] = new(
            () => Prod(e => e.BindWorkspace(Workspace("not-a-guid", "rg-ml", "mlw-prod"))),
            "environments[prod].workspace.subscriptionId", "not-a-guid"),
        [ValidationRules.WorkspaceResourceGroup] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml.", "mlw-prod"))),
            "environments[prod].workspace.resourceGroup", "rg-ml."),
        [ValidationRules.WorkspaceName] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "ml"))), "environments[prod].workspace.name", "ml"),
        [ValidationRules.LoginIdentity] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")).UseOidcLogin(ManagedIdentity("not-a-guid", "rg-ml", "id-prod"))),
            "environments[prod].workspace.login.oidc.identity", "/subscriptions/not-a-guid/resourceGroups/rg-ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-prod"),
        [ValidationRules.LoginRole] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")).UseOidcLogin(ManagedIdentity(Subscription, "rg-ml", "id-prod"), "Data Scientist")),
            "environments[prod].workspace.login.oidc.role", "Data Scientist"),
        [ValidationRules.LoginServicePrincipal] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")).UseServicePrincipalLogin(Guid.Empty, Guid.Parse(Subscription), SecretValue.FromEnvironmentVariable("SP_SECRET"))),
            "environments[prod].workspace.login.servicePrincipal", "service principal 00000000-0000-0000-0000-000000000000 (secret (sensitive: env:SP_SECRET))"),
        [ValidationRules.LoginReservedName] = new(
            () => Prod(e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod")).UseOidcLogin(ManagedIdentity(Subscription, "rg-ml", "id-prod")).WithVariable("AZURE_CLIENT_ID", "x")),
            "environments[prod].variables[AZURE_CLIENT_ID]", "AZURE_CLIENT_ID"),
        [ValidationRules.RepositoryRequired] = new(
            () => Repository(default(RepositoryId), Environment("prod")).Validate(), "repository", null),
        [ValidationRules.RepositoryDuplicate] = new(
            () => Repositories(Repository(Repo, Environment("dev")), Repository("Octo-Org/Credit-Risk", Environment("prod"))).Validate(),
            "repositories[Octo-Org/Credit-Risk]", "Octo-Org/Credit-Risk"),
        [ValidationRules.GateMetricRequired] = new(
            () => Prod(e => e.WithGates(MetricAtLeast(" ", 0.8))), "environments[prod].gates[0].metric", " "),
        [ValidationRules.GateValueFinite] = new(
            () => Prod(e => e.WithGates(TrainingJobCompleted(), MetricAtMost("rmse", double.NaN))), "environments[prod].gates[1].threshold", "NaN"),
        [ValidationRules.GateChangeNegative] = new(
            () => Prod(e => e.WithGates(ImprovesOnChampion("auc", minRelativeChange: -0.05))), "environments[prod].gates[0].minRelativeChange", "-0.05"),
        [ValidationRules.GateKeyRequired] = new(
            () => Prod(e => e.WithGates(RequiredTag(""))), "environments[prod].gates[0].key", ""),
        [ValidationRules.GateContradiction] = new(
            () => Prod(e => e.WithGates(MetricAtLeast("auc", 0.9), MetricAtMost("auc", 0.8))), "environments[prod].gates[1]", "auc"),
        [ValidationRules.ProtectionRuleAppId] = new(
            () => Prod(e => e.RequireProtectionRule(42).RequireProtectionRule(0)), "environments[prod].protectionRules[1]", "0"),
        [ValidationRules.ProtectionRulesLimit] = new(
            () => Prod(e => Enumerable.Range(1, 7).Aggregate(e, (x, i) => x.RequireProtectionRule(i))), "environments[prod].protectionRules", "7"),
    };

    [Theory]
    [InlineData(ValidationRules.EnvironmentNameRequired)]
    [InlineData(ValidationRules.EnvironmentNameLength)]
    [InlineData(ValidationRules.EnvironmentNameCharacters)]
    [InlineData(ValidationRules.EnvironmentNameDuplicate)]
    [InlineData(ValidationRules.ReviewersLimit)]
    [InlineData(ValidationRules.ReviewerDuplicate)]
    [InlineData(ValidationRules.ReviewerName)]
    [InlineData(ValidationRules.WaitTimerRange)]
    [InlineData(ValidationRules.WaitTimerWholeMinutes)]
    [InlineData(ValidationRules.PreventSelfReviewRequiresReviewer)]
    [InlineData(ValidationRules.BranchPatternEmpty)]
    [InlineData(ValidationRules.BranchPatternDuplicate)]
    [InlineData(ValidationRules.BranchPolicyWithoutPatterns)]
    [InlineData(ValidationRules.BranchPatternRequiresCustomPolicy)]
    [InlineData(ValidationRules.SecretNameFormat)]
    [InlineData(ValidationRules.SecretNameReserved)]
    [InlineData(ValidationRules.SecretNameDuplicate)]
    [InlineData(ValidationRules.SecretsLimit)]
    [InlineData(ValidationRules.SecretValueSize)]
    [InlineData(ValidationRules.SecretReferenceEmpty)]
    [InlineData(ValidationRules.VariableNameFormat)]
    [InlineData(ValidationRules.VariableNameReserved)]
    [InlineData(ValidationRules.VariableNameDuplicate)]
    [InlineData(ValidationRules.VariablesLimit)]
    [InlineData(ValidationRules.VariableValueSize)]
    [InlineData(ValidationRules.WorkspaceSubscriptionId)]
    [InlineData(ValidationRules.WorkspaceResourceGroup)]
    [InlineData(ValidationRules.WorkspaceName)]
    [InlineData(ValidationRules.LoginIdentity)]
    [InlineData(ValidationRules.LoginRole)]
    [InlineData(ValidationRules.LoginServicePrincipal)]
    [InlineData(ValidationRules.LoginReservedName)]
    [InlineData(ValidationRules.RepositoryRequired)]
    [InlineData(ValidationRules.RepositoryDuplicate)]
    [InlineData(ValidationRules.GateMetricRequired)]
    [InlineData(ValidationRules.GateValueFinite)]
    [InlineData(ValidationRules.GateChangeNegative)]
    [InlineData(ValidationRules.GateKeyRequired)]
    [InlineData(ValidationRules.GateContradiction)]
    [InlineData(ValidationRules.ProtectionRuleAppId)]
    [InlineData(ValidationRules.ProtectionRulesLimit)]
    public void ABadInput_YieldsOneErrorWithTheRuleThePathAndTheOffendingValue(string rule)
    {
        var expected = Cases[rule];

        var result = expected.Validate();

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(rule, error.Rule);
        Assert.Equal(expected.Path, error.Path);
        Assert.Equal(expected.OffendingValue, error.OffendingValue);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.StartsWith(expected.Path + ": ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"[{rule}]", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRuleCheckedBeforeApply_HasACase()
    {
        var all = typeof(ValidationRules).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Except([
                ValidationRules.SecretReferenceUnresolved, ValidationRules.ReviewerCannotReview,
                ValidationRules.WorkspaceNotReady, ValidationRules.LoginIdentityNotFound, ValidationRules.FederatedCredentialsLimit,
                ValidationRules.ProtectionRuleAppNotInstalled, ValidationRules.GitHubPlanFeature,

                // Rules of NameRules for values that are not part of a definition (flags, promotion requests).
                ValidationRules.ModelName, ValidationRules.ModelVersion, ValidationRules.WorkflowFileName,
            ]);

        Assert.Equal(all.Order(), Cases.Keys.Order());
    }

    [Fact]
    public void AValidDefinition_HasNoErrors()
    {
        var definition = Repository(Repo,
            Environment("dev"),
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .PreventAdminsBypass()
                .AllowBranches("main", "release/*")
                .AllowTags("v*")
                .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
                .WithVariable("MODEL", "credit")
                .WithSecret("TOKEN", SecretValue.FromValue("s3cr3t"))
                .WithSecret("API_KEY", SecretFromConfiguration("Secrets:ApiKey")));

        var result = Validate(Repositories(definition));

        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Errors);
        Assert.Same(ValidationResult.Success, result);
        Assert.Equal("valid", result.ToString());
        result.ThrowIfInvalid();
    }
}
