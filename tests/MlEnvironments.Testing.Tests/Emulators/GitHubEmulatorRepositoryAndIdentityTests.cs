using System.Net;
using System.Text.Json;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

public class GitHubEmulatorRepositoryAndIdentityTests : EmulatorTestBase
{
    [Fact]
    public async Task GetUser_AnswersAPublicUser_Or404()
    {
        var id = GitHub.AddUser("Ana", 4242);

        var user = await ReadConformingAsync(await GetAsync("users/ana"), "users/get-by-username");

        Assert.Equal(("Ana", id, "User"), (user.GetProperty("login").GetString(), user.GetProperty("id").GetInt64(), user.GetProperty("type").GetString()));
        Assert.Equal("MDQ6VXNlcjQyNDI=", user.GetProperty("node_id").GetString());
        Assert.Equal("Not Found", await ReadErrorAsync(await GetAsync("users/nobody"), HttpStatusCode.NotFound));
        Assert.Contains(GitHub.Calls, c => c.Operation == "users/get-by-username" && c.Target == "ana");
    }

    [Fact]
    public async Task GetTeam_ByOrganisationAndSlug_OrganisationIsTheRepositoryOwner()
    {
        var id = GitHub.AddTeam("ml-leads", 77);

        var team = await ReadConformingAsync(await GetAsync("orgs/octo-org/teams/ml-leads"), "teams/get-by-name");

        Assert.Equal(("ml-leads", id), (team.GetProperty("slug").GetString(), team.GetProperty("id").GetInt64()));
        Assert.Equal("octo-org", team.GetProperty("organization").GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("orgs/other-org/teams/ml-leads")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("orgs/octo-org/teams/nobody")).StatusCode);
    }

    [Fact]
    public async Task CheckCollaborator_Answers204WithAccess_404Without()
    {
        GitHub.GrantAccess(Repo, User("ana"));
        GitHub.AddUser("bob");

        Assert.Equal(HttpStatusCode.NoContent, (await GetAsync($"repos/{Repo}/collaborators/ana")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"repos/{Repo}/collaborators/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"repos/{Repo}/collaborators/nobody")).StatusCode);
    }

    [Fact]
    public async Task CollaboratorPermission_IsReadWithAccess_NoneWithout()
    {
        GitHub.GrantAccess(Repo, User("ana"));
        GitHub.AddUser("bob");

        var ana = await ReadConformingAsync(await GetAsync($"repos/{Repo}/collaborators/ana/permission"), "repos/get-collaborator-permission-level");
        var bob = await ReadConformingAsync(await GetAsync($"repos/{Repo}/collaborators/bob/permission"), "repos/get-collaborator-permission-level");

        Assert.Equal(("read", "ana"), (ana.GetProperty("permission").GetString(), ana.GetProperty("user").GetProperty("login").GetString()));
        Assert.True(ana.GetProperty("user").GetProperty("permissions").GetProperty("pull").GetBoolean());
        Assert.Equal("none", bob.GetProperty("permission").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"repos/{Repo}/collaborators/nobody/permission")).StatusCode);
    }

    [Fact]
    public async Task TeamPermission_Answers204_Or200WithTheRepositoryMediaType_Or404()
    {
        GitHub.GrantAccess(Repo, Team("ml-leads"));
        GitHub.AddTeam("other");
        var path = $"orgs/octo-org/teams/ml-leads/repos/{Repo}";

        Assert.Equal(HttpStatusCode.NoContent, (await GetAsync(path)).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/vnd.github.v3.repository+json");
        var repository = await ReadConformingAsync(await Http.SendAsync(request), "teams/check-permissions-for-repo-in-org");
        Assert.Equal("octo-org/credit-risk", repository.GetProperty("full_name").GetString());
        Assert.True(repository.GetProperty("permissions").GetProperty("pull").GetBoolean());
        Assert.False(repository.GetProperty("permissions").GetProperty("admin").GetBoolean());

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"orgs/octo-org/teams/other/repos/{Repo}")).StatusCode);
    }

    [Fact]
    public async Task GetRepository_ReportsIdsSpellingAndVisibility()
    {
        GitHub.ConfigureRepository(Repo, id: 123456, ownerId: 99, visibility: GitHubRepositoryVisibility.Private);

        var body = await ReadConformingAsync(await GetAsync("repos/OCTO-ORG/Credit-Risk"), "repos/get");

        Assert.Equal((123456, "octo-org/credit-risk", 99), (body.GetProperty("id").GetInt64(), body.GetProperty("full_name").GetString(), body.GetProperty("owner").GetProperty("id").GetInt64()));
        Assert.Equal(("private", true, "main"), (body.GetProperty("visibility").GetString(), body.GetProperty("private").GetBoolean(), body.GetProperty("default_branch").GetString()));
        Assert.Equal("Organization", body.GetProperty("owner").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("repos/octo-org/missing")).StatusCode);
    }

    [Fact]
    public async Task OidcSubjectClaim_DefaultAndCustom()
    {
        var defaults = await ReadConformingAsync(await GetAsync($"repos/{Repo}/actions/oidc/customization/sub"), "actions/get-custom-oidc-sub-claim-for-repo");
        Assert.True(defaults.GetProperty("use_default").GetBoolean());
        Assert.Equal("repo:octo-org/credit-risk", defaults.GetProperty("sub_claim_prefix").GetString());

        GitHub.ConfigureRepository(Repo, id: 5, ownerId: 6, useImmutableSubject: true, includeClaimKeys: ["repo", "context"]);
        var custom = await ReadConformingAsync(await GetAsync($"repos/{Repo}/actions/oidc/customization/sub"), "actions/get-custom-oidc-sub-claim-for-repo");
        Assert.False(custom.GetProperty("use_default").GetBoolean());
        Assert.Equal(["repo", "context"], custom.GetProperty("include_claim_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.True(custom.GetProperty("use_immutable_subject").GetBoolean());
        Assert.Equal("repo:octo-org@6/credit-risk@5", custom.GetProperty("sub_claim_prefix").GetString());
    }

    [Fact]
    public async Task StateIsShared_WritesThroughHttpAreVisibleInTheFake_AndViceVersa()
    {
        var ana = GitHub.AddUser("ana");
        GitHub.GrantAccess(Repo, User("ana"));

        await SendAsync(HttpMethod.Put, EnvPath("prod"), $$"""{"reviewers": [{"type": "User", "id": {{ana}}}]}""");
        await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "MODEL_NAME", "value": "credit-risk"}""");
        var snapshot = GitHub.Snapshot(Repo);
        var prod = Assert.Single(snapshot.Environments);
        Assert.Equal(User("ana"), Assert.Single(prod.Reviewers));
        Assert.Equal("credit-risk", Assert.Single(prod.Variables).Value);

        await GitHub.CreateEnvironmentVariableAsync(Repo, "prod", "STAGE", "production");
        await GitHub.DeleteEnvironmentVariableAsync(Repo, "prod", "MODEL_NAME");
        var listed = await ReadConformingAsync(await GetAsync(EnvPath("prod", "/variables")), "actions/list-environment-variables");
        Assert.Equal(["STAGE"], listed.GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task FaultsInjectedInTheFake_AnswerWithTheirStatus()
    {
        GitHub.Seed(Repo, Environment("prod"));
        GitHub.Faults.FailWhen(c => c.Operation == "repos/get-environment", _ => new RemoteServiceException("GitHub", "repos/get-environment", 502, "Bad gateway (injected)."));
        GitHub.Faults.FailOnWrite(1);

        var failedRead = await GetAsync(EnvPath("prod"));
        Assert.Contains("injected", await ReadErrorAsync(failedRead, HttpStatusCode.BadGateway), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(EnvPath("prod"))).StatusCode);

        var failedWrite = await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "A", "value": "b"}""");
        Assert.Equal(HttpStatusCode.InternalServerError, failedWrite.StatusCode);
        Assert.Empty(await GitHub.ListEnvironmentVariablesAsync(Repo, "prod"));
    }

    [Fact]
    public async Task EnvironmentNamesWithSlashes_TravelAsPercent2F()
    {
        GitHub.Seed(Repo, Environment("release/v1").WithVariable("A", "b"));

        var environment = await ReadConformingAsync(await GetAsync($"repos/{Repo}/environments/release%2Fv1"), "repos/get-environment");
        var variables = await ReadConformingAsync(await GetAsync($"repos/{Repo}/environments/release%2Fv1/variables"), "actions/list-environment-variables");

        Assert.Equal("release/v1", environment.GetProperty("name").GetString());
        Assert.Equal(1, variables.GetProperty("total_count").GetInt32());
        Assert.Equal(JsonValueKind.Array, variables.GetProperty("variables").ValueKind);
    }
}
