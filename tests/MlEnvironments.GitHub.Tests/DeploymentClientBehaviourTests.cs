using System.Net;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.GitHub.Tests;

/// <summary>How the deployment, workflow and review clients behave on the wire: bodies, queries, paths, answers, errors.</summary>
public class DeploymentClientBehaviourTests
{
    private static readonly RepositoryId Repo = ScriptedGitHub.Repo;

    private static string Deployment(long id, string payload = "{}", string environment = "prod") => $$"""
        {"id":{{id}},"node_id":"x","sha":"{{new string('a', 40)}}","ref":"main","task":"deploy","payload":{{payload}},
         "environment":"{{environment}}","description":null,"creator":{"login":"ana","id":1},"created_at":"2026-11-29T10:00:00Z",
         "updated_at":"2026-11-29T10:05:00Z","statuses_url":"u","repository_url":"u","url":"u","transient_environment":false,"production_environment":true}
        """;

    [Fact]
    public async Task CreateDeployment_SendsEveryFieldThePromotionNeeds_WithThePayloadAsAnObject()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Created, Deployment(7, """{"model":"fraud"}"""));

        var created = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("release/v3", "prod")
        {
            Task = "deploy:model",
            PayloadJson = """{"model":"fraud","metrics":{"auc":0.93}}""",
            ProductionEnvironment = true,
        });

        var request = Assert.Single(github.Handler.Requests);
        Assert.Equal(("POST", "/repos/octo-org/credit-risk/deployments"), (request.Method, request.Uri.AbsolutePath));
        using var body = JsonDocument.Parse(request.Body!);
        var root = body.RootElement;
        Assert.Equal(
            ["ref", "task", "auto_merge", "required_contexts", "payload", "environment", "transient_environment", "production_environment"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("release/v3", "deploy:model", false, "prod", false, true),
            (root.GetProperty("ref").GetString(), root.GetProperty("task").GetString(), root.GetProperty("auto_merge").GetBoolean(),
             root.GetProperty("environment").GetString(), root.GetProperty("transient_environment").GetBoolean(), root.GetProperty("production_environment").GetBoolean()));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("payload").ValueKind);
        Assert.Equal(0.93, root.GetProperty("payload").GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal(0, root.GetProperty("required_contexts").GetArrayLength());
        Assert.Equal((7L, """{"model":"fraud"}""", "ana", true), (created.Id, created.PayloadJson, created.CreatorLogin, created.ProductionEnvironment));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 5, 0, TimeSpan.Zero), created.UpdatedAt);
    }

    [Fact]
    public async Task CreateDeployment_LeavesOutNullRequiredContextsDescriptionAndPayload_AndSendsAutoMergeWhenAsked()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Created, Deployment(8));

        await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging") { RequiredContexts = null, AutoMerge = true });

        using var body = JsonDocument.Parse(github.Handler.Requests[0].Body!);
        Assert.Equal(["ref", "task", "auto_merge", "environment", "transient_environment", "production_environment"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(body.RootElement.GetProperty("auto_merge").GetBoolean());
    }

    [Fact]
    public async Task A202AutoMergeAnswer_IsAnError_ThatSaysWhatHappened()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Accepted, """{"message":"Auto-merged main into topic-branch on deployment."}""", ("X-GitHub-Request-Id", "AB:12"));

        var error = await Assert.ThrowsAsync<GitHubException>(() =>
            github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("topic-branch", "prod") { AutoMerge = true }));

        Assert.Equal((202, "repos/create-deployment", "AB:12"), (error.StatusCode, error.Operation, error.RequestId));
        Assert.Contains("Auto-merged main into topic-branch", error.Message, StringComparison.Ordinal);
        Assert.Contains("AutoMerge = false", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{not json")]
    public async Task APayloadThatIsNotAJsonObject_IsRefusedBeforeAnythingIsSent(string payload)
    {
        using var github = new ScriptedGitHub();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "prod") { PayloadJson = payload }));

        Assert.Empty(github.Handler.Requests);
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData("\"\"", null)]
    [InlineData("\"{}\"", null)]
    [InlineData("""{"a":{"b":[1,2]}}""", """{"a":{"b":[1,2]}}""")]
    [InlineData("""" "{\"model\":\"fraud\"}" """", """{"model":"fraud"}""")]
    [InlineData("\"plain words\"", "\"plain words\"")]
    public async Task ThePayloadComesBackAsJsonText(string wire, string? expected)
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, "[" + Deployment(1, wire) + "]");

        var deployment = Assert.Single(await github.Deployments.ListDeploymentsAsync(Repo, null, null));

        Assert.Equal(expected, deployment.PayloadJson);
    }

    [Fact]
    public async Task ListDeployments_FiltersByEnvironmentAndTask_InPagesOf100_FollowingTheLinkHeader()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.OK, "[" + Deployment(9) + "," + Deployment(8) + "]",
                ("Link", "<https://api.github.test/repositories/1/deployments?environment=team%2Fprod&task=deploy%3Amodel&per_page=100&page=2>; rel=\"next\""))
            .Then(HttpStatusCode.OK, "[" + Deployment(7) + "]");

        var deployments = await github.Deployments.ListDeploymentsAsync(Repo, "team/prod", "deploy:model");

        Assert.Equal([9L, 8L, 7L], deployments.Select(d => d.Id));
        var first = github.Handler.Requests[0].Uri;
        Assert.Equal("/repos/octo-org/credit-risk/deployments", first.AbsolutePath);
        var query = first.Query.TrimStart('?').Split('&').Order().ToList();
        Assert.Equal(["environment=team%2Fprod", "per_page=100", "task=deploy%3Amodel"], query);
        Assert.Equal("page=2", github.Handler.Requests[1].Uri.Query.Split('&').Last());
    }

    [Fact]
    public async Task CreateDeploymentStatus_CutsTheDescriptionTo140_AndSendsUrlsAndAutoInactive()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.Created, """
            {"id":5,"state":"in_progress","description":"","creator":null,"target_url":"https://logs.example/1","log_url":"https://logs.example/1",
             "environment_url":"","created_at":"2026-11-29T10:00:00Z"}
            """);
        var description = string.Concat(Enumerable.Repeat("é", 139)) + "😀😀";

        var status = await github.Deployments.CreateDeploymentStatusAsync(Repo, 42, new GitHubNewDeploymentStatus(GitHubDeploymentState.InProgress)
        {
            Description = description,
            LogUrl = new Uri("https://logs.example/1"),
            EnvironmentUrl = new Uri("https://ml.azure.com/x"),
            AutoInactive = false,
        });

        var request = Assert.Single(github.Handler.Requests);
        Assert.Equal("/repos/octo-org/credit-risk/deployments/42/statuses", request.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body!);
        var root = body.RootElement;
        Assert.Equal(("in_progress", "https://logs.example/1", "https://ml.azure.com/x", false),
            (root.GetProperty("state").GetString(), root.GetProperty("log_url").GetString(), root.GetProperty("environment_url").GetString(), root.GetProperty("auto_inactive").GetBoolean()));
        var sent = root.GetProperty("description").GetString()!;
        Assert.True(sent.Length <= 140);
        Assert.Equal(string.Concat(Enumerable.Repeat("é", 139)) + "…", sent);
        Assert.Equal((GitHubDeploymentState.InProgress, null, null, "https://logs.example/1", null),
            (status.State, status.Description, status.CreatorLogin, status.LogUrl?.AbsoluteUri, status.EnvironmentUrl));
    }

    [Theory]
    [InlineData("error", GitHubDeploymentState.Error)]
    [InlineData("failure", GitHubDeploymentState.Failure)]
    [InlineData("inactive", GitHubDeploymentState.Inactive)]
    [InlineData("in_progress", GitHubDeploymentState.InProgress)]
    [InlineData("queued", GitHubDeploymentState.Queued)]
    [InlineData("pending", GitHubDeploymentState.Pending)]
    [InlineData("success", GitHubDeploymentState.Success)]
    public async Task EveryDeploymentState_RoundTripsThroughItsWireName(string wire, GitHubDeploymentState state)
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.Created, $$"""{"id":1,"state":"{{wire}}","created_at":"2026-11-29T10:00:00Z"}""")
            .Then(HttpStatusCode.OK, $$"""[{"id":1,"state":"{{wire}}","target_url":"https://t.example/","created_at":"2026-11-29T10:00:00Z"}]""");

        var created = await github.Deployments.CreateDeploymentStatusAsync(Repo, 1, new GitHubNewDeploymentStatus(state));
        var listed = await github.Deployments.ListDeploymentStatusesAsync(Repo, 1);

        using var body = JsonDocument.Parse(github.Handler.Requests[0].Body!);
        Assert.Equal(wire, body.RootElement.GetProperty("state").GetString());
        Assert.Equal((state, state), (created.State, listed[0].State));
        Assert.Equal("https://t.example/", listed[0].LogUrl?.AbsoluteUri);
    }

    [Fact]
    public async Task Posts_AreNotRetriedOnServerErrors()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.ServiceUnavailable, """{"message":"unavailable"}""");

        var error = await Assert.ThrowsAsync<GitHubException>(() => github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "prod")));

        Assert.Equal(503, error.StatusCode);
        Assert.Single(github.Handler.Requests);
    }

    [Fact]
    public async Task WorkflowRuns_AreListedByStatus_ReadOneByOne_AndAMissingRunIsNull()
    {
        using var github = new ScriptedGitHub();
        const string run = """
            {"id":42,"name":"Promote","display_title":"Promote fraud 3","status":"waiting","conclusion":null,"head_branch":"main",
             "head_sha":"abc","event":"workflow_dispatch","actor":{"login":"bob","id":2},"triggering_actor":{"login":"carol","id":3},
             "run_number":7,"workflow_id":99,"path":".github/workflows/promote.yml","html_url":"https://github.com/o/r/actions/runs/42",
             "created_at":"2026-11-29T10:00:00Z"}
            """;
        github.Handler
            .Then(HttpStatusCode.OK, $$"""{"total_count":1,"workflow_runs":[{{run}}]}""")
            .Then(HttpStatusCode.OK, run)
            .Then(HttpStatusCode.NotFound, """{"message":"Not Found"}""");

        var listed = await github.Workflows.ListWorkflowRunsAsync(Repo, "waiting");
        var one = await github.Workflows.GetWorkflowRunAsync(Repo, 42);
        var missing = await github.Workflows.GetWorkflowRunAsync(Repo, 43);

        Assert.Contains("status=waiting", github.Handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("per_page=100", github.Handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Equal(42, Assert.Single(listed).Id);
        Assert.Equal(("Promote fraud 3", "waiting", "bob", "carol", 7L, 99L, "main", "abc"),
            (one!.DisplayTitle, one.Status, one.ActorLogin, one.TriggeringActorLogin, one.RunNumber, one.WorkflowId, one.HeadBranch, one.HeadSha));
        Assert.Equal("/repos/octo-org/credit-risk/actions/runs/43", github.Handler.Requests[2].Uri.AbsolutePath);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Dispatch_PostsRefAndInputs_ToTheEscapedWorkflow_AndRefusesMoreThan25Inputs()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.NoContent, null);

        await github.Workflows.DispatchWorkflowAsync(Repo, "promote model.yml", "main", new Dictionary<string, string> { ["model"] = "fraud", ["Version"] = "3" });
        var tooMany = Enumerable.Range(0, 26).ToDictionary(i => "i" + i, i => "v");
        await Assert.ThrowsAsync<ArgumentException>(() => github.Workflows.DispatchWorkflowAsync(Repo, "promote.yml", "main", tooMany));

        var request = Assert.Single(github.Handler.Requests);
        Assert.Equal("/repos/octo-org/credit-risk/actions/workflows/promote%20model.yml/dispatches", request.Uri.AbsolutePath);
        Assert.Equal("""{"ref":"main","inputs":{"model":"fraud","Version":"3"}}""", request.Body);
    }

    [Fact]
    public async Task PendingDeployments_AreRead_AndReviewsPostIdsStateAndComment_AndReadTheArrayAnswer()
    {
        using var github = new ScriptedGitHub();
        github.Handler
            .Then(HttpStatusCode.OK, """
                [{"environment":{"id":161088068,"name":"prod"},"wait_timer":30,"wait_timer_started_at":"2026-11-29T10:00:00Z",
                  "current_user_can_approve":true,
                  "reviewers":[{"type":"User","reviewer":{"login":"ana","id":1}},{"type":"Team","reviewer":{"slug":"ml-leads","id":2}}]}]
                """)
            .Then(HttpStatusCode.OK, "[" + Deployment(3) + "]");

        var pending = Assert.Single(await github.Reviews.GetPendingDeploymentsAsync(Repo, 42));
        await github.Reviews.ReviewPendingDeploymentsAsync(Repo, 42, [pending.EnvironmentId], GitHubReviewState.Approved, "Metrics beat the champion.");

        Assert.Equal((161088068L, "prod", TimeSpan.FromMinutes(30), true), (pending.EnvironmentId, pending.EnvironmentName, pending.WaitTimer, pending.CurrentUserCanApprove));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), pending.WaitTimerStartedAt);
        Assert.Equal(["user:ana", "team:ml-leads"], pending.Reviewers.Select(r => r.ToReviewer().ToString()));
        var review = github.Handler.Requests[1];
        Assert.Equal(("POST", "/repos/octo-org/credit-risk/actions/runs/42/pending_deployments"), (review.Method, review.Uri.AbsolutePath));
        Assert.Equal("""{"environment_ids":[161088068],"state":"approved","comment":"Metrics beat the champion."}""", review.Body);
    }

    [Fact]
    public async Task AReviewMustDecide_AndNameAnEnvironment()
    {
        using var github = new ScriptedGitHub();

        await Assert.ThrowsAsync<ArgumentException>(() => github.Reviews.ReviewPendingDeploymentsAsync(Repo, 1, [5], GitHubReviewState.Pending, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => github.Reviews.ReviewPendingDeploymentsAsync(Repo, 1, [], GitHubReviewState.Approved, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => github.Reviews.ReviewCustomGateAsync(Repo, 1, "prod", GitHubReviewState.Pending, "x"));

        Assert.Empty(github.Handler.Requests);
    }

    [Fact]
    public async Task ReviewHistory_ReadsApprovedRejectedAndPending()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.OK, """
            [{"environments":[{"id":1,"name":"prod"},{"id":2,"name":"staging"}],"state":"approved","user":{"login":"ana","id":1},"comment":"ok"},
             {"environments":[{"id":1,"name":"prod"}],"state":"rejected","user":{"login":"bob","id":2},"comment":"no"},
             {"environments":[{"id":3}],"state":"pending","user":{"login":"carol","id":3},"comment":""}]
            """);

        var reviews = await github.Reviews.ListReviewsAsync(Repo, 42);

        Assert.Equal(
            [(GitHubReviewState.Approved, "ana", "prod,staging"), (GitHubReviewState.Rejected, "bob", "prod"), (GitHubReviewState.Pending, "carol", "3")],
            reviews.Select(r => (r.State, r.UserLogin, string.Join(",", r.EnvironmentNames))));
        Assert.Equal("/repos/octo-org/credit-risk/actions/runs/42/approvals", github.Handler.Requests[0].Uri.AbsolutePath);
    }

    [Fact]
    public async Task CustomGateAnswers_CutTheCommentTo1024_AndLeaveOutANullOne()
    {
        using var github = new ScriptedGitHub();
        github.Handler.Then(HttpStatusCode.NoContent, null).Then(HttpStatusCode.NoContent, null);

        await github.Reviews.ReviewCustomGateAsync(Repo, 42, "team/prod", GitHubReviewState.Rejected, new string('c', 1500));
        await github.Reviews.ReviewCustomGateAsync(Repo, 42, "prod", GitHubReviewState.Approved, null);

        Assert.Equal("/repos/octo-org/credit-risk/actions/runs/42/deployment_protection_rule", github.Handler.Requests[0].Uri.AbsolutePath);
        using var first = JsonDocument.Parse(github.Handler.Requests[0].Body!);
        Assert.Equal(("team/prod", "rejected"), (first.RootElement.GetProperty("environment_name").GetString(), first.RootElement.GetProperty("state").GetString()));
        Assert.Equal(new string('c', 1023) + "…", first.RootElement.GetProperty("comment").GetString());
        Assert.Equal("""{"environment_name":"prod","state":"approved"}""", github.Handler.Requests[1].Body);
    }

    [Fact]
    public async Task WorkflowFiles_AreReadAtTheRef_DecodedFromWrappedBase64_AndSkippedWhenAbsentThere()
    {
        using var github = new ScriptedGitHub();
        const string yaml = "name: Promote\non: workflow_dispatch\njobs:\n  prod:\n    environment: prod\n    steps: [{ run: echo ✓ déjà }]\n";
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(yaml));
        var wrapped = string.Join("\\n", Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - (i * 60))))) + "\\n";
        github.Handler
            .Then(HttpStatusCode.OK, """
                {"total_count":3,"workflows":[
                  {"id":1,"name":"Promote","path":".github/workflows/promote.yml","state":"active"},
                  {"id":2,"name":"Old","path":".github/workflows/old.yml","state":"active"},
                  {"id":3,"name":"CodeQL","path":"dynamic/github-code-scanning/codeql","state":"active"}]}
                """)
            .Then(HttpStatusCode.NotFound, """{"message":"Not Found"}""")
            .Then(HttpStatusCode.OK, $$"""{"type":"file","encoding":"base64","path":".github/workflows/promote.yml","content":"{{wrapped}}"}""");

        var files = await github.Workflows.ListWorkflowFilesAsync(Repo, "release/v3");

        var file = Assert.Single(files);
        Assert.Equal((".github/workflows/promote.yml", yaml), (file.Path, file.Content));
        Assert.Equal(3, github.Handler.Requests.Count);
        Assert.Equal("/repos/octo-org/credit-risk/contents/.github/workflows/old.yml", github.Handler.Requests[1].Uri.AbsolutePath);
        Assert.Equal("?ref=release%2Fv3", github.Handler.Requests[2].Uri.Query);
    }
}
