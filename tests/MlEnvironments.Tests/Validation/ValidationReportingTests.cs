using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Validation;

public class ValidationReportingTests
{
    private static RepositoryDefinition ManyProblems() =>
        Repository("octo-org/credit-risk",
            Environment("dev"),
            Environment("prod")
                .RequireReviewers(User("ana"), User("ana"), Team("ML Leads"))                // reviewer-duplicate, reviewer-name
                .WithWaitTimer(TimeSpan.FromMinutes(50_000))                               // wait-timer-range
                .AllowBranches("main", "main")                                              // branch-pattern-duplicate
                .BindWorkspace(Workspace("not-a-guid", "rg-ml", "x"))                       // workspace-subscription-id, workspace-name
                .WithVariable("GITHUB_REF", "x")                                            // variable-name-reserved
                .WithVariable("AZUREML_WORKSPACE", "y")                                     // variable-name-duplicate
                .WithSecret("MY-TOKEN", SecretValue.Existing)                               // secret-name-format
                .WithSecret("KEY", SecretFromConfiguration(" ")),                           // secret-reference-empty
            Environment("DEV").PreventSelfReview());                                        // environment-name-duplicate, prevent-self-review-…

    [Fact]
    public void ADefinitionWithManyProblems_ReportsAllOfThemAtOnce()
    {
        var result = ManyProblems().Validate();

        Assert.Equal(
            [
                ("environments[prod].reviewers[1]", ValidationRules.ReviewerDuplicate),
                ("environments[prod].reviewers[2]", ValidationRules.ReviewerName),
                ("environments[prod].waitTimerMinutes", ValidationRules.WaitTimerRange),
                ("environments[prod].branchPolicy.patterns[1]", ValidationRules.BranchPatternDuplicate),
                ("environments[prod].workspace.subscriptionId", ValidationRules.WorkspaceSubscriptionId),
                ("environments[prod].workspace.name", ValidationRules.WorkspaceName),
                ("environments[prod].variables[GITHUB_REF]", ValidationRules.VariableNameReserved),
                ("environments[prod].variables[AZUREML_WORKSPACE]", ValidationRules.VariableNameDuplicate),
                ("environments[prod].secrets[MY-TOKEN]", ValidationRules.SecretNameFormat),
                ("environments[prod].secrets[KEY]", ValidationRules.SecretReferenceEmpty),
                ("environments[DEV].name", ValidationRules.EnvironmentNameDuplicate),
                ("environments[DEV].preventSelfReview", ValidationRules.PreventSelfReviewRequiresReviewer),
            ],
            result.Errors.Select(e => (e.Path, e.Rule)));
        Assert.Equal(12, result.Errors.Length);
        Assert.Equal(12, result.ToString().Split(System.Environment.NewLine).Length);
    }

    [Fact]
    public void ValidationFailedException_ListsEveryErrorInItsMessage()
    {
        var result = ManyProblems().Validate();

        var e = Assert.Throws<ValidationFailedException>(result.ThrowIfInvalid);

        Assert.Same(result, e.Result);
        Assert.IsAssignableFrom<MlEnvironmentsException>(e);
        Assert.StartsWith("The definition is not valid (12 errors):", e.Message, StringComparison.Ordinal);
        foreach (var error in result.Errors)
        {
            Assert.Contains("  - " + error, e.Message, StringComparison.Ordinal);
        }

        var single = Assert.Throws<ValidationFailedException>(() => Environment("").Validate().ThrowIfInvalid());
        Assert.StartsWith("The definition is not valid (1 error):", single.Message, StringComparison.Ordinal);
        Assert.Contains(ValidationRules.EnvironmentNameRequired, single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretOver48Kilobytes_IsReportedWithoutItsPlaintext()
    {
        const string Marker = "TOP-SECRET-MARKER";
        var plaintext = Marker + new string('q', 48 * 1024);
        var environment = Environment("prod").WithSecret("BIG", SecretValue.FromValue(plaintext));

        var result = environment.Validate();
        var error = Assert.Single(result.Errors);
        var exception = Assert.Throws<ValidationFailedException>(result.ThrowIfInvalid);

        Assert.Equal(ValidationRules.SecretValueSize, error.Rule);
        Assert.Equal("environments[prod].secrets[BIG]", error.Path);
        Assert.Contains("49", error.Message, StringComparison.Ordinal); // the size, 49,169 bytes, is reported
        foreach (var text in new[] { error.Message, error.OffendingValue!, error.ToString(), result.ToString(), exception.Message })
        {
            Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
            Assert.DoesNotContain("qqqq", text, StringComparison.Ordinal);
        }

        Assert.Equal($"(sensitive), {plaintext.Length} bytes", error.OffendingValue);
    }

    [Fact]
    public void ARepositorySet_ReportsDuplicateRepositories_AndPrefixesEveryPathWithTheRepository()
    {
        var set = Repositories(
            Repository("octo-org/credit-risk", Environment("prod"), Environment("Prod")),
            Repository("octo-org/churn", Environment("dev").WithVariable("1X", "y")),
            Repository("OCTO-ORG/CREDIT-RISK"),
            Repository(default(RepositoryId), Environment("dev")));

        var result = Validate(set);

        Assert.Equal(
            [
                ("repositories[octo-org/credit-risk].environments[Prod].name", ValidationRules.EnvironmentNameDuplicate, "Prod"),
                ("repositories[octo-org/churn].environments[dev].variables[1X]", ValidationRules.VariableNameFormat, "1X"),
                ("repositories[OCTO-ORG/CREDIT-RISK]", ValidationRules.RepositoryDuplicate, "OCTO-ORG/CREDIT-RISK"),
                ("repositories[3].repository", ValidationRules.RepositoryRequired, null),
            ],
            result.Errors.Select(e => (e.Path, e.Rule, e.OffendingValue)));
        Assert.Contains("index 0", result.Errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_OfAnInvalidDefinition_ThrowsBeforeAnyCallToGitHub()
    {
        var github = new InMemoryGitHub();
        github.AddRepository("octo-org/credit-risk");
        var planner = new EnvironmentPlanner(github, github, github);

        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => planner.PlanAsync(ManyProblems()));

        Assert.Equal(12, e.Result.Errors.Length);
        Assert.Empty(github.Calls);
    }
}
