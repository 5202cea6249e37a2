using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Definitions;

public class EqualityTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static EnvironmentDefinition Rich(string name = "prod") =>
        Environment(name)
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main", "release/*")
            .AllowTags("v*")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-value"))
            .WithSecret("API_KEY", SecretFromEnvironmentVariable("API_KEY"));

    private static RepositoryDefinition Repo(string repository = "octo-org/credit-risk") =>
        Repository(repository, Environment("dev"), Rich());

    [Fact]
    public void DefinitionsBuiltSeparately_AreEqual_AndHaveTheSameHashCode()
    {
        Assert.Equal(Rich(), Rich());
        Assert.Equal(Rich().GetHashCode(), Rich().GetHashCode());
        Assert.True(Rich().Equals((object)Rich()));

        Assert.Equal(Repo(), Repo());
        Assert.Equal(Repo().GetHashCode(), Repo().GetHashCode());

        var set1 = Repositories(Repo(), Repository("octo-org/churn"));
        var set2 = Repositories(Repo(), Repository("octo-org/churn"));
        Assert.Equal(set1, set2);
        Assert.Equal(set1.GetHashCode(), set2.GetHashCode());

        // The same value reached by different routes is equal too.
        var direct = Environment("dev").AllowTags("v*");
        var detour = Environment("dev").AllowProtectedBranchesOnly().WithWaitTimer(TimeSpan.FromMinutes(3)).WithoutWaitTimer().AllowTags("v*");
        Assert.Equal(direct, detour);
        Assert.Equal(direct.GetHashCode(), detour.GetHashCode());
    }

    [Theory]
    [InlineData("name (case)")]
    [InlineData("reviewer kind")]
    [InlineData("wait timer")]
    [InlineData("prevent self-review")]
    [InlineData("admins bypass")]
    [InlineData("pattern type")]
    [InlineData("workspace")]
    [InlineData("variable value")]
    [InlineData("secret literal")]
    public void EnvironmentsThatDifferInOneField_AreNotEqual(string field)
    {
        var other = field switch
        {
            "name (case)" => Rich("Prod"),
            "reviewer kind" => Rich().WithoutReviewers().RequireReviewers(Team("ana"), Team("ml-leads")),
            "wait timer" => Rich().WithWaitTimer(TimeSpan.FromMinutes(31)),
            "prevent self-review" => Rich().AllowSelfReview(),
            "admins bypass" => Rich().AllowAdminsBypass(),
            "pattern type" => Rich().WithBranchPolicy(DeploymentBranchPolicy.Custom([Branch("main"), Branch("release/*"), Branch("v*")])),
            "workspace" => Rich().BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod2")),
            "variable value" => Rich().WithVariable("MODEL", "Credit"),
            "secret literal" => Rich().WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-valuE")),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.NotEqual(Rich(), other);
        Assert.NotEqual(other, Rich());
        Assert.False(Rich().Equals((object)other));
    }

    [Fact]
    public void RepositoriesAndSets_ThatDifferInOneField_AreNotEqual()
    {
        Assert.NotEqual(Repo(), Repo("octo-org/churn"));
        Assert.NotEqual(Repo(), Repo().WithoutEnvironment("dev"));
        Assert.NotEqual(Repo(), Repository("octo-org/credit-risk", Rich(), Environment("dev"))); // promotion order matters
        Assert.NotEqual(Repo(), Repo("Octo-Org/Credit-Risk")); // the spelling is kept for OIDC subjects, so it counts

        var churn = Repository("octo-org/churn");
        Assert.NotEqual(Repositories(Repo(), churn), Repositories(churn, Repo()));
        Assert.NotEqual(Repositories(Repo(), churn), Repositories(Repo()));
    }

    [Fact]
    public void Reviewers_CompareWithoutRegardToCase_ButByKind()
    {
        Assert.Equal(User("Ana"), User("ana"));
        Assert.Equal(User("Ana").GetHashCode(), User("ana").GetHashCode());
        Assert.Equal(Team("ML-Leads"), Team("ml-leads"));
        Assert.NotEqual(User("ana"), Team("ana"));

        // So environments whose reviewers differ only in case are equal.
        Assert.Equal(Environment("prod").RequireReviewers(User("ANA")), Environment("prod").RequireReviewers(User("ana")));
        Assert.Equal(
            Environment("prod").RequireReviewers(User("ANA")).GetHashCode(),
            Environment("prod").RequireReviewers(User("ana")).GetHashCode());
    }

    [Fact]
    public void RepositoryIds_CompareWithoutRegardToCase_AndKeepTheirSpelling()
    {
        var upper = RepositoryId.Parse("Octo-Org/Credit-Risk");
        var lower = RepositoryId.Parse("octo-org/credit-risk");

        Assert.Equal(upper, lower);
        Assert.True(upper == lower);
        Assert.False(upper != lower);
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
        Assert.Equal("Octo-Org/Credit-Risk", upper.ToString());
        Assert.NotEqual(lower, RepositoryId.Parse("octo-org/credit-risk2"));
        Assert.True(lower != RepositoryId.Parse("octo/credit-risk"));
    }

    [Fact]
    public void WorkspaceIds_CompareWithoutRegardToCase_AndKeepTheirSpelling()
    {
        var upper = Workspace("AAAAAAAA-0000-0000-0000-000000000001", "RG-ML", "MLW-Prod");
        var lower = Workspace("aaaaaaaa-0000-0000-0000-000000000001", "rg-ml", "mlw-prod");

        Assert.Equal(upper, lower);
        Assert.True(upper == lower);
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
        Assert.Equal("RG-ML", upper.ResourceGroupName);
        Assert.NotEqual(lower, Workspace("aaaaaaaa-0000-0000-0000-000000000001", "rg-ml", "mlw-dev"));
        Assert.True(lower != Workspace("aaaaaaaa-0000-0000-0000-000000000002", "rg-ml", "mlw-prod"));
        Assert.Equal(
            Environment("prod").BindWorkspace(upper),
            Environment("prod").BindWorkspace(lower));
    }

    [Fact]
    public void WithVariable_ReplacesAVariableOfTheSameName_WithoutRegardToCase()
    {
        var original = Environment("prod").WithVariable("MODEL", "credit").WithVariable("REGION", "westeurope");

        var changedValue = original.WithVariable("model", "fraud");
        var changedSpelling = original.WithVariable("Model", "credit");

        Assert.Equal(2, changedValue.Variables.Length);
        Assert.Equal(("model", "fraud"), (changedValue.Variables[0].Name, changedValue.Variables[0].Value));
        Assert.Equal("REGION", changedValue.Variables[1].Name);

        // Same name (ignoring case) and value: the declared spelling wins and the original is left as it was.
        Assert.NotSame(original, changedSpelling);
        Assert.Equal(2, changedSpelling.Variables.Length);
        Assert.Equal(("Model", "credit"), (changedSpelling.Variables[0].Name, changedSpelling.Variables[0].Value));
        Assert.Equal("MODEL", original.Variables[0].Name);

        Assert.Equal(["REGION"], original.WithoutVariable("mOdEl").Variables.Select(v => v.Name));
    }

    [Fact]
    public void WithSecret_ReplacesASecretOfTheSameName_WithoutRegardToCase()
    {
        var original = Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("one")).WithSecret("KEY", SecretValue.Existing);

        var changedValue = original.WithSecret("token", SecretFromEnvironmentVariable("TOKEN_VAR"));
        var changedSpelling = original.WithSecret("Token", SecretValue.FromValue("one"));

        Assert.Equal(2, changedValue.Secrets.Length);
        Assert.Equal("token", changedValue.Secrets[0].Name);
        Assert.Equal(SecretFromEnvironmentVariable("TOKEN_VAR"), changedValue.Secrets[0].Value);
        Assert.Equal("KEY", changedValue.Secrets[1].Name);

        Assert.NotSame(original, changedSpelling);
        Assert.Equal("Token", changedSpelling.Secrets[0].Name);
        Assert.Equal("TOKEN", original.Secrets[0].Name);
        Assert.True(original.Secrets[0].Value.TryRevealLiteral(out var plaintext));
        Assert.Equal("one", plaintext);

        Assert.Equal(["KEY"], original.WithoutSecret("tOkEn").Secrets.Select(s => s.Name));
    }
}
