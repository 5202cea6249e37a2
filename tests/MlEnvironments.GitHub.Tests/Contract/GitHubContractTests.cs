using MlEnvironments.Testing;
using Xunit.Abstractions;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>
/// Every method of every GitHub interface, through the real client, over HTTP, against the emulator that checks
/// each request against GitHub's OpenAPI description.
/// </summary>
public class GitHubContractTests(ITestOutputHelper output)
{
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;

    [Fact]
    public async Task Environments_AreListedOverEveryPage_WithTheirRules()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.GrantAccess(Repo, User("ana"));
        for (var i = 0; i < 120; i++)
        {
            github.State.Seed(Repo, Environment($"env-{i:D3}"));
        }

        github.State.Seed(Repo, Environment("Prod").RequireReviewers(User("ana")).WithWaitTimer(TimeSpan.FromMinutes(30)).PreventSelfReview().AllowProtectedBranchesOnly());

        var environments = await github.Environments.ListEnvironmentsAsync(Repo);

        Assert.Equal(121, environments.Count);
        var prod = Assert.Single(environments, e => e.Name == "Prod");
        Assert.Equal((TimeSpan.FromMinutes(30), true, DeploymentBranchPolicyKind.ProtectedBranches, "user:ana"),
            (prod.WaitTimer, prod.PreventSelfReview, prod.BranchPolicy, prod.Reviewers.Single().ToReviewer().ToString()));
        Assert.Equal(2, github.Emulator.Requests.Count(r => r.OperationId == "repos/get-all-environments"));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task Environment_IsCreatedUpdatedReadAndDeleted_WithEveryRule()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var ana = github.State.AddUser("ana");
        var leads = github.State.AddTeam("ml-leads");
        github.State.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));

        var created = await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "release/prod", new GitHubEnvironmentSettings
        {
            WaitTimer = TimeSpan.FromMinutes(15),
            PreventSelfReview = true,
            CanAdminsBypass = false,
            Reviewers = [new(ReviewerKind.User, ana), new(ReviewerKind.Team, leads)],
            BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns,
        });
        var cleared = await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "release/prod", new GitHubEnvironmentSettings { ClearUnsetRules = true });
        var read = await github.Environments.GetEnvironmentAsync(Repo, "RELEASE/PROD");
        var missing = await github.Environments.GetEnvironmentAsync(Repo, "nope");
        await github.Environments.DeleteEnvironmentAsync(Repo, "release/prod");

        Assert.Equal(("release/prod", TimeSpan.FromMinutes(15), true, false, 2, DeploymentBranchPolicyKind.CustomPatterns),
            (created.Name, created.WaitTimer, created.PreventSelfReview, created.CanAdminsBypass, created.Reviewers.Count, created.BranchPolicy));
        Assert.Equal((TimeSpan.Zero, false, true, 0, DeploymentBranchPolicyKind.AllBranches),
            (cleared.WaitTimer, cleared.PreventSelfReview, cleared.CanAdminsBypass, cleared.Reviewers.Count, cleared.BranchPolicy));
        Assert.Equal(created.Id, read?.Id);
        Assert.Null(missing);
        Assert.Empty(github.State.Snapshot(Repo).Environments);
        Assert.Contains(github.Emulator.Requests, r => r.Path.Contains("release%2Fprod", StringComparison.Ordinal));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task BranchAndTagPolicies_AreCreatedListedUpdatedAndDeleted_AndADuplicateGivesTheExistingOne()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings { BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns });

        var main = await github.Environments.CreateDeploymentBranchPolicyAsync(Repo, "prod", Branch("main"));
        var tag = await github.Environments.CreateDeploymentBranchPolicyAsync(Repo, "prod", Tag("v*"));
        var duplicate = await github.Environments.CreateDeploymentBranchPolicyAsync(Repo, "prod", Branch("main"));
        var renamed = await github.Environments.UpdateDeploymentBranchPolicyAsync(Repo, "prod", main.Id, "release/*");
        await github.Environments.DeleteDeploymentBranchPolicyAsync(Repo, "prod", tag.Id);
        var listed = await github.Environments.ListDeploymentBranchPoliciesAsync(Repo, "prod");

        Assert.Equal(main.Id, duplicate.Id);
        Assert.Equal(DeploymentRefType.Tag, tag.Type);
        Assert.Equal(("release/*", DeploymentRefType.Branch), (renamed.Name, renamed.Type));
        Assert.Equal(["branch:release/*"], listed.Select(p => p.ToPattern().ToString()));
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "repos/create-deployment-branch-policy" && r.StatusCode == 303);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task ProtectionRules_AreListedEnabledAndDisabled()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.InstallProtectionRuleApp(Repo, 3, "model-gate");
        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings());

        var available = await github.Environments.ListAvailableProtectionRuleAppsAsync(Repo, "prod");
        var rule = await github.Environments.EnableProtectionRuleAsync(Repo, "prod", 3);
        var enabled = await github.Environments.ListProtectionRulesAsync(Repo, "prod");
        await github.Environments.DisableProtectionRuleAsync(Repo, "prod", rule.Id);
        var after = await github.Environments.ListProtectionRulesAsync(Repo, "prod");

        Assert.Equal("model-gate (#3)", Assert.Single(available).ToString());
        Assert.Equal(("model-gate", true), (rule.App.Slug, rule.Enabled));
        Assert.Equal(rule.Id, Assert.Single(enabled).Id);
        Assert.Empty(after);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task Secrets_AreSealedUnderTheEnvironmentKey_ListedWithoutValues_AndDeleted()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "team/prod", new GitHubEnvironmentSettings());

        await github.Secrets.SetEnvironmentSecretAsync(Repo, "team/prod", "AZURE_CREDENTIALS", "{\"clientSecret\":\"contract-plaintext\"}");
        await github.Secrets.SetEnvironmentSecretAsync(Repo, "team/prod", "OTHER", "second");
        var listed = await github.Secrets.ListEnvironmentSecretsAsync(Repo, "team/prod");
        await github.Secrets.DeleteEnvironmentSecretAsync(Repo, "team/prod", "OTHER");

        Assert.True(github.State.GetSecretValue(Repo, "team/prod", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var stored));
        Assert.Equal("{\"clientSecret\":\"contract-plaintext\"}", stored);
        Assert.Equal(["AZURE_CREDENTIALS", "OTHER"], listed.Select(s => s.Name).Order());
        Assert.Null(github.State.GetSecretValue(Repo, "team/prod", "OTHER"));
        Assert.Single(github.Emulator.Requests, r => r.OperationId == "actions/get-environment-public-key");
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task Variables_AreCreatedListedOverPagesOfThirtyUpdatedAndDeleted_AndADuplicateAnswers409()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings());
        for (var i = 0; i < 35; i++)
        {
            await github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", $"VAR_{i:D2}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var duplicate = await Assert.ThrowsAsync<GitHubException>(() => github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "VAR_00", "x"));
        await github.Variables.UpdateEnvironmentVariableAsync(Repo, "prod", "VAR_01", "updated");
        await github.Variables.DeleteEnvironmentVariableAsync(Repo, "prod", "VAR_02");
        var listed = await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Equal(409, duplicate.StatusCode);
        Assert.Equal(34, listed.Count);
        Assert.Equal("updated", listed.Single(v => v.Name == "VAR_01").Value);
        Assert.Equal(2, github.Emulator.Requests.Count(r => r.OperationId == "actions/list-environment-variables"));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task Reviewers_AreResolved_ThroughUsersTeamsAndTheirAccess()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var ana = github.State.AddUser("ana");
        github.State.AddUser("stranger");
        var leads = github.State.AddTeam("ml-leads");
        github.State.AddTeam("outsiders");
        github.State.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));

        var resolved = await github.Repositories.ResolveReviewerAsync(Repo, User("ana"));
        var stranger = await github.Repositories.ResolveReviewerAsync(Repo, User("stranger"));
        var unknown = await github.Repositories.ResolveReviewerAsync(Repo, User("nobody"));
        var team = await github.Repositories.ResolveReviewerAsync(Repo, Team("ml-leads"));
        var outsiders = await github.Repositories.ResolveReviewerAsync(Repo, Team("outsiders"));
        var noTeam = await github.Repositories.ResolveReviewerAsync(Repo, Team("ghosts"));

        Assert.Equal((true, ana), (resolved.CanReview, resolved.Id!.Value));
        Assert.Equal((true, false), (stranger.Exists, stranger.CanReview));
        Assert.False(unknown.Exists);
        Assert.Equal((true, leads), (team.CanReview, team.Id!.Value));
        Assert.Equal((true, false), (outsiders.Exists, outsiders.CanReview));
        Assert.False(noTeam.Exists);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task RepositoryFacts_AndOidcSubjects_ComeFromGitHub_WithTheirExactCase()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var immutable = RepositoryId.Parse("Octo-Org/New-Repo");
        github.State.ConfigureRepository(Repo, id: 101, ownerId: 7, visibility: GitHubRepositoryVisibility.Private);
        github.State.ConfigureRepository(immutable, id: 202, ownerId: 7, useImmutableSubject: true);

        var info = await github.Repositories.GetRepositoryAsync(RepositoryId.Parse("octo-org/credit-risk"));
        var classic = await github.Repositories.GetOidcSubjectClaimAsync(Repo);
        var modern = await github.Repositories.GetOidcSubjectClaimAsync(immutable);

        Assert.Equal(("Octo-Org/Credit-Risk", 101L, 7L, GitHubRepositoryVisibility.Private),
            (info.Repository.ToString(), info.Id, info.OwnerId, info.Visibility));
        Assert.Equal("repo:Octo-Org/Credit-Risk:environment:Prod", classic.SubjectForEnvironment("Prod"));
        Assert.Equal("repo:Octo-Org@7/New-Repo@202:environment:team/Prod", modern.SubjectForEnvironment("team/Prod"));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task EveryOperationOfTheGitHubInterfaces_IsCalledAndConformsToTheDescription()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        github.State.InstallProtectionRuleApp(Repo, 3, "model-gate");
        var ana = github.State.AddUser("ana");

        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings
        {
            Reviewers = [new(ReviewerKind.User, ana)],
            BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns,
        });
        await github.Environments.ListEnvironmentsAsync(Repo);
        await github.Environments.GetEnvironmentAsync(Repo, "prod");
        var policy = await github.Environments.CreateDeploymentBranchPolicyAsync(Repo, "prod", Branch("main"));
        await github.Environments.ListDeploymentBranchPoliciesAsync(Repo, "prod");
        await github.Environments.UpdateDeploymentBranchPolicyAsync(Repo, "prod", policy.Id, "release/*");
        await github.Environments.DeleteDeploymentBranchPolicyAsync(Repo, "prod", policy.Id);
        await github.Environments.ListAvailableProtectionRuleAppsAsync(Repo, "prod");
        var rule = await github.Environments.EnableProtectionRuleAsync(Repo, "prod", 3);
        await github.Environments.ListProtectionRulesAsync(Repo, "prod");
        await github.Environments.DisableProtectionRuleAsync(Repo, "prod", rule.Id);
        await github.Secrets.SetEnvironmentSecretAsync(Repo, "prod", "TOKEN", "value");
        await github.Secrets.ListEnvironmentSecretsAsync(Repo, "prod");
        await github.Secrets.DeleteEnvironmentSecretAsync(Repo, "prod", "TOKEN");
        await github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "MODEL", "m");
        await github.Variables.UpdateEnvironmentVariableAsync(Repo, "prod", "MODEL", "n");
        await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await github.Variables.DeleteEnvironmentVariableAsync(Repo, "prod", "MODEL");
        await github.Repositories.ResolveReviewerAsync(Repo, User("ana"));
        await github.Repositories.ResolveReviewerAsync(Repo, Team("ml-leads"));
        await github.Repositories.GetRepositoryAsync(Repo);
        await github.Repositories.GetOidcSubjectClaimAsync(Repo);
        await github.Environments.DeleteEnvironmentAsync(Repo, "prod");

        string[] expected =
        [
            "repos/get-all-environments", "repos/get-environment", "repos/create-or-update-environment", "repos/delete-an-environment",
            "repos/list-deployment-branch-policies", "repos/create-deployment-branch-policy", "repos/update-deployment-branch-policy",
            "repos/delete-deployment-branch-policy", "repos/get-all-deployment-protection-rules", "repos/create-deployment-protection-rule",
            "repos/list-custom-deployment-rule-integrations", "repos/disable-deployment-protection-rule",
            "actions/get-environment-public-key", "actions/list-environment-secrets", "actions/create-or-update-environment-secret",
            "actions/delete-environment-secret", "actions/list-environment-variables", "actions/create-environment-variable",
            "actions/update-environment-variable", "actions/delete-environment-variable",
            "users/get-by-username", "repos/get-collaborator-permission-level", "teams/get-by-name", "teams/check-permissions-for-repo-in-org",
            "repos/get", "actions/get-custom-oidc-sub-claim-for-repo",
        ];
        var called = github.Emulator.Requests.Where(r => r.OperationId is not null).Select(r => r.OperationId!).Distinct().Order().ToList();
        output.WriteLine($"GitHub operations called by the client and validated by the emulator: {called.Count} — {string.Join(", ", called)}");
        output.WriteLine($"Requests: {github.Emulator.Requests.Count}; schema violations: {github.Emulator.SchemaViolations.Count}; unmatched: {github.Emulator.UnmatchedRequests.Count}.");
        WriteCoverageReport(called, github.Emulator.Requests.Count, github.Emulator.SchemaViolations.Count);
        Assert.Empty(expected.Except(called));
        github.AssertEveryRequestConformed();
    }

    private static void WriteCoverageReport(List<string> called, int requests, int violations)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "contract");
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "github-operations.txt"),
        [
            $"{called.Count} GitHub operations of github-openapi-subset.json called through the client and validated by the emulator ({requests} requests, {violations} schema violations):",
            .. called.Select(c => "  " + c),
        ]);
    }
}
