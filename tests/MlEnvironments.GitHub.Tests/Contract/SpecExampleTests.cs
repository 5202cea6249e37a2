using System.Net;
using System.Text.Json;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The response examples of GitHub's OpenAPI description, served as they are, parse into the right values.</summary>
public class SpecExampleTests
{
    private static readonly RepositoryId Repo = RepositoryId.Parse("octocat/hello-world");
    private static readonly Lazy<JsonDocument> Spec = new(() => JsonDocument.Parse(File.ReadAllText(FindSpec())));

    private static JsonElement Example(string operation, string status = "200", string? name = null)
    {
        var content = Spec.Value.RootElement.GetProperty("operations").GetProperty(operation).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json").GetProperty("examples");
        var example = name is null ? content.EnumerateObject().First().Value : content.GetProperty(name);
        return example.GetProperty("value");
    }

    private static ScriptedGitHub Serve(params JsonElement[] bodies)
    {
        var github = new ScriptedGitHub();
        foreach (var body in bodies)
        {
            github.Handler.Then(HttpStatusCode.OK, body.GetRawText());
        }

        return github;
    }

    [Fact]
    public async Task ListEnvironments_Example()
    {
        var example = Example("repos/get-all-environments");
        using var github = Serve(example);

        var environments = await github.Environments.ListEnvironmentsAsync(Repo);

        var first = example.GetProperty("environments")[0];
        Assert.Equal(example.GetProperty("environments").GetArrayLength(), environments.Count);
        Assert.Equal((first.GetProperty("id").GetInt64(), first.GetProperty("name").GetString()), (environments[0].Id, environments[0].Name));
        var withRules = environments.Single(e => e.Reviewers.Count > 0);
        Assert.Equal(TimeSpan.FromMinutes(30), withRules.WaitTimer);
        Assert.Contains(withRules.Reviewers, r => r.Kind == ReviewerKind.User && r.Name == "octocat" && r.Id == 1);
        Assert.Contains(withRules.Reviewers, r => r.Kind == ReviewerKind.Team && r.Name == "justice-league" && r.Id == 1);
        var firstPolicy = first.GetProperty("deployment_branch_policy");
        Assert.Equal(
            firstPolicy.ValueKind == JsonValueKind.Null ? DeploymentBranchPolicyKind.AllBranches
                : firstPolicy.GetProperty("custom_branch_policies").GetBoolean() ? DeploymentBranchPolicyKind.CustomPatterns : DeploymentBranchPolicyKind.ProtectedBranches,
            environments[0].BranchPolicy);
    }

    [Fact]
    public async Task GetAndPutEnvironment_Examples()
    {
        using var github = Serve(Example("repos/get-environment"), Example("repos/create-or-update-environment"));

        var read = await github.Environments.GetEnvironmentAsync(Repo, "staging");
        var written = await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "staging", new GitHubEnvironmentSettings());

        Assert.Equal(("staging", TimeSpan.FromMinutes(30), false), (read!.Name, read.WaitTimer, read.PreventSelfReview));
        Assert.Equal(2, read.Reviewers.Count);
        Assert.Equal(DeploymentBranchPolicyKind.CustomPatterns, read.BranchPolicy);
        Assert.Equal("staging", written.Name);
    }

    [Theory]
    [InlineData("example-wildcard", "release/*", DeploymentRefType.Branch)]
    [InlineData("example-single-branch", "main", DeploymentRefType.Branch)]
    [InlineData("example-single-tag", "v1", DeploymentRefType.Tag)]
    public async Task BranchPolicy_Examples(string name, string pattern, DeploymentRefType type)
    {
        var example = Example("repos/create-deployment-branch-policy", name: name);
        using var github = Serve(example);

        var policy = await github.Environments.CreateDeploymentBranchPolicyAsync(Repo, "prod", new DeploymentRefPattern(pattern, type));

        Assert.Equal((example.GetProperty("id").GetInt64(), example.GetProperty("name").GetString(), type), (policy.Id, policy.Name, policy.Type));
    }

    [Fact]
    public async Task ListBranchPolicies_Example()
    {
        var example = Example("repos/list-deployment-branch-policies");
        using var github = Serve(example);

        var policies = await github.Environments.ListDeploymentBranchPoliciesAsync(Repo, "prod");

        Assert.Equal(example.GetProperty("branch_policies").EnumerateArray().Select(p => p.GetProperty("name").GetString()), policies.Select(p => p.Name));
    }

    [Fact]
    public async Task ProtectionRule_Examples()
    {
        var rules = Example("repos/get-all-deployment-protection-rules");
        var apps = Example("repos/list-custom-deployment-rule-integrations");
        var created = Example("repos/create-deployment-protection-rule", "201");
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, rules.GetRawText()).Then(HttpStatusCode.OK, apps.GetRawText()).Then(HttpStatusCode.Created, created.GetRawText());

        var listed = await github.Environments.ListProtectionRulesAsync(Repo, "prod");
        var available = await github.Environments.ListAvailableProtectionRuleAppsAsync(Repo, "prod");
        var enabled = await github.Environments.EnableProtectionRuleAsync(Repo, "prod", 1);

        Assert.Equal(rules.GetProperty("custom_deployment_protection_rules").GetArrayLength(), listed.Count);
        Assert.Equal(rules.GetProperty("custom_deployment_protection_rules")[0].GetProperty("app").GetProperty("slug").GetString(), listed[0].App.Slug);
        // The description's example is an array of partial objects although its schema is one object: both parse.
        var appObjects = apps.ValueKind == JsonValueKind.Array ? apps.EnumerateArray().ToList() : [apps];
        var expectedApps = appObjects
            .Where(o => o.TryGetProperty("available_custom_deployment_protection_rule_integrations", out _))
            .SelectMany(o => o.GetProperty("available_custom_deployment_protection_rule_integrations").EnumerateArray())
            .Select(a => a.GetProperty("slug").GetString())
            .ToList();
        Assert.Equal(expectedApps, available.Select(a => a.Slug));
        Assert.Equal((created.GetProperty("id").GetInt64(), created.GetProperty("app").GetProperty("slug").GetString()), (enabled.Id, enabled.App.Slug));
    }

    [Fact]
    public async Task SecretAndVariableList_Examples()
    {
        var secrets = Example("actions/list-environment-secrets");
        var variables = Example("actions/list-environment-variables");
        using var github = Serve(secrets, variables);

        var listedSecrets = await github.Secrets.ListEnvironmentSecretsAsync(Repo, "prod");
        var listedVariables = await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Equal(secrets.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("name").GetString()), listedSecrets.Select(s => s.Name));
        Assert.Equal(DateTimeOffset.Parse(secrets.GetProperty("secrets")[0].GetProperty("updated_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), listedSecrets[0].UpdatedAt);
        Assert.Equal(variables.GetProperty("variables").EnumerateArray().Select(v => (v.GetProperty("name").GetString(), v.GetProperty("value").GetString())),
            listedVariables.Select(v => ((string?)v.Name, (string?)v.Value)));
    }

    [Fact]
    public async Task RepositoryOidcUserTeamAndPermission_Examples()
    {
        var repository = Example("repos/get", name: "default-response");
        var oidc = Example("actions/get-custom-oidc-sub-claim-for-repo");
        var user = Example("users/get-by-username", name: "default-response");
        var permission = Example("repos/get-collaborator-permission-level");
        var team = Example("teams/get-by-name");
        var teamAccess = Example("teams/check-permissions-for-repo-in-org");
        var oidcHasPrefix = oidc.TryGetProperty("sub_claim_prefix", out var prefix);

        // Without sub_claim_prefix (the example predates it) the client builds the default prefix from the repository.
        using var github = oidcHasPrefix
            ? Serve(repository, oidc, user, permission, team, teamAccess)
            : Serve(repository, oidc, repository, user, permission, team, teamAccess);

        var info = await github.Repositories.GetRepositoryAsync(Repo);
        var claim = await github.Repositories.GetOidcSubjectClaimAsync(Repo);
        var resolvedUser = await github.Repositories.ResolveReviewerAsync(Repo, User("octocat"));
        var resolvedTeam = await github.Repositories.ResolveReviewerAsync(Repo, Team("justice-league"));

        Assert.Equal((repository.GetProperty("id").GetInt64(), repository.GetProperty("owner").GetProperty("login").GetString() + "/" + repository.GetProperty("name").GetString()),
            (info.Id, info.Repository.ToString()));
        Assert.Equal(oidcHasPrefix ? prefix.GetString() : "repo:octocat/Hello-World", claim.SubClaimPrefix);
        Assert.Equal((true, user.GetProperty("id").GetInt64()), (resolvedUser.CanReview, resolvedUser.Id!.Value));
        Assert.Equal((true, team.GetProperty("id").GetInt64()), (resolvedTeam.CanReview, resolvedTeam.Id!.Value));
    }

    private static string FindSpec()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "MlEnvironments.Testing", "Emulators", "GitHub", "github-openapi-subset.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("github-openapi-subset.json was not found above " + AppContext.BaseDirectory);
    }
}
