using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Deployments, deployment statuses, workflow runs, pending deployments, review history, workflows and file contents,
/// with every field their schemas require.
/// </content>
internal sealed partial class GitHubJson
{
    /// <summary>A user by login: its id when the fake knows it, else a stable made-up one; <c>Bot</c> for <c>…[bot]</c> logins.</summary>
    public JsonObject Actor(string login, long? knownId) =>
        SimpleUser(login, knownId ?? SyntheticId(login), login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User");

    /// <summary>The API URL of a repository.</summary>
    public string RepositoryApi(RepositoryId repository) => Api($"repos/{repository.Owner}/{repository.Name}");

    /// <summary>A deployment (<c>deployment</c> schema).</summary>
    public JsonObject Deployment(RepositoryId repository, GitHubDeployment deployment, JsonObject? creator)
    {
        var url = DeploymentUrl(repository, deployment.Id);
        return new JsonObject
        {
            ["url"] = url,
            ["id"] = deployment.Id,
            ["node_id"] = NodeId("Deployment", deployment.Id),
            ["sha"] = deployment.Sha,
            ["ref"] = deployment.Ref,
            ["task"] = deployment.Task,
            ["payload"] = Payload(deployment.PayloadJson),
            ["original_environment"] = deployment.Environment,
            ["environment"] = deployment.Environment,
            ["description"] = deployment.Description,
            ["creator"] = creator,
            ["created_at"] = Timestamp(deployment.CreatedAt),
            ["updated_at"] = Timestamp(deployment.UpdatedAt),
            ["statuses_url"] = url + "/statuses",
            ["repository_url"] = RepositoryApi(repository),
            ["transient_environment"] = deployment.TransientEnvironment,
            ["production_environment"] = deployment.ProductionEnvironment,
            ["performed_via_github_app"] = null,
        };
    }

    /// <summary>The API URL of a deployment.</summary>
    public string DeploymentUrl(RepositoryId repository, long deploymentId) =>
        RepositoryApi(repository) + "/deployments/" + deploymentId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A deployment status (<c>deployment-status</c> schema).</summary>
    public JsonObject DeploymentStatus(RepositoryId repository, GitHubDeployment deployment, GitHubDeploymentStatus status, JsonObject? creator)
    {
        var deploymentUrl = DeploymentUrl(repository, deployment.Id);
        var log = status.LogUrl?.AbsoluteUri ?? string.Empty;
        return new JsonObject
        {
            ["url"] = deploymentUrl + "/statuses/" + status.Id.ToString(CultureInfo.InvariantCulture),
            ["id"] = status.Id,
            ["node_id"] = NodeId("DeploymentStatus", status.Id),
            ["state"] = StateText(status.State),
            ["creator"] = creator,
            ["description"] = status.Description ?? string.Empty,
            ["environment"] = deployment.Environment,
            ["target_url"] = log,
            ["created_at"] = Timestamp(status.CreatedAt),
            ["updated_at"] = Timestamp(status.CreatedAt),
            ["deployment_url"] = deploymentUrl,
            ["repository_url"] = RepositoryApi(repository),
            ["environment_url"] = status.EnvironmentUrl?.AbsoluteUri ?? string.Empty,
            ["log_url"] = log,
            ["performed_via_github_app"] = null,
        };
    }

    /// <summary>A workflow run (<c>workflow-run</c> schema), with its repository as <c>repository</c> and <c>head_repository</c>.</summary>
    public JsonObject WorkflowRun(RepositorySnapshot repository, bool ownerIsUser, GitHubWorkflowRun run, DateTimeOffset updatedAt, JsonObject? actor, JsonObject? triggeringActor)
    {
        var name = repository.Name;
        var api = RepositoryApi(name);
        var runUrl = api + "/actions/runs/" + run.Id.ToString(CultureInfo.InvariantCulture);
        var checkSuite = run.Id + 1_000_000_000L;
        var body = new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = run.Name,
            ["node_id"] = NodeId("WorkflowRun", run.Id),
            ["check_suite_id"] = checkSuite,
            ["check_suite_node_id"] = NodeId("CheckSuite", checkSuite),
            ["head_branch"] = run.HeadBranch,
            ["head_sha"] = run.HeadSha,
            ["path"] = run.Path ?? string.Empty,
            ["display_title"] = run.DisplayTitle ?? run.Name ?? string.Empty,
            ["run_number"] = run.RunNumber,
            ["run_attempt"] = 1,
            ["referenced_workflows"] = new JsonArray(),
            ["event"] = run.Event,
            ["status"] = run.Status,
            ["conclusion"] = run.Conclusion,
            ["workflow_id"] = run.WorkflowId,
            ["url"] = runUrl,
            ["html_url"] = run.HtmlUrl?.AbsoluteUri ?? $"{Web}{name.Owner}/{name.Name}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}",
            ["pull_requests"] = new JsonArray(),
            ["created_at"] = Timestamp(run.CreatedAt),
            ["updated_at"] = Timestamp(updatedAt),
            ["run_started_at"] = Timestamp(run.CreatedAt),
            ["jobs_url"] = runUrl + "/jobs",
            ["logs_url"] = runUrl + "/logs",
            ["check_suite_url"] = api + "/check-suites/" + checkSuite.ToString(CultureInfo.InvariantCulture),
            ["artifacts_url"] = runUrl + "/artifacts",
            ["cancel_url"] = runUrl + "/cancel",
            ["rerun_url"] = runUrl + "/rerun",
            ["previous_attempt_url"] = null,
            ["workflow_url"] = api + "/actions/workflows/" + run.WorkflowId.ToString(CultureInfo.InvariantCulture),
            ["head_commit"] = new JsonObject
            {
                ["id"] = run.HeadSha,
                ["tree_id"] = run.HeadSha,
                ["message"] = run.DisplayTitle ?? run.Name ?? string.Empty,
                ["timestamp"] = Timestamp(run.CreatedAt),
                ["author"] = new JsonObject { ["name"] = run.ActorLogin ?? "GitHub", ["email"] = "noreply@github.com" },
                ["committer"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com" },
            },
            ["repository"] = Repository(repository, ownerIsUser, Permissions(admin: false)),
            ["head_repository"] = Repository(repository, ownerIsUser, Permissions(admin: false)),
            ["head_repository_id"] = repository.Id,
        };
        if (actor is not null)
        {
            body["actor"] = actor;
        }

        if (triggeringActor is not null)
        {
            body["triggering_actor"] = triggeringActor;
        }

        return body;
    }

    /// <summary>An environment as pending deployments and review history name it (id, node id, name, URLs).</summary>
    public JsonObject EnvironmentReference(RepositoryId repository, long id, string name, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null)
    {
        var reference = new JsonObject
        {
            ["id"] = id,
            ["node_id"] = NodeId("Environment", id),
            ["name"] = name,
            ["url"] = EnvironmentUrl(repository, name),
            ["html_url"] = $"{Web}{repository.Owner}/{repository.Name}/deployments/activity_log?environments_filter={Escape(name)}",
        };
        if (createdAt is { } created)
        {
            reference["created_at"] = Timestamp(created);
        }

        if (updatedAt is { } updated)
        {
            reference["updated_at"] = Timestamp(updated);
        }

        return reference;
    }

    /// <summary>An environment a run waits on (<c>pending-deployment</c> schema).</summary>
    public JsonObject PendingDeployment(RepositorySnapshot repository, GitHubPendingDeployment pending)
    {
        var reviewers = new JsonArray();
        foreach (var reviewer in pending.Reviewers)
        {
            reviewers.Add((JsonNode)new JsonObject
            {
                ["type"] = reviewer.Kind == ReviewerKind.User ? "User" : "Team",
                ["reviewer"] = reviewer.Kind == ReviewerKind.User ? SimpleUser(reviewer.Name, reviewer.Id) : Team(reviewer.Name, reviewer.Id, repository),
            });
        }

        return new JsonObject
        {
            ["environment"] = EnvironmentReference(repository.Name, pending.EnvironmentId, pending.EnvironmentName),
            ["wait_timer"] = (long)pending.WaitTimer.TotalMinutes,
            ["wait_timer_started_at"] = pending.WaitTimerStartedAt is { } started ? Timestamp(started) : null,
            ["current_user_can_approve"] = pending.CurrentUserCanApprove,
            ["reviewers"] = reviewers,
        };
    }

    /// <summary>A workflow (<c>workflow</c> schema).</summary>
    public JsonObject Workflow(RepositoryId repository, long id, string name, string path, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var file = path[(path.LastIndexOf('/') + 1)..];
        return new JsonObject
        {
            ["id"] = id,
            ["node_id"] = NodeId("Workflow", id),
            ["name"] = name,
            ["path"] = path,
            ["state"] = "active",
            ["created_at"] = Timestamp(createdAt),
            ["updated_at"] = Timestamp(updatedAt),
            ["url"] = RepositoryApi(repository) + "/actions/workflows/" + id.ToString(CultureInfo.InvariantCulture),
            ["html_url"] = $"{Web}{repository.Owner}/{repository.Name}/blob/main/{path}",
            ["badge_url"] = $"{Web}{repository.Owner}/{repository.Name}/workflows/{Escape(file)}/badge.svg",
        };
    }

    /// <summary>
    /// A file (<c>content-file</c> schema): base64 in lines of 60 characters, each ending with a line feed, as GitHub
    /// sends it; <c>sha</c> is git's blob id of the text.
    /// </summary>
    public JsonObject ContentFile(RepositoryId repository, string path, string content, string? @ref)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var base64 = Convert.ToBase64String(bytes);
        var wrapped = new StringBuilder();
        for (var i = 0; i < base64.Length; i += 60)
        {
            wrapped.Append(base64.AsSpan(i, Math.Min(60, base64.Length - i))).Append('\n');
        }

        var header = Encoding.ASCII.GetBytes("blob " + bytes.Length.ToString(CultureInfo.InvariantCulture) + "\0");
        var sha = Convert.ToHexString(SHA256.HashData([.. header, .. bytes]), 0, 20).ToLowerInvariant();
        var escaped = string.Join('/', path.Split('/').Select(Escape));
        var branch = @ref ?? "main";
        var self = RepositoryApi(repository) + "/contents/" + escaped + "?ref=" + Escape(branch);
        var html = $"{Web}{repository.Owner}/{repository.Name}/blob/{Escape(branch)}/{escaped}";
        var git = RepositoryApi(repository) + "/git/blobs/" + sha;
        return new JsonObject
        {
            ["type"] = "file",
            ["encoding"] = "base64",
            ["size"] = bytes.Length,
            ["name"] = path[(path.LastIndexOf('/') + 1)..],
            ["path"] = path,
            ["content"] = wrapped.ToString(),
            ["sha"] = sha,
            ["url"] = self,
            ["git_url"] = git,
            ["html_url"] = html,
            ["download_url"] = $"https://raw.githubusercontent.com/{repository.Owner}/{repository.Name}/{Escape(branch)}/{escaped}",
            ["_links"] = new JsonObject { ["git"] = git, ["html"] = html, ["self"] = self },
        };
    }

    /// <summary>The wire name of a deployment state.</summary>
    public static string StateText(GitHubDeploymentState state) => state switch
    {
        GitHubDeploymentState.Error => "error",
        GitHubDeploymentState.Failure => "failure",
        GitHubDeploymentState.Inactive => "inactive",
        GitHubDeploymentState.InProgress => "in_progress",
        GitHubDeploymentState.Queued => "queued",
        GitHubDeploymentState.Success => "success",
        _ => "pending",
    };

    /// <summary>The stored payload as GitHub answers it: an object, a string, or <c>{}</c> when there is none.</summary>
    private static JsonNode Payload(string? payloadJson)
    {
        if (payloadJson is null)
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(payloadJson) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return JsonValue.Create(payloadJson);
        }
    }

    private static long SyntheticId(string login) =>
        100_000_000L + BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(login.ToLowerInvariant())), 0) % 100_000_000L;
}
