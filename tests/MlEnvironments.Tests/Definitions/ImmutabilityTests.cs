using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Definitions;

/// <summary>
/// Every fluent method of the three definition types leaves the original untouched (it still equals a copy built the
/// same way and every property reads as before) and returns a new value with the change, or the very same instance
/// when nothing changes.
/// </summary>
public class ImmutabilityTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static readonly WorkspaceId OtherWorkspace = Workspace(Subscription, "rg-other", "mlw-other");

    // Built afresh on every call, so that "a copy built the same way" is a distinct instance.
    private static EnvironmentDefinition Rich() =>
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main", "release/*")
            .AllowTags("v*")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL", "credit")
            .WithVariable("THRESHOLD", "0.7")
            .WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-value"))
            .WithSecret("API_KEY", SecretFromEnvironmentVariable("API_KEY"));

    private static EnvironmentDefinition Plain() => Environment("dev");

    private static RepositoryDefinition Repo() =>
        Repository("octo-org/credit-risk", Environment("dev"), Environment("staging").WithWaitTimer(TimeSpan.FromMinutes(5)), Rich());

    private static RepositorySetDefinition Set() =>
        Repositories(Repo(), Repository("octo-org/churn", Environment("dev").WithVariable("MODEL", "churn")));

    private static readonly Dictionary<string, Action[]> Groups = new()
    {
        ["reviewers"] =
        [
            Changes("RequireReviewers(params Reviewer[])", Rich, e => e.RequireReviewers(User("bob")),
                r => r.Reviewers.Length == 3 && r.Reviewers[2].Equals(User("bob"))),
            Changes("RequireReviewers(IEnumerable<Reviewer>)", Rich, e => e.RequireReviewers(new List<Reviewer> { Team("auditors"), User("cy") }),
                r => r.Reviewers.Length == 4 && r.Reviewers[2].Equals(Team("auditors")) && r.Reviewers[3].Equals(User("cy"))),
            Changes("WithoutReviewers", Rich, e => e.WithoutReviewers(), r => r.Reviewers.IsEmpty),
            Same("RequireReviewers() with none", Rich, e => e.RequireReviewers()),
            Same("RequireReviewers(empty list)", Rich, e => e.RequireReviewers(new List<Reviewer>())),
            Same("WithoutReviewers when there are none", Plain, e => e.WithoutReviewers()),
        ],
        ["waitTimer"] =
        [
            Changes("WithWaitTimer", Rich, e => e.WithWaitTimer(TimeSpan.FromMinutes(60)), r => r.WaitTimer == TimeSpan.FromMinutes(60)),
            Changes("WithoutWaitTimer", Rich, e => e.WithoutWaitTimer(), r => r.WaitTimer == TimeSpan.Zero),
            Same("WithWaitTimer(same value)", Rich, e => e.WithWaitTimer(TimeSpan.FromMinutes(30))),
            Same("WithoutWaitTimer when there is none", Plain, e => e.WithoutWaitTimer()),
        ],
        ["selfReview"] =
        [
            Changes("PreventSelfReview", () => Rich().AllowSelfReview(), e => e.PreventSelfReview(), r => r.PreventsSelfReview),
            Changes("AllowSelfReview", Rich, e => e.AllowSelfReview(), r => !r.PreventsSelfReview),
            Same("PreventSelfReview twice", Rich, e => e.PreventSelfReview()),
            Same("AllowSelfReview by default", Plain, e => e.AllowSelfReview()),
        ],
        ["adminBypass"] =
        [
            Changes("AllowAdminsBypass", Rich, e => e.AllowAdminsBypass(), r => r.CanAdminsBypass),
            Changes("PreventAdminsBypass", () => Rich().AllowAdminsBypass(), e => e.PreventAdminsBypass(), r => !r.CanAdminsBypass),
            Same("PreventAdminsBypass twice", Rich, e => e.PreventAdminsBypass()),
            Same("AllowAdminsBypass by default", Plain, e => e.AllowAdminsBypass()),
        ],
        ["branchPolicy"] =
        [
            Changes("AllowAllBranches", Rich, e => e.AllowAllBranches(),
                r => r.BranchPolicy.Kind == DeploymentBranchPolicyKind.AllBranches && r.BranchPolicy.Patterns.IsEmpty),
            Changes("AllowProtectedBranchesOnly", Rich, e => e.AllowProtectedBranchesOnly(),
                r => r.BranchPolicy.Kind == DeploymentBranchPolicyKind.ProtectedBranches && r.BranchPolicy.Patterns.IsEmpty),
            Changes("AllowBranches", Rich, e => e.AllowBranches("hotfix/*"),
                r => r.BranchPolicy.Patterns.SequenceEqual([Branch("main"), Branch("release/*"), Tag("v*"), Branch("hotfix/*")])),
            Changes("AllowTags", Rich, e => e.AllowTags("v2.*"),
                r => r.BranchPolicy.Patterns.SequenceEqual([Branch("main"), Branch("release/*"), Tag("v*"), Tag("v2.*")])),
            Changes("WithBranchPolicy", Rich, e => e.WithBranchPolicy(DeploymentBranchPolicy.Custom([Tag("v9")])),
                r => r.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns && r.BranchPolicy.Patterns.SequenceEqual([Tag("v9")])),
            Same("AllowAllBranches by default", Plain, e => e.AllowAllBranches()),
            Same("AllowProtectedBranchesOnly twice", () => Plain().AllowProtectedBranchesOnly(), e => e.AllowProtectedBranchesOnly()),
            Same("WithBranchPolicy(an equal policy)", Rich,
                e => e.WithBranchPolicy(DeploymentBranchPolicy.Custom([Branch("main"), Branch("release/*"), Tag("v*")]))),
        ],
        ["workspace"] =
        [
            Changes("BindWorkspace(WorkspaceId)", Rich, e => e.BindWorkspace(OtherWorkspace), r => r.Binding!.Workspace == OtherWorkspace),
            Changes("BindWorkspace(WorkspaceBinding)", Rich, e => e.BindWorkspace(Plain().BindWorkspace(OtherWorkspace).Binding!),
                r => r.Binding!.Workspace == OtherWorkspace),
            Changes("WithoutWorkspace", Rich, e => e.WithoutWorkspace(), r => r.Binding is null),
            Same("BindWorkspace(the same workspace)", Rich, e => e.BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))),
            Same("BindWorkspace(the same workspace in other case)", Rich, e => e.BindWorkspace(Workspace(Subscription, "RG-ML", "MLW-PROD"))),
            Same("WithoutWorkspace when there is none", Plain, e => e.WithoutWorkspace()),
        ],
        ["variables"] =
        [
            Changes("WithVariable(name, value) adding", Rich, e => e.WithVariable("REGION", "westeurope"),
                r => r.Variables.Length == 3 && r.Variables[2].Name == "REGION" && r.Variables[2].Value == "westeurope"),
            Changes("WithVariable(name, value) replacing", Rich, e => e.WithVariable("MODEL", "fraud"),
                r => r.Variables.Length == 2 && r.Variables[0].Name == "MODEL" && r.Variables[0].Value == "fraud"),
            Changes("WithVariable(VariableDefinition)", Rich, e => e.WithVariable(new VariableDefinition("REGION", "westeurope")),
                r => r.Variables.Length == 3 && r.Variables[2].Value == "westeurope"),
            Changes("WithoutVariable", Rich, e => e.WithoutVariable("model"),
                r => r.Variables.Length == 1 && r.Variables[0].Name == "THRESHOLD"),
            Same("WithVariable(same name and value)", Rich, e => e.WithVariable("MODEL", "credit")),
            Same("WithVariable(an equal VariableDefinition)", Rich, e => e.WithVariable(new VariableDefinition("THRESHOLD", "0.7"))),
            Same("WithoutVariable(unknown name)", Rich, e => e.WithoutVariable("REGION")),
        ],
        ["secrets"] =
        [
            Changes("WithSecret(name, value) adding", Rich, e => e.WithSecret("DB_PASSWORD", SecretFromConfiguration("Secrets:Db")),
                r => r.Secrets.Length == 3 && r.Secrets[2].Value.Reference == "Secrets:Db"),
            Changes("WithSecret(name, value) replacing", Rich, e => e.WithSecret("TOKEN", SecretValue.Existing),
                r => r.Secrets.Length == 2 && r.Secrets[0].Name == "TOKEN" && r.Secrets[0].Value.Source == SecretSource.Existing),
            Changes("WithSecret(SecretDefinition)", Rich, e => e.WithSecret(new SecretDefinition("API_KEY", SecretValue.FromValue("k"))),
                r => r.Secrets.Length == 2 && r.Secrets[1].Value.Source == SecretSource.Literal),
            Changes("WithoutSecret", Rich, e => e.WithoutSecret("token"), r => r.Secrets.Length == 1 && r.Secrets[0].Name == "API_KEY"),
            Same("WithSecret(same name and equal literal)", Rich, e => e.WithSecret("TOKEN", SecretValue.FromValue("s3cr3t-value"))),
            Same("WithSecret(an equal SecretDefinition)", Rich,
                e => e.WithSecret(new SecretDefinition("API_KEY", SecretFromEnvironmentVariable("API_KEY")))),
            Same("WithoutSecret(unknown name)", Rich, e => e.WithoutSecret("NOPE")),
        ],
        ["repository"] =
        [
            Changes("WithEnvironment adding", Repo, r => r.WithEnvironment(Environment("canary")),
                r => r.Environments.Select(e => e.Name).SequenceEqual(["dev", "staging", "prod", "canary"])),
            Changes("WithEnvironment replacing in place", Repo, r => r.WithEnvironment(Environment("STAGING")),
                r => r.Environments.Select(e => e.Name).SequenceEqual(["dev", "STAGING", "prod"]) && r.Environments[1].WaitTimer == TimeSpan.Zero),
            Changes("WithEnvironments", Repo, r => r.WithEnvironments(Environment("qa"), Environment("dev").WithVariable("X", "1")),
                r => r.Environments.Select(e => e.Name).SequenceEqual(["dev", "staging", "prod", "qa"]) && r.Environments[0].Variables.Length == 1),
            Changes("WithoutEnvironment", Repo, r => r.WithoutEnvironment("Staging"),
                r => r.Environments.Select(e => e.Name).SequenceEqual(["dev", "prod"])),
            Changes("UpdateEnvironment", Repo, r => r.UpdateEnvironment("PROD", e => e.WithWaitTimer(TimeSpan.FromMinutes(90))),
                r => r.Environments.Length == 3 && r.Environments[2].WaitTimer == TimeSpan.FromMinutes(90)),
            Same("WithEnvironment(an equal environment)", Repo, r => r.WithEnvironment(Environment("staging").WithWaitTimer(TimeSpan.FromMinutes(5)))),
            Same("WithEnvironments() with none", Repo, r => r.WithEnvironments()),
            Same("WithoutEnvironment(unknown name)", Repo, r => r.WithoutEnvironment("canary")),
            Same("UpdateEnvironment(no change)", Repo, r => r.UpdateEnvironment("dev", e => e.AllowAllBranches())),
        ],
        ["repositorySet"] =
        [
            Changes("WithRepository adding", Set, s => s.WithRepository(Repository("octo-org/fraud")),
                s => s.Repositories.Length == 3 && s.Repositories[2].Repository == RepositoryId.Parse("octo-org/fraud")),
            Changes("WithRepository replacing in place", Set, s => s.WithRepository(Repository("OCTO-ORG/credit-risk", Environment("dev"))),
                s => s.Repositories.Length == 2 && s.Repositories[0].Environments.Length == 1),
            Changes("WithoutRepository", Set, s => s.WithoutRepository(RepositoryId.Parse("Octo-Org/Churn")),
                s => s.Repositories.Length == 1 && s.Repositories[0].Repository.Name == "credit-risk"),
            Same("WithRepository(an equal repository)", Set, s => s.WithRepository(Repo())),
            Same("WithoutRepository(unknown repository)", Set, s => s.WithoutRepository(RepositoryId.Parse("octo-org/fraud"))),
        ],
    };

    [Theory]
    [InlineData("reviewers")]
    [InlineData("waitTimer")]
    [InlineData("selfReview")]
    [InlineData("adminBypass")]
    [InlineData("branchPolicy")]
    [InlineData("workspace")]
    [InlineData("variables")]
    [InlineData("secrets")]
    [InlineData("repository")]
    [InlineData("repositorySet")]
    public void FluentMethods_LeaveTheOriginalUnchanged(string group)
    {
        foreach (var check in Groups[group])
        {
            check();
        }
    }

    [Fact]
    public void UpdateEnvironment_OfAnUnknownEnvironment_Throws_AndLeavesTheOriginalUnchanged()
    {
        var original = Repo();
        var before = Snapshot.Of(original);

        Assert.Throws<KeyNotFoundException>(() => original.UpdateEnvironment("canary", e => e.PreventSelfReview()));
        Assert.Equal(before, Snapshot.Of(original));
    }

    private static Action Changes<T>(string method, Func<T> build, Func<T, T> apply, Func<T, bool> isExpected)
        where T : class, IEquatable<T> => () =>
    {
        var original = build();
        var before = Snapshot.Of(original);

        var result = apply(original);

        Assert.True(!ReferenceEquals(original, result), $"{method}: returned the same instance although it changes the definition.");
        Assert.True(!result.Equals(original) && !original.Equals(result), $"{method}: the result still equals the original.");
        Assert.True(isExpected(result), $"{method}: the result does not hold the change: {Snapshot.Of(result)}");
        Assert.True(build().Equals(original), $"{method}: the original no longer equals a copy built the same way.");
        var after = Snapshot.Of(original);
        Assert.True(before == after, $"{method}: the original's properties changed.{System.Environment.NewLine}before: {before}{System.Environment.NewLine}after:  {after}");
    };

    private static Action Same<T>(string method, Func<T> build, Func<T, T> apply)
        where T : class => () =>
    {
        var original = build();
        var before = Snapshot.Of(original);

        var result = apply(original);

        Assert.True(ReferenceEquals(original, result), $"{method}: nothing changes, yet a new instance was returned: {Snapshot.Of(result)}");
        Assert.True(before == Snapshot.Of(original), $"{method}: the original's properties changed.");
    };
}
