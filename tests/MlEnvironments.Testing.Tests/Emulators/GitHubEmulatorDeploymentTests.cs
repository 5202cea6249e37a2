using System.Net;
using System.Text;
using System.Text.Json;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>
/// The deployment, status, workflow-run, dispatch, review, custom-gate, workflow and content operations over raw HTTP:
/// every answer conforms to its response schema in GitHub's description.
/// </summary>
public class GitHubEmulatorDeploymentTests : EmulatorTestBase
{
    /// <summary>The operations this part of the emulator serves.</summary>
    public static readonly string[] Served =
    [
        "repos/list-deployments", "repos/create-deployment", "repos/get-deployment", "repos/list-deployment-statuses",
        "repos/create-deployment-status", "repos/get-deployment-status", "actions/list-workflow-runs-for-repo", "actions/get-workflow-run",
        "actions/create-workflow-dispatch", "actions/get-pending-deployments-for-run", "actions/review-pending-deployments-for-run",
        "actions/get-reviews-for-run", "actions/review-custom-gates-for-run", "actions/list-repo-workflows", "repos/get-content",
    ];

    private string RepoPath(string rest) => $"repos/{Repo}/{rest}";

    private async Task<JsonElement> CreateDeploymentAsync(string json) =>
        await ReadConformingAsync(await SendAsync(HttpMethod.Post, RepoPath("deployments"), json), "repos/create-deployment", HttpStatusCode.Created);

    [Fact]
    public async Task EveryServedOperation_IsAnswered_NotWith501()
    {
        GitHub.Seed(Repo, Environment("prod"));
        GitHub.SetWorkflowFile(Repo, ".github/workflows/promote.yml", "on: workflow_dispatch\n");
        var run = GitHub.AddWaitingRun(Repo, "Promote", "prod");
        foreach (var id in Served)
        {
            var operation = OpenApiDescription.Default[id];
            var path = operation.Path
                .Replace("{owner}/{repo}", Repo.ToString(), StringComparison.Ordinal)
                .Replace("{deployment_id}", "1", StringComparison.Ordinal)
                .Replace("{status_id}", "1", StringComparison.Ordinal)
                .Replace("{run_id}", run.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{workflow_id}", "promote.yml", StringComparison.Ordinal)
                .Replace("{path}", ".github/workflows/promote.yml", StringComparison.Ordinal);

            var response = await SendAsync(new HttpMethod(operation.Method), path.TrimStart('/'));

            Assert.NotEqual(HttpStatusCode.NotImplemented, response.StatusCode);
            Assert.Equal(id, Emulator.Requests[^1].OperationId);
        }

        Assert.Empty(Emulator.UnmatchedRequests);
    }

    [Fact]
    public async Task Deployments_AreCreatedWithGitHubsDefaults_ReadAndListed_InConformingShapes()
    {
        GitHub.AddUser("ana", 77);
        GitHub.CurrentUserLogin = "ana";

        var created = await CreateDeploymentAsync("""{"ref":"main","payload":{"model":"fraud","metrics":{"auc":0.93}},"description":"Promote"}""");
        var withString = await CreateDeploymentAsync("""{"ref":"v3","environment":"staging","task":"deploy:model","payload":"{\"model\":\"fraud\"}","production_environment":false}""");
        var plain = await CreateDeploymentAsync("""{"ref":"v4","environment":"staging","payload":"just words"}""");
        var id = created.GetProperty("id").GetInt64();
        var read = await ReadConformingAsync(await GetAsync(RepoPath($"deployments/{id}")), "repos/get-deployment");
        var all = await ReadConformingAsync(await GetAsync(RepoPath("deployments")), "repos/list-deployments");
        var staging = await ReadConformingAsync(await GetAsync(RepoPath("deployments?environment=staging&task=deploy%3Amodel")), "repos/list-deployments");

        Assert.Equal(("production", "deploy", true, false, "Promote"),
            (created.GetProperty("environment").GetString(), created.GetProperty("task").GetString(), created.GetProperty("production_environment").GetBoolean(),
             created.GetProperty("transient_environment").GetBoolean(), created.GetProperty("description").GetString()));
        Assert.Equal(("ana", 77L), (created.GetProperty("creator").GetProperty("login").GetString(), created.GetProperty("creator").GetProperty("id").GetInt64()));
        Assert.Equal(0.93, created.GetProperty("payload").GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal($"{Emulator.BaseAddress}repos/{Repo}/deployments/{id}/statuses", created.GetProperty("statuses_url").GetString());
        Assert.Equal("fraud", withString.GetProperty("payload").GetProperty("model").GetString());
        Assert.Equal("just words", plain.GetProperty("payload").GetString());
        Assert.Equal(created.GetRawText(), read.GetRawText());
        Assert.Equal(3, all.GetArrayLength());
        Assert.Equal(plain.GetProperty("id").GetInt64(), all[0].GetProperty("id").GetInt64());
        Assert.Equal(withString.GetProperty("id").GetInt64(), Assert.Single(staging.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(RepoPath("deployments/999999"))).StatusCode);
        Assert.Empty(Emulator.SchemaViolations);
    }

    [Fact]
    public async Task AnInvalidDeployment_IsRefusedWith422_AndNotCreated()
    {
        var noRef = await SendAsync(HttpMethod.Post, RepoPath("deployments"), """{"environment":"prod"}""");
        var nullContexts = await SendAsync(HttpMethod.Post, RepoPath("deployments"), """{"ref":"main","required_contexts":null}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noRef.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nullContexts.StatusCode);
        Assert.Equal(2, Emulator.SchemaViolations.Count);
        Assert.Empty(await GitHub.ListDeploymentsAsync(Repo, null, null));
    }

    [Fact]
    public async Task ListDeployments_PagesWithTheLinkHeader()
    {
        for (var i = 0; i < 5; i++)
        {
            await GitHub.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "prod"));
        }

        var first = await GetAsync(RepoPath("deployments?per_page=2"));
        var body = await ReadConformingAsync(first, "repos/list-deployments");
        var last = await ReadConformingAsync(await GetAsync(RepoPath("deployments?per_page=2&page=3")), "repos/list-deployments");

        Assert.Equal(2, body.GetArrayLength());
        Assert.Contains($"<{Emulator.BaseAddress}repos/{Repo}/deployments?per_page=2&page=2>; rel=\"next\"", Header(first, "Link"), StringComparison.Ordinal);
        Assert.Equal(1, last.GetArrayLength());
    }

    [Fact]
    public async Task Statuses_AreCreatedWithALocation_ListedAndRead_AndAutoInactiveApplies()
    {
        var earlier = await GitHub.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging"));
        await GitHub.CreateDeploymentStatusAsync(Repo, earlier.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success));
        var deployment = await GitHub.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging"));

        var response = await SendAsync(HttpMethod.Post, RepoPath($"deployments/{deployment.Id}/statuses"),
            """{"state":"success","target_url":"https://logs.example/7","environment_url":"https://ml.example/","description":"done"}""");
        var created = await ReadConformingAsync(response, "repos/create-deployment-status", HttpStatusCode.Created);
        var statusId = created.GetProperty("id").GetInt64();
        var listed = await ReadConformingAsync(await GetAsync(RepoPath($"deployments/{earlier.Id}/statuses")), "repos/list-deployment-statuses");
        var read = await ReadConformingAsync(await GetAsync(RepoPath($"deployments/{deployment.Id}/statuses/{statusId}")), "repos/get-deployment-status");
        var tooLong = await SendAsync(HttpMethod.Post, RepoPath($"deployments/{deployment.Id}/statuses"), $$"""{"state":"error","description":"{{new string('x', 141)}}"}""");
        var badUrl = await SendAsync(HttpMethod.Post, RepoPath($"deployments/{deployment.Id}/statuses"), """{"state":"error","log_url":"not a url"}""");
        var unknown = await SendAsync(HttpMethod.Post, RepoPath("deployments/999999/statuses"), """{"state":"error"}""");

        Assert.Equal(created.GetProperty("url").GetString(), response.Headers.Location?.AbsoluteUri);
        Assert.Equal(("success", "https://logs.example/7", "https://logs.example/7", "https://ml.example/", "staging", "done"),
            (created.GetProperty("state").GetString(), created.GetProperty("log_url").GetString(), created.GetProperty("target_url").GetString(),
             created.GetProperty("environment_url").GetString(), created.GetProperty("environment").GetString(), created.GetProperty("description").GetString()));
        Assert.Equal(["inactive", "success"], listed.EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(created.GetRawText(), read.GetRawText());
        Assert.Contains("140", await ReadErrorAsync(tooLong, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badUrl.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Single(await GitHub.ListDeploymentStatusesAsync(Repo, deployment.Id));
    }

    [Fact]
    public async Task WorkflowRuns_AreListedFilteredAndRead_InConformingShapes()
    {
        GitHub.Seed(Repo, Environment("prod").RequireReviewers(User("ana")));
        var waiting = GitHub.AddWaitingRun(Repo, "Promote fraud 3", "bob", ["prod"]);
        var done = GitHub.AddWaitingRun(Repo, "Promote fraud 2", "ana", ["prod"]);
        GitHub.CompleteRun(Repo, done, "success");

        var all = await ReadConformingAsync(await GetAsync(RepoPath("actions/runs")), "actions/list-workflow-runs-for-repo");
        var byStatus = await ReadConformingAsync(await GetAsync(RepoPath("actions/runs?status=waiting")), "actions/list-workflow-runs-for-repo");
        var byActor = await ReadConformingAsync(await GetAsync(RepoPath("actions/runs?actor=ana")), "actions/list-workflow-runs-for-repo");
        var one = await ReadConformingAsync(await GetAsync(RepoPath($"actions/runs/{waiting}")), "actions/get-workflow-run");
        var missing = await GetAsync(RepoPath("actions/runs/999999"));

        Assert.Equal(2, all.GetProperty("total_count").GetInt32());
        Assert.Equal(waiting, Assert.Single(byStatus.GetProperty("workflow_runs").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(done, Assert.Single(byActor.GetProperty("workflow_runs").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(("Promote fraud 3", "waiting", "bob", "User"),
            (one.GetProperty("display_title").GetString(), one.GetProperty("status").GetString(), one.GetProperty("actor").GetProperty("login").GetString(),
             one.GetProperty("actor").GetProperty("type").GetString()));
        Assert.Equal(Repo.ToString(), one.GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ADispatch_Answers204_Or200WithTheRunWhenAsked_AndInputsOfAnyTypeBecomeText()
    {
        GitHub.SetWorkflowFile(Repo, ".github/workflows/promote.yml", "on:\n  workflow_dispatch:\n");

        var plain = await SendAsync(HttpMethod.Post, RepoPath("actions/workflows/promote.yml/dispatches"), """{"ref":"main","inputs":{"model":"fraud","dry_run":true,"n":3}}""");
        var detailed = await SendAsync(HttpMethod.Post, RepoPath("actions/workflows/promote.yml/dispatches"), """{"ref":"main","return_run_details":true}""");
        var body = await ReadConformingAsync(detailed, "actions/create-workflow-dispatch");
        var unknown = await SendAsync(HttpMethod.Post, RepoPath("actions/workflows/nope.yml/dispatches"), """{"ref":"main"}""");

        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        var dispatches = GitHub.GetWorkflowDispatches(Repo);
        Assert.Equal(["dry_run=true", "model=fraud", "n=3"], dispatches[0].Inputs.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(dispatches[1].RunId, body.GetProperty("workflow_run_id").GetInt64());
        Assert.EndsWith($"/actions/runs/{dispatches[1].RunId}", body.GetProperty("run_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PendingDeployments_Reviews_AndTheHistory_AreServedInConformingShapes()
    {
        var ana = GitHub.AddUser("ana");
        GitHub.AddTeam("ml-leads");
        GitHub.Seed(Repo, Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(5)));
        var run = GitHub.AddWaitingRun(Repo, "Promote", "bob", ["prod"]);
        GitHub.CurrentUserLogin = "ana";

        var pending = await ReadConformingAsync(await GetAsync(RepoPath($"actions/runs/{run}/pending_deployments")), "actions/get-pending-deployments-for-run");
        var environmentId = pending[0].GetProperty("environment").GetProperty("id").GetInt64();
        var review = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/pending_deployments"),
            $$"""{"environment_ids":[{{environmentId}}],"state":"approved","comment":"ship it"}""");
        var answer = await ReadConformingAsync(review, "actions/review-pending-deployments-for-run");
        var history = await ReadConformingAsync(await GetAsync(RepoPath($"actions/runs/{run}/approvals")), "actions/get-reviews-for-run");
        var missingComment = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/pending_deployments"), $$"""{"environment_ids":[{{environmentId}}],"state":"approved"}""");

        var first = pending[0];
        Assert.Equal(("prod", 5, true), (first.GetProperty("environment").GetProperty("name").GetString(), first.GetProperty("wait_timer").GetInt32(), first.GetProperty("current_user_can_approve").GetBoolean()));
        Assert.Equal(["User", "Team"], first.GetProperty("reviewers").EnumerateArray().Select(r => r.GetProperty("type").GetString()));
        Assert.Equal(ana, first.GetProperty("reviewers")[0].GetProperty("reviewer").GetProperty("id").GetInt64());
        Assert.Equal(0, answer.GetArrayLength());
        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal(("approved", "ana", "ship it", environmentId),
            (entry.GetProperty("state").GetString(), entry.GetProperty("user").GetProperty("login").GetString(), entry.GetProperty("comment").GetString(),
             entry.GetProperty("environments")[0].GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingComment.StatusCode);
        Assert.Equal("in_progress", (await GitHub.GetWorkflowRunAsync(Repo, run))!.Status);
    }

    [Fact]
    public async Task AReviewByANonReviewer_Answers422_WithTheReason()
    {
        GitHub.Seed(Repo, Environment("prod").RequireReviewers(User("ana")));
        var run = GitHub.AddWaitingRun(Repo, "Promote", "bob", ["prod"]);
        GitHub.CurrentUserLogin = "mallory";
        var environmentId = (await GitHub.GetEnvironmentAsync(Repo, "prod"))!.Id;

        var response = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/pending_deployments"),
            $$"""{"environment_ids":[{{environmentId}}],"state":"approved","comment":"me"}""");

        Assert.Contains("mallory is not a required reviewer", await ReadErrorAsync(response, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Equal("waiting", (await GitHub.GetWorkflowRunAsync(Repo, run))!.Status);
    }

    [Fact]
    public async Task CustomGateAnswers_AndStatusReports_Answer204_AndAreRecorded()
    {
        GitHub.Seed(Repo, Environment("prod"));
        var run = GitHub.AddWaitingRun(Repo, "Promote", "prod");

        var decision = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/deployment_protection_rule"), """{"environment_name":"prod","state":"approved","comment":"ok"}""");
        var report = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/deployment_protection_rule"), """{"environment_name":"prod","comment":"checking metrics"}""");
        var neither = await SendAsync(HttpMethod.Post, RepoPath($"actions/runs/{run}/deployment_protection_rule"), """{"environment_name":"prod"}""");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.UnprocessableEntity), (decision.StatusCode, report.StatusCode, neither.StatusCode));
        Assert.Equal(
            [new FakeCustomGateReview("prod", GitHubReviewState.Approved, "ok"), new FakeCustomGateReview("prod", GitHubReviewState.Pending, "checking metrics")],
            GitHub.GetCustomGateReviews(Repo, run));
    }

    [Fact]
    public async Task Workflows_AreListed_AndFilesServedBase64InLines_AtAPathWithSlashes()
    {
        var yaml = "name: Promote model\non: workflow_dispatch\n# " + new string('é', 80) + "\n";
        GitHub.SetWorkflowFile(Repo, ".github/workflows/promote.yml", yaml);
        GitHub.SetWorkflowFile(Repo, "docs/readme.md", "# docs");

        var workflows = await ReadConformingAsync(await GetAsync(RepoPath("actions/workflows")), "actions/list-repo-workflows");
        var file = await ReadConformingAsync(await GetAsync(RepoPath("contents/.github/workflows/promote.yml?ref=main")), "repos/get-content");
        var escaped = await ReadConformingAsync(await GetAsync(RepoPath("contents/.github%2Fworkflows%2Fpromote.yml")), "repos/get-content");
        var doc = await ReadConformingAsync(await GetAsync(RepoPath("contents/docs/readme.md")), "repos/get-content");
        var missing = await GetAsync(RepoPath("contents/.github/workflows/nope.yml"));

        var workflow = Assert.Single(workflows.GetProperty("workflows").EnumerateArray());
        Assert.Equal(("Promote model", ".github/workflows/promote.yml", "active"),
            (workflow.GetProperty("name").GetString(), workflow.GetProperty("path").GetString(), workflow.GetProperty("state").GetString()));
        var content = file.GetProperty("content").GetString()!;
        Assert.Contains('\n', content);
        Assert.All(content.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.True(line.Length <= 60));
        Assert.Equal(yaml, Encoding.UTF8.GetString(Convert.FromBase64String(content)));
        Assert.Equal((".github/workflows/promote.yml", "promote.yml", "base64"),
            (file.GetProperty("path").GetString(), file.GetProperty("name").GetString(), file.GetProperty("encoding").GetString()));
        Assert.Equal(file.GetProperty("sha").GetString(), escaped.GetProperty("sha").GetString());
        Assert.Equal("# docs", Encoding.UTF8.GetString(Convert.FromBase64String(doc.GetProperty("content").GetString()!)));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(Emulator.UnmatchedRequests);
    }

    [Fact]
    public void TheContentPath_SpansSegments_ButOtherParametersDoNot()
    {
        var description = OpenApiDescription.Default;

        var match = description.Match("GET", ["repos", "o", "r", "contents", ".github", "workflows", "promote.yml"])!;
        var single = description.Match("GET", ["repos", "o", "r", "contents", "README.md"])!;

        Assert.Equal(("repos/get-content", ".github/workflows/promote.yml"), (match.Operation.Id, match.PathParameters["path"]));
        Assert.Equal("README.md", single.PathParameters["path"]);
        Assert.Null(description.Match("GET", ["repos", "o", "r", "contents"]));
        Assert.Equal("actions/get-reviews-for-run", description.Match("GET", ["repos", "o", "r", "actions", "runs", "1", "approvals"])!.Operation.Id);
        Assert.Null(description.Match("GET", ["repos", "o", "r", "environments", "a", "b", "c", "d", "e"]));
    }
}
