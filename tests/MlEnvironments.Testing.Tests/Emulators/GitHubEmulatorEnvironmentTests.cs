using System.Net;
using System.Text.Json;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

public class GitHubEmulatorEnvironmentTests : EmulatorTestBase
{
    [Fact]
    public async Task GetEnvironment_SeededInTheFake_HasGitHubsShape_WithFullReviewerObjects()
    {
        var anaId = GitHub.AddUser("ana", 501);
        var teamId = GitHub.AddTeam("ml-leads", 601);
        GitHub.Seed(Repo, Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main"));

        var body = await ReadConformingAsync(await GetAsync(EnvPath("PROD")), "repos/get-environment");

        var seeded = (await GitHub.GetEnvironmentAsync(Repo, "prod"))!;
        Assert.Equal(seeded.Id, body.GetProperty("id").GetInt64());
        Assert.Equal("prod", body.GetProperty("name").GetString());
        Assert.Equal(Emulator.BaseAddress + "repos/octo-org/credit-risk/environments/prod", body.GetProperty("url").GetString());
        Assert.False(body.GetProperty("can_admins_bypass").GetBoolean());
        var policy = body.GetProperty("deployment_branch_policy");
        Assert.Equal((false, true), (policy.GetProperty("protected_branches").GetBoolean(), policy.GetProperty("custom_branch_policies").GetBoolean()));

        var rules = body.GetProperty("protection_rules").EnumerateArray().ToDictionary(r => r.GetProperty("type").GetString()!);
        Assert.Equal(["wait_timer", "required_reviewers", "branch_policy"], rules.Keys);
        Assert.Equal(30, rules["wait_timer"].GetProperty("wait_timer").GetInt32());
        Assert.True(rules["required_reviewers"].GetProperty("prevent_self_review").GetBoolean());
        var reviewers = rules["required_reviewers"].GetProperty("reviewers").EnumerateArray().ToArray();
        Assert.Equal(("User", "ana", anaId), (reviewers[0].GetProperty("type").GetString(), reviewers[0].GetProperty("reviewer").GetProperty("login").GetString(), reviewers[0].GetProperty("reviewer").GetProperty("id").GetInt64()));
        Assert.Equal(Emulator.BaseAddress + "users/ana", reviewers[0].GetProperty("reviewer").GetProperty("url").GetString());
        Assert.Equal(("Team", "ml-leads", teamId), (reviewers[1].GetProperty("type").GetString(), reviewers[1].GetProperty("reviewer").GetProperty("slug").GetString(), reviewers[1].GetProperty("reviewer").GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, reviewers[1].GetProperty("reviewer").GetProperty("parent").ValueKind);
    }

    [Fact]
    public async Task GetEnvironment_WithoutRules_HasNullBranchPolicyAndNoRules_AndUnknownAnswers404()
    {
        GitHub.Seed(Repo, Environment("dev"));

        var body = await ReadConformingAsync(await GetAsync(EnvPath("dev")), "repos/get-environment");

        Assert.Equal(JsonValueKind.Null, body.GetProperty("deployment_branch_policy").ValueKind);
        Assert.Empty(body.GetProperty("protection_rules").EnumerateArray());
        Assert.True(body.GetProperty("can_admins_bypass").GetBoolean());
        Assert.Equal("Not Found", await ReadErrorAsync(await GetAsync(EnvPath("staging")), HttpStatusCode.NotFound));
        Assert.Equal("Not Found", await ReadErrorAsync(await GetAsync("repos/octo-org/missing/environments/dev"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task ListEnvironments_IsWrapped_WithTotalCount()
    {
        GitHub.Seed(Repo, Environment("dev")).Seed(Repo, Environment("prod").WithWaitTimer(TimeSpan.FromMinutes(5)));

        var body = await ReadConformingAsync(await GetAsync($"repos/{Repo}/environments"), "repos/get-all-environments");

        Assert.Equal(2, body.GetProperty("total_count").GetInt32());
        Assert.Equal(["dev", "prod"], body.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task PutEnvironment_CreatesIt_InTheFake_ThenMergesOmittedFields()
    {
        var ana = GitHub.AddUser("ana");
        var team = GitHub.AddTeam("ml-leads");

        var created = await ReadConformingAsync(
            await SendAsync(HttpMethod.Put, EnvPath("prod"), $$"""
                {"wait_timer": 30, "prevent_self_review": true, "reviewers": [{"type": "User", "id": {{ana}}}, {"type": "Team", "id": {{team}}}],
                 "deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": false}, "can_admins_bypass": false}
                """),
            "repos/create-or-update-environment");

        var stored = (await GitHub.GetEnvironmentAsync(Repo, "prod"))!;
        Assert.Equal(stored.Id, created.GetProperty("id").GetInt64());
        Assert.Equal((TimeSpan.FromMinutes(30), true, false, DeploymentBranchPolicyKind.ProtectedBranches), (stored.WaitTimer, stored.PreventSelfReview, stored.CanAdminsBypass, stored.BranchPolicy));
        Assert.Equal([User("ana"), Team("ml-leads")], stored.Reviewers.Select(r => r.ToReviewer()));

        // Omitted fields keep their values; explicit resets clear them.
        await ReadConformingAsync(await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"wait_timer": 0}"""), "repos/create-or-update-environment");
        stored = (await GitHub.GetEnvironmentAsync(Repo, "prod"))!;
        Assert.Equal((TimeSpan.Zero, 2, DeploymentBranchPolicyKind.ProtectedBranches), (stored.WaitTimer, stored.Reviewers.Count, stored.BranchPolicy));

        await ReadConformingAsync(await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"reviewers": null, "prevent_self_review": false, "deployment_branch_policy": null}"""), "repos/create-or-update-environment");
        stored = (await GitHub.GetEnvironmentAsync(Repo, "prod"))!;
        Assert.Equal((0, DeploymentBranchPolicyKind.AllBranches), (stored.Reviewers.Count, stored.BranchPolicy));
        Assert.Contains(GitHub.Calls, c => c.Operation == "repos/create-or-update-environment" && c.Environment == "prod");
    }

    [Fact]
    public async Task PutEnvironment_WithoutBody_CreatesAnEnvironmentWithDefaults()
    {
        var response = await SendAsync(HttpMethod.Put, EnvPath("release/v1"));

        var body = await ReadConformingAsync(response, "repos/create-or-update-environment");
        Assert.Equal("release/v1", body.GetProperty("name").GetString());
        Assert.Equal(Emulator.BaseAddress + "repos/octo-org/credit-risk/environments/release%2Fv1", body.GetProperty("url").GetString());
        Assert.NotNull(await GitHub.GetEnvironmentAsync(Repo, "release/v1"));
    }

    [Fact]
    public async Task PutEnvironment_AnswersGitHubs422s()
    {
        var sameFlags = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": true}}""");
        Assert.Contains("protected_branches", await ReadErrorAsync(sameFlags, HttpStatusCode.UnprocessableEntity));

        var unknownReviewer = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"reviewers": [{"type": "User", "id": 999999}]}""");
        Assert.Contains("does not exist", await ReadErrorAsync(unknownReviewer, HttpStatusCode.UnprocessableEntity));

        var timer = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"wait_timer": 43201}""");
        Assert.Contains("wait_timer", await ReadErrorAsync(timer, HttpStatusCode.UnprocessableEntity));

        var huge = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"wait_timer": 1e20}""");
        Assert.Contains("wait_timer", await ReadErrorAsync(huge, HttpStatusCode.UnprocessableEntity));

        Assert.Null(await GitHub.GetEnvironmentAsync(Repo, "prod"));
    }

    [Fact]
    public async Task DeleteEnvironment_Answers204_AndTheFakeNoLongerHasIt()
    {
        GitHub.Seed(Repo, Environment("dev"));

        var response = await SendAsync(HttpMethod.Delete, EnvPath("DEV"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await GitHub.GetEnvironmentAsync(Repo, "dev"));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, EnvPath("dev"))).StatusCode);
    }

    [Fact]
    public async Task BranchPolicies_CreateListGetUpdateDelete()
    {
        GitHub.Seed(Repo, Environment("prod").AllowBranches("main"));
        var path = EnvPath("prod", "/deployment-branch-policies");

        var created = await ReadConformingAsync(await SendAsync(HttpMethod.Post, path, """{"name": "v*", "type": "tag"}"""), "repos/create-deployment-branch-policy");
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(("v*", "tag"), (created.GetProperty("name").GetString(), created.GetProperty("type").GetString()));

        var list = await ReadConformingAsync(await GetAsync(path), "repos/list-deployment-branch-policies");
        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        Assert.Equal(["main", "v*"], list.GetProperty("branch_policies").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        var fetched = await ReadConformingAsync(await GetAsync($"{path}/{id}"), "repos/get-deployment-branch-policy");
        Assert.Equal("v*", fetched.GetProperty("name").GetString());

        var updated = await ReadConformingAsync(await SendAsync(HttpMethod.Put, $"{path}/{id}", """{"name": "v[0-9]*"}"""), "repos/update-deployment-branch-policy");
        Assert.Equal(("v[0-9]*", "tag"), (updated.GetProperty("name").GetString(), updated.GetProperty("type").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"{path}/{id}")).StatusCode);
        Assert.Equal(["main"], (await GitHub.ListDeploymentBranchPoliciesAsync(Repo, "prod")).Select(p => p.Name));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{path}/{id}")).StatusCode);
    }

    [Fact]
    public async Task CreateBranchPolicy_DuplicatePattern_Answers303SeeOther_WithTheExistingPolicy()
    {
        GitHub.Seed(Repo, Environment("prod").AllowBranches("main"));
        var existing = Assert.Single(await GitHub.ListDeploymentBranchPoliciesAsync(Repo, "prod"));
        var path = EnvPath("prod", "/deployment-branch-policies");

        var response = await SendAsync(HttpMethod.Post, path, """{"name": "main", "type": "branch"}""", NewClient(followRedirects: false));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(new Uri(Emulator.BaseAddress, $"{path}/{existing.Id}"), response.Headers.Location);

        // A client that follows the redirect (as Octokit does) gets the existing policy with a GET.
        var followed = await ReadConformingAsync(await SendAsync(HttpMethod.Post, path, """{"name": "main"}"""), "repos/get-deployment-branch-policy");
        Assert.Equal(existing.Id, followed.GetProperty("id").GetInt64());
        Assert.Single(await GitHub.ListDeploymentBranchPoliciesAsync(Repo, "prod"));
    }

    [Fact]
    public async Task CreateBranchPolicy_WhenThePolicyIsNotCustom_Answers404()
    {
        GitHub.Seed(Repo, Environment("prod").AllowProtectedBranchesOnly());

        var response = await SendAsync(HttpMethod.Post, EnvPath("prod", "/deployment-branch-policies"), """{"name": "main"}""");

        Assert.Equal("Not Found", await ReadErrorAsync(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task ProtectionRules_ListAppsEnableGetDisable()
    {
        GitHub.Seed(Repo, Environment("prod"));
        GitHub.InstallProtectionRuleApp(Repo, 77, "model-gate");
        var path = EnvPath("prod", "/deployment_protection_rules");

        var apps = await ReadConformingAsync(await GetAsync(path + "/apps"), "repos/list-custom-deployment-rule-integrations");
        Assert.Equal(1, apps.GetProperty("total_count").GetInt32());
        var app = Assert.Single(apps.GetProperty("available_custom_deployment_protection_rule_integrations").EnumerateArray());
        Assert.Equal((77, "model-gate"), (app.GetProperty("id").GetInt64(), app.GetProperty("slug").GetString()));

        var rule = await ReadConformingAsync(await SendAsync(HttpMethod.Post, path, """{"integration_id": 77}"""), "repos/create-deployment-protection-rule", HttpStatusCode.Created);
        var ruleId = rule.GetProperty("id").GetInt64();
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal("model-gate", rule.GetProperty("app").GetProperty("slug").GetString());

        var list = await ReadConformingAsync(await GetAsync(path), "repos/get-all-deployment-protection-rules");
        Assert.Equal(ruleId, Assert.Single(list.GetProperty("custom_deployment_protection_rules").EnumerateArray()).GetProperty("id").GetInt64());
        var fetched = await ReadConformingAsync(await GetAsync($"{path}/{ruleId}"), "repos/get-custom-deployment-protection-rule");
        Assert.Equal(77, fetched.GetProperty("app").GetProperty("id").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"{path}/{ruleId}")).StatusCode);
        Assert.Empty(await GitHub.ListProtectionRulesAsync(Repo, "prod"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, path, """{"integration_id": 78}""")).StatusCode);
    }
}
