using System.Net;
using System.Text.Json;

namespace MlEnvironments.GitHub.Tests;

/// <summary>How the real client stack behaves on the wire: headers, escaping, bodies, retries, waits, 304s, errors.</summary>
public class ClientBehaviourTests
{
    private const string EmptyVariables = """{"total_count":0,"variables":[]}""";
    private static readonly RepositoryId Repo = ScriptedGitHub.Repo;

    [Fact]
    public async Task EveryRequest_CarriesApiVersion_MediaType_AndTheToken()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, EmptyVariables);

        await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        var request = Assert.Single(github.Handler.Requests);
        Assert.Equal("2022-11-28", request.Headers["X-GitHub-Api-Version"]);
        Assert.Equal("application/vnd.github+json", request.Headers["Accept"]);
        Assert.Equal("Bearer " + ScriptedGitHub.Token, request.Headers["Authorization"]);
        Assert.Contains("MlEnvironments", request.Headers["User-Agent"]);
        Assert.Equal("/repos/octo-org/credit-risk/environments/prod/variables", request.Uri.AbsolutePath);
        Assert.Contains("per_page=30", request.Uri.Query);
    }

    [Theory]
    [InlineData("release/v1", "/repos/octo-org/credit-risk/environments/release%2Fv1/variables")]
    [InlineData("Prod Europe", "/repos/octo-org/credit-risk/environments/Prod%20Europe/variables")]
    [InlineData("a#b?c", "/repos/octo-org/credit-risk/environments/a%23b%3Fc/variables")]
    public async Task EnvironmentNames_AreEscapedAsOnePathSegment(string name, string expectedPath)
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, EmptyVariables);

        await github.Variables.ListEnvironmentVariablesAsync(Repo, name);

        Assert.Equal(expectedPath, Assert.Single(github.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task CreateOrUpdate_SendsBranchPolicyNullExplicitly_AndLeavesDefaultRulesOut()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, """{"id":1,"name":"dev","deployment_branch_policy":null,"protection_rules":[]}""");

        var environment = await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "dev", new GitHubEnvironmentSettings());

        var request = Assert.Single(github.Handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("deployment_branch_policy").ValueKind);
        Assert.Equal(["deployment_branch_policy"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("dev", DeploymentBranchPolicyKind.AllBranches), (environment.Name, environment.BranchPolicy));
    }

    [Fact]
    public async Task CreateOrUpdate_SendsEveryRuleThatIsSet_AndResetsWhenAskedTo()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, """{"id":1,"name":"prod"}""").Then(HttpStatusCode.OK, """{"id":1,"name":"prod"}""");

        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings
        {
            WaitTimer = TimeSpan.FromMinutes(30),
            PreventSelfReview = true,
            CanAdminsBypass = false,
            Reviewers = [new GitHubReviewerReference(ReviewerKind.User, 7), new GitHubReviewerReference(ReviewerKind.Team, 9)],
            BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns,
        });
        await github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings { ClearUnsetRules = true });

        using var first = JsonDocument.Parse(github.Handler.Requests[0].Body!);
        Assert.Equal(30, first.RootElement.GetProperty("wait_timer").GetInt32());
        Assert.True(first.RootElement.GetProperty("prevent_self_review").GetBoolean());
        Assert.False(first.RootElement.GetProperty("can_admins_bypass").GetBoolean());
        Assert.Equal("""[{"type":"User","id":7},{"type":"Team","id":9}]""", first.RootElement.GetProperty("reviewers").GetRawText());
        Assert.Equal("""{"protected_branches":false,"custom_branch_policies":true}""", first.RootElement.GetProperty("deployment_branch_policy").GetRawText());

        using var reset = JsonDocument.Parse(github.Handler.Requests[1].Body!);
        Assert.Equal(0, reset.RootElement.GetProperty("wait_timer").GetInt32());
        Assert.Equal("[]", reset.RootElement.GetProperty("reviewers").GetRawText());
        Assert.False(reset.RootElement.GetProperty("prevent_self_review").GetBoolean());
        Assert.True(reset.RootElement.GetProperty("can_admins_bypass").GetBoolean());
    }

    [Fact]
    public async Task ProtectionRules_AreReadFromTheEnvironment()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, """
            {"total_count":1,"environments":[{"id":161088068,"name":"staging","can_admins_bypass":false,
             "deployment_branch_policy":{"protected_branches":true,"custom_branch_policies":false},
             "protection_rules":[{"id":1,"type":"wait_timer","wait_timer":30},
               {"id":2,"type":"required_reviewers","prevent_self_review":true,"reviewers":[
                 {"type":"User","reviewer":{"id":1,"login":"octocat"}},{"type":"Team","reviewer":{"id":5,"slug":"ml-leads","name":"ML leads"}}]},
               {"id":3,"type":"branch_policy"}]}]}
            """);

        var environment = Assert.Single(await github.Environments.ListEnvironmentsAsync(Repo));

        Assert.Equal((161088068L, "staging", TimeSpan.FromMinutes(30), true, false, DeploymentBranchPolicyKind.ProtectedBranches),
            (environment.Id, environment.Name, environment.WaitTimer, environment.PreventSelfReview, environment.CanAdminsBypass, environment.BranchPolicy));
        Assert.Equal(["user:octocat (#1)", "team:ml-leads (#5)"], environment.Reviewers.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Lists_FollowTheLinkHeader_ToEveryPage()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.OK, """{"total_count":3,"variables":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}""",
                ("Link", "<https://api.github.test/repos/octo-org/credit-risk/environments/prod/variables?per_page=30&page=2>; rel=\"next\""))
            .Then(HttpStatusCode.OK, """{"total_count":3,"variables":[{"name":"C","value":"3"}]}""");

        var variables = await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Equal(["A", "B", "C"], variables.Select(v => v.Name));
        Assert.Contains("page=2", github.Handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task Rereads_SendIfNoneMatch_AndA304IsServedFromTheCopy()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.OK, """{"total_count":1,"variables":[{"name":"A","value":"1"}]}""", ("ETag", "W/\"abc\""))
            .Then(HttpStatusCode.NotModified, null);

        await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        var again = await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Equal("W/\"abc\"", github.Handler.Requests[1].Headers["If-None-Match"]);
        Assert.Equal("A=1", Assert.Single(again).ToString());
        Assert.Equal(1, github.Counters.NotModified304);
    }

    [Fact]
    public async Task A429WithRetryAfter_IsRetriedAfterThatManySeconds()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.TooManyRequests, """{"message":"You have exceeded a secondary rate limit."}""", ("Retry-After", "30"))
            .Then(HttpStatusCode.OK, EmptyVariables);

        var call = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await Task.Delay(50);
        github.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        Assert.Single(github.Handler.Requests);

        github.Time.Advance(TimeSpan.FromSeconds(1));
        await github.RunAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(2, github.Handler.Requests.Count);
        Assert.Equal((1, 1), (github.Counters.Retries, github.Counters.RateLimited));
    }

    [Fact]
    public async Task APrimaryLimit403_WaitsUntilTheReset()
    {
        using var github = new ScriptedGitHub();
        var reset = github.Time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        github.Handler
            .Then(HttpStatusCode.Forbidden, """{"message":"API rate limit exceeded for user."}""",
                ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Then(HttpStatusCode.OK, EmptyVariables);

        var call = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await Task.Delay(50);
        github.Time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);

        await github.RunAsync(call, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(3));
        Assert.Equal(2, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task ASecondaryLimitWithoutHeaders_BacksOffFromOneMinute()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.Forbidden, """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}""")
            .Then(HttpStatusCode.Forbidden, """{"message":"You have exceeded a secondary rate limit."}""")
            .Then(HttpStatusCode.OK, EmptyVariables);

        var call = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await Task.Delay(50);
        github.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.Single(github.Handler.Requests);
        github.Time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(2, github.Handler.Requests.Count);
        github.Time.Advance(TimeSpan.FromSeconds(119));
        await Task.Delay(50);
        Assert.Equal(2, github.Handler.Requests.Count);

        await github.RunAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(3, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task ALimitResettingLaterThanAllowed_FailsWithTheResetTime_AndNoToken()
    {
        using var github = new ScriptedGitHub(o => o.MaxRetryDelay = TimeSpan.FromMinutes(1));
        var reset = github.Time.GetUtcNow().AddHours(1);
        github.Handler.Then(HttpStatusCode.Forbidden, """{"message":"API rate limit exceeded for user."}""",
            ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-GitHub-Request-Id", "ABCD:1234"));

        var error = await Assert.ThrowsAsync<GitHubRateLimitException>(() => github.Variables.ListEnvironmentVariablesAsync(Repo, "prod"));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("ABCD:1234", error.RequestId);
        Assert.Equal(reset.ToUnixTimeSeconds(), error.ResetsAt?.ToUnixTimeSeconds());
        Assert.DoesNotContain(ScriptedGitHub.Token, error.ToString());
    }

    [Fact]
    public async Task ServerErrors_AreRetriedForIdempotentCalls_ButNotForPosts()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.BadGateway, "")
            .Then(HttpStatusCode.OK, EmptyVariables)
            .Then(HttpStatusCode.BadGateway, "");

        var list = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await github.RunAsync(list, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var post = await Assert.ThrowsAsync<GitHubException>(() => github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "A", "1"));

        Assert.Equal(3, github.Handler.Requests.Count);
        Assert.Equal(502, post.StatusCode);
    }

    [Fact]
    public async Task Writes_AreSerial_WithThePauseBetweenThem()
    {
        using var github = new ScriptedGitHub(o => o.WritePause = TimeSpan.FromSeconds(1));
        github.Handler.Then(HttpStatusCode.Created, "{}").Then(HttpStatusCode.Created, "{}");

        await github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "A", "1");
        var second = github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "B", "2");
        await Task.Delay(50);
        Assert.Single(github.Handler.Requests);

        github.Time.Advance(TimeSpan.FromSeconds(1));
        await github.RunAsync(second.ContinueWith(_ => true, TaskScheduler.Default), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        Assert.Equal(2, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task Cancellation_StopsAWaitBeforeARetry()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", "60"));
        using var cancellation = new CancellationTokenSource();

        var call = github.Variables.DeleteEnvironmentVariableAsync(Repo, "prod", "A", cancellation.Token);
        await Task.Delay(50);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(github.Handler.Requests);
    }

    [Fact]
    public async Task Errors_CarryStatusMessageDocumentationAndRequestId_ButNeverTheToken()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Conflict,
            """{"message":"Already exists - Variable already exists","documentation_url":"https://docs.github.com/rest/actions/variables#create-an-environment-variable"}""",
            ("X-GitHub-Request-Id", "0420:1C2A:3B"));

        var error = await Assert.ThrowsAsync<GitHubException>(() => github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "A", "1"));

        Assert.Equal((409, "actions/create-environment-variable", "0420:1C2A:3B"), (error.StatusCode, error.Operation, error.RequestId));
        Assert.Contains("Variable already exists", error.Message);
        Assert.Equal("https://docs.github.com/rest/actions/variables#create-an-environment-variable", error.DocumentationUrl?.ToString());
        Assert.DoesNotContain(ScriptedGitHub.Token, error.ToString());
    }

    [Fact]
    public async Task A422OnProtectionRules_ExplainsThePlanRequirement()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then((HttpStatusCode)422, """{"message":"Failed to create the environment protection rule. Please ensure the billing plan include the required protection rules."}""");

        var error = await Assert.ThrowsAsync<GitHubException>(() => github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod",
            new GitHubEnvironmentSettings { Reviewers = [new GitHubReviewerReference(ReviewerKind.User, 1)], WaitTimer = TimeSpan.FromMinutes(5) }));

        Assert.Equal(422, error.StatusCode);
        Assert.Contains("required reviewers, a wait timer", error.Message);
        Assert.Contains("GitHub Enterprise", error.Message);
    }

    [Fact]
    public async Task AnOlderServerRefusingAdminsBypass_IsNamedClearly()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then((HttpStatusCode)422, """{"message":"Invalid request.\n\n\"can_admins_bypass\" is not a permitted key."}""");

        var error = await Assert.ThrowsAsync<GitHubException>(() => github.Environments.CreateOrUpdateEnvironmentAsync(Repo, "prod",
            new GitHubEnvironmentSettings { CanAdminsBypass = false }));

        Assert.Contains("does not accept can_admins_bypass (admins bypass)", error.Message);
    }

    [Fact]
    public async Task SecretPut_SendsOnlyTheSealedValueAndKeyId()
    {
        using var github = new ScriptedGitHub();
        var keyPair = Sodium.PublicKeyBox.GenerateKeyPair();
        github.Handler
            .Then(HttpStatusCode.OK, $$"""{"key_id":"568250167242549743","key":"{{Convert.ToBase64String(keyPair.PublicKey)}}"}""")
            .Then(HttpStatusCode.Created, "{}");

        await github.Secrets.SetEnvironmentSecretAsync(Repo, "prod", "AZURE_CREDENTIALS", "plaintext-value-xyz");

        var put = github.Handler.Requests[1];
        Assert.Equal(("PUT", "/repos/octo-org/credit-risk/environments/prod/secrets/AZURE_CREDENTIALS"), (put.Method, put.Uri.AbsolutePath));
        Assert.DoesNotContain("plaintext-value-xyz", put.Body);
        using var body = JsonDocument.Parse(put.Body!);
        Assert.Equal(["encrypted_value", "key_id"], body.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("568250167242549743", body.RootElement.GetProperty("key_id").GetString());
        var opened = await SealedBoxTests.OpenWithNodeAsync(keyPair.PublicKey, keyPair.PrivateKey, body.RootElement.GetProperty("encrypted_value").GetString()!);
        Assert.Equal("plaintext-value-xyz", opened);
    }

    [Fact]
    public async Task WhenFewRequestsRemain_TheClientSpreadsTheRestOverTheTimeToTheReset()
    {
        using var github = new ScriptedGitHub(o => o.SlowDownBelowRemaining = 100);
        var reset = github.Time.GetUtcNow().AddSeconds(110).ToUnixTimeSeconds();
        github.Handler
            .Then(HttpStatusCode.OK, EmptyVariables, ("x-ratelimit-remaining", "10"), ("x-ratelimit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Then(HttpStatusCode.OK, EmptyVariables);

        await github.Variables.ListEnvironmentVariablesAsync(Repo, "dev");
        var next = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await Task.Delay(50);
        github.Time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Single(github.Handler.Requests);

        await github.RunAsync(next, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(2, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task ARedirectToAnotherHost_NeverCarriesTheToken()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.TemporaryRedirect, null, ("Location", "https://elsewhere.example.test/x"))
            .Then(HttpStatusCode.OK, EmptyVariables);

        await github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");

        Assert.Equal(2, github.Handler.Requests.Count);
        Assert.Equal("elsewhere.example.test", github.Handler.Requests[1].Uri.Host);
        Assert.False(github.Handler.Requests[1].Headers.ContainsKey("Authorization"));
        Assert.Equal("Bearer " + ScriptedGitHub.Token, github.Handler.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task ARateLimitWaitLongerThanTheRequestTimeout_IsStillWaitedOut()
    {
        using var github = new ScriptedGitHub(o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        github.Handler
            .Then(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", "30"))
            .Then(HttpStatusCode.OK, EmptyVariables);

        var call = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        await github.RunAsync(call, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        Assert.Equal(2, github.Handler.Requests.Count);
    }

    [Fact]
    public async Task AnAttemptThatHangs_TimesOut_AndIsRetriedWhenIdempotent_ButNotWhenItIsAPost()
    {
        using var github = new ScriptedGitHub(o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        github.Handler.ThenHang().Then(HttpStatusCode.OK, EmptyVariables).ThenHang();

        // The attempt timeout runs on real time, the backoff before the retry on the fake clock: keep both moving.
        var list = github.Variables.ListEnvironmentVariablesAsync(Repo, "prod");
        for (var i = 0; i < 6000 && !list.IsCompleted; i++)
        {
            await Task.Delay(5);
            github.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await list;
        var post = await Assert.ThrowsAsync<TimeoutException>(() => github.Variables.CreateEnvironmentVariableAsync(Repo, "prod", "A", "1"));

        Assert.Equal(3, github.Handler.Requests.Count);
        Assert.Contains("RequestTimeout", post.Message);
    }
}
