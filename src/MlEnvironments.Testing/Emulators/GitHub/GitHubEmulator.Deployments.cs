using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Deployments and statuses, workflow runs, workflow dispatch, pending deployments and their reviews, custom-gate
/// answers, workflows and file contents, over the fake's state.
/// </content>
public sealed partial class GitHubEmulator
{
    private Task<EmulatorResult>? DispatchActionsAsync(RequestContext c) => c.Operation.Id switch
    {
        "repos/list-deployments" => ListDeploymentsAsync(c),
        "repos/create-deployment" => CreateDeploymentAsync(c),
        "repos/get-deployment" => GetDeploymentAsync(c),
        "repos/list-deployment-statuses" => ListDeploymentStatusesAsync(c),
        "repos/create-deployment-status" => CreateDeploymentStatusAsync(c),
        "repos/get-deployment-status" => GetDeploymentStatusAsync(c),
        "actions/list-workflow-runs-for-repo" => ListWorkflowRunsAsync(c),
        "actions/get-workflow-run" => GetWorkflowRunAsync(c),
        "actions/create-workflow-dispatch" => DispatchWorkflowAsync(c),
        "actions/get-pending-deployments-for-run" => GetPendingDeploymentsAsync(c),
        "actions/review-pending-deployments-for-run" => ReviewPendingDeploymentsAsync(c),
        "actions/get-reviews-for-run" => ListReviewsAsync(c),
        "actions/review-custom-gates-for-run" => ReviewCustomGateAsync(c),
        "actions/list-repo-workflows" => ListWorkflowsAsync(c),
        "repos/get-content" => GetContentAsync(c),
        _ => DispatchIssuesAsync(c),
    };

    // ----- deployments ----------------------------------------------------------------------------------------

    private async Task<EmulatorResult> ListDeploymentsAsync(RequestContext c)
    {
        var deployments = await State.ListDeploymentsAsync(
            c.Repository, Query(c, "environment"), Query(c, "task"), Query(c, "sha"), Query(c, "ref"), c.CancellationToken).ConfigureAwait(false);
        return PageArray(c, deployments, 30, 100, d => Json.Deployment(c.Repository, d, Creator(d.CreatorLogin)));
    }

    /// <summary>
    /// Creates a deployment with GitHub's defaults (<c>task</c> deploy, <c>environment</c> production,
    /// <c>production_environment</c> true for production). The payload is kept as sent: an object, or a string (which
    /// is read as JSON when it holds a JSON object). The fake has no branches, so <c>auto_merge</c> never merges and
    /// <c>required_contexts</c> never fail.
    /// </summary>
    private async Task<EmulatorResult> CreateDeploymentAsync(RequestContext c)
    {
        var @ref = c.TryGetBodyProperty("ref", out var refElement) ? refElement.GetString() : null;
        if (string.IsNullOrWhiteSpace(@ref))
        {
            return ValidationFailed(c, "ref can't be blank.");
        }

        var environment = c.TryGetBodyProperty("environment", out var environmentElement) ? environmentElement.GetString() : "production";
        if (string.IsNullOrWhiteSpace(environment))
        {
            return ValidationFailed(c, "environment can't be blank.");
        }

        var task = c.TryGetBodyProperty("task", out var taskElement) ? taskElement.GetString() : "deploy";
        if (string.IsNullOrWhiteSpace(task))
        {
            return ValidationFailed(c, "task can't be blank.");
        }

        string? payload = null;
        if (c.TryGetBodyProperty("payload", out var payloadElement))
        {
            if (payloadElement.ValueKind == JsonValueKind.Object)
            {
                payload = InMemoryGitHub.NormalizedPayload(payloadElement);
            }
            else if (payloadElement.GetString() is { Length: > 0 } text)
            {
                payload = ParseObject(text) is { } parsed ? InMemoryGitHub.NormalizedPayload(parsed) : "\"" + JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
            }
        }

        var deployment = new GitHubNewDeployment(@ref, environment)
        {
            Task = task,
            Description = c.TryGetBodyProperty("description", out var description) ? description.GetString() : null,
            TransientEnvironment = c.TryGetBodyProperty("transient_environment", out var transient) && transient.GetBoolean(),
            ProductionEnvironment = c.TryGetBodyProperty("production_environment", out var production)
                ? production.GetBoolean()
                : string.Equals(environment, "production", StringComparison.Ordinal),
            AutoMerge = !c.TryGetBodyProperty("auto_merge", out var autoMerge) || autoMerge.GetBoolean(),
        };
        var created = await State.CreateDeploymentAsync(c.Repository, deployment, payload, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(201, Json.Deployment(c.Repository, created, Creator(created.CreatorLogin)));
    }

    private async Task<EmulatorResult> GetDeploymentAsync(RequestContext c)
    {
        var deployment = await State.GetDeploymentAsync(c.Repository, c.LongParameter("deployment_id"), c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.Deployment(c.Repository, deployment, Creator(deployment.CreatorLogin)));
    }

    private async Task<EmulatorResult> ListDeploymentStatusesAsync(RequestContext c)
    {
        var deploymentId = c.LongParameter("deployment_id");
        var statuses = await State.ListDeploymentStatusesAsync(c.Repository, deploymentId, c.CancellationToken).ConfigureAwait(false);
        var deployment = State.PeekDeployment(c.Repository, deploymentId)!;
        return PageArray(c, statuses, 30, 100, s => Json.DeploymentStatus(c.Repository, deployment, s, Creator(s.CreatorLogin)));
    }

    /// <summary>201 with a <c>Location</c>; 422 for a description over 140 characters or a URL that is not absolute.</summary>
    private async Task<EmulatorResult> CreateDeploymentStatusAsync(RequestContext c)
    {
        var deploymentId = c.LongParameter("deployment_id");
        c.TryGetBodyProperty("state", out var stateElement);
        var state = stateElement.GetString() switch
        {
            "error" => GitHubDeploymentState.Error,
            "failure" => GitHubDeploymentState.Failure,
            "inactive" => GitHubDeploymentState.Inactive,
            "in_progress" => GitHubDeploymentState.InProgress,
            "queued" => GitHubDeploymentState.Queued,
            "success" => GitHubDeploymentState.Success,
            _ => GitHubDeploymentState.Pending,
        };
        var description = c.TryGetBodyProperty("description", out var descriptionElement) ? descriptionElement.GetString() : null;
        if (description is { Length: > 140 })
        {
            return ValidationFailed(c, "description is too long (maximum is 140 characters).");
        }

        var logText = c.TryGetBodyProperty("log_url", out var log) ? log.GetString() : c.TryGetBodyProperty("target_url", out var target) ? target.GetString() : null;
        var environmentText = c.TryGetBodyProperty("environment_url", out var environmentUrl) ? environmentUrl.GetString() : null;
        Uri? logUrl = null;
        Uri? environmentUri = null;
        if ((!string.IsNullOrEmpty(logText) && !Uri.TryCreate(logText, UriKind.Absolute, out logUrl)) ||
            (!string.IsNullOrEmpty(environmentText) && !Uri.TryCreate(environmentText, UriKind.Absolute, out environmentUri)))
        {
            return ValidationFailed(c, "log_url, target_url and environment_url must be absolute URLs.");
        }

        var status = await State.CreateDeploymentStatusAsync(c.Repository, deploymentId, new GitHubNewDeploymentStatus(state)
        {
            Description = string.IsNullOrEmpty(description) ? null : description,
            LogUrl = logUrl,
            EnvironmentUrl = environmentUri,
            AutoInactive = !c.TryGetBodyProperty("auto_inactive", out var autoInactive) || autoInactive.GetBoolean(),
        }, c.CancellationToken).ConfigureAwait(false);
        var deployment = State.PeekDeployment(c.Repository, deploymentId)!;
        var body = Json.DeploymentStatus(c.Repository, deployment, status, Creator(status.CreatorLogin));
        return EmulatorResult.Json(201, body).WithHeader("Location", body["url"]!.GetValue<string>());
    }

    private async Task<EmulatorResult> GetDeploymentStatusAsync(RequestContext c)
    {
        var (deployment, status) = await State.GetDeploymentStatusAsync(
            c.Repository, c.LongParameter("deployment_id"), c.LongParameter("status_id"), c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.DeploymentStatus(c.Repository, deployment, status, Creator(status.CreatorLogin)));
    }

    // ----- workflow runs and dispatch -------------------------------------------------------------------------

    /// <summary>Newest first, filtered by <c>status</c> (status or conclusion), <c>actor</c>, <c>branch</c>, <c>event</c> and <c>head_sha</c>.</summary>
    private async Task<EmulatorResult> ListWorkflowRunsAsync(RequestContext c)
    {
        var runs = await State.ListWorkflowRunsAsync(c.Repository, Query(c, "status"), c.CancellationToken).ConfigureAwait(false);
        var actor = Query(c, "actor");
        var branch = Query(c, "branch");
        var triggeringEvent = Query(c, "event");
        var headSha = Query(c, "head_sha");
        var filtered = runs
            .Where(r => actor is null || string.Equals(r.ActorLogin, actor, StringComparison.OrdinalIgnoreCase))
            .Where(r => branch is null || string.Equals(r.HeadBranch, branch, StringComparison.Ordinal))
            .Where(r => triggeringEvent is null || string.Equals(r.Event, triggeringEvent, StringComparison.Ordinal))
            .Where(r => headSha is null || string.Equals(r.HeadSha, headSha, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var repository = State.PeekRepository(c.Repository)!;
        return Page(c, filtered, 30, 100, "workflow_runs", r => WorkflowRunJson(repository, r));
    }

    private async Task<EmulatorResult> GetWorkflowRunAsync(RequestContext c)
    {
        var run = await State.GetWorkflowRunAsync(c.Repository, c.LongParameter("run_id"), c.CancellationToken).ConfigureAwait(false);
        return run is null ? NotFound(c) : EmulatorResult.Json(200, WorkflowRunJson(State.PeekRepository(c.Repository)!, run));
    }

    /// <summary>204; 200 with the run's id and URLs when <c>return_run_details</c> is true.</summary>
    private async Task<EmulatorResult> DispatchWorkflowAsync(RequestContext c)
    {
        c.TryGetBodyProperty("ref", out var refElement);
        var @ref = refElement.GetString();
        if (string.IsNullOrWhiteSpace(@ref))
        {
            return ValidationFailed(c, "ref can't be blank.");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (c.TryGetBodyProperty("inputs", out var inputElement) && inputElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var input in inputElement.EnumerateObject())
            {
                inputs[input.Name] = input.Value.ValueKind == JsonValueKind.String ? input.Value.GetString()! : input.Value.GetRawText();
            }
        }

        var runId = await State.DispatchAndGetRunAsync(c.Repository, c.Parameter("workflow_id"), @ref, inputs, c.CancellationToken).ConfigureAwait(false);
        if (!c.TryGetBodyProperty("return_run_details", out var details) || !details.GetBoolean())
        {
            return EmulatorResult.Empty(204);
        }

        var name = c.Repository;
        return EmulatorResult.Json(200, new JsonObject
        {
            ["workflow_run_id"] = runId,
            ["run_url"] = Json.RepositoryApi(name) + "/actions/runs/" + runId.ToString(CultureInfo.InvariantCulture),
            ["html_url"] = $"https://github.com/{name.Owner}/{name.Name}/actions/runs/{runId.ToString(CultureInfo.InvariantCulture)}",
        });
    }

    // ----- pending deployments, reviews and custom gates ------------------------------------------------------

    private async Task<EmulatorResult> GetPendingDeploymentsAsync(RequestContext c)
    {
        var pending = await State.GetPendingDeploymentsAsync(c.Repository, c.LongParameter("run_id"), c.CancellationToken).ConfigureAwait(false);
        var repository = State.PeekRepository(c.Repository)!;
        return EmulatorResult.Json(200, new JsonArray([.. pending.Select(p => (JsonNode)Json.PendingDeployment(repository, p))]));
    }

    /// <summary>
    /// Reviews as the fake's <see cref="InMemoryGitHub.CurrentUserLogin"/>; 200 with the deployments made for the
    /// approved jobs, which the fake does not make (an empty array).
    /// </summary>
    private async Task<EmulatorResult> ReviewPendingDeploymentsAsync(RequestContext c)
    {
        c.TryGetBodyProperty("environment_ids", out var idsElement);
        var ids = idsElement.EnumerateArray().Select(i => i.GetInt64()).ToList();
        if (ids.Count == 0)
        {
            return ValidationFailed(c, "environment_ids can't be empty.");
        }

        c.TryGetBodyProperty("state", out var stateElement);
        c.TryGetBodyProperty("comment", out var comment);
        var state = stateElement.GetString() == "approved" ? GitHubReviewState.Approved : GitHubReviewState.Rejected;
        await State.ReviewPendingDeploymentsAsync(c.Repository, c.LongParameter("run_id"), ids, state, comment.GetString()!, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, new JsonArray());
    }

    private async Task<EmulatorResult> ListReviewsAsync(RequestContext c)
    {
        var reviews = await State.ListReviewsAsync(c.Repository, c.LongParameter("run_id"), c.CancellationToken).ConfigureAwait(false);
        var array = new JsonArray();
        foreach (var review in reviews)
        {
            var environments = new JsonArray();
            foreach (var name in review.EnvironmentNames)
            {
                var environment = State.PeekEnvironment(c.Repository, name);
                environments.Add((JsonNode)(environment is null
                    ? new JsonObject { ["name"] = name }
                    : Json.EnvironmentReference(c.Repository, environment.Id, environment.Name, environment.CreatedAt, environment.UpdatedAt)));
            }

            array.Add((JsonNode)new JsonObject
            {
                ["environments"] = environments,
                ["state"] = review.State switch
                {
                    GitHubReviewState.Approved => "approved",
                    GitHubReviewState.Rejected => "rejected",
                    _ => "pending",
                },
                ["user"] = Creator(review.UserLogin ?? "ghost"),
                ["comment"] = review.Comment ?? string.Empty,
            });
        }

        return EmulatorResult.Json(200, array);
    }

    /// <summary>204; a body without <c>state</c> is a status report, recorded as <see cref="GitHubReviewState.Pending"/>.</summary>
    private async Task<EmulatorResult> ReviewCustomGateAsync(RequestContext c)
    {
        c.TryGetBodyProperty("environment_name", out var environment);
        GitHubReviewState? state = c.TryGetBodyProperty("state", out var stateElement)
            ? stateElement.GetString() == "approved" ? GitHubReviewState.Approved : GitHubReviewState.Rejected
            : null;
        var comment = c.TryGetBodyProperty("comment", out var commentElement) ? commentElement.GetString() : null;
        await State.RecordCustomGateAsync(c.Repository, c.LongParameter("run_id"), environment.GetString()!, state, comment, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Empty(204);
    }

    // ----- workflows and contents -----------------------------------------------------------------------------

    private async Task<EmulatorResult> ListWorkflowsAsync(RequestContext c)
    {
        var workflows = await State.ListWorkflowsAsync(c.Repository, c.CancellationToken).ConfigureAwait(false);
        return Page(c, workflows, 30, 100, "workflows", w => Json.Workflow(c.Repository, w.Id, w.Name, w.Path, w.CreatedAt, w.UpdatedAt));
    }

    /// <summary>A file of the fake (the same at every <c>ref</c>), base64-encoded; 404 for anything else.</summary>
    private async Task<EmulatorResult> GetContentAsync(RequestContext c)
    {
        var path = c.Parameter("path");
        var content = await State.GetFileContentAsync(c.Repository, path, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.ContentFile(c.Repository, path, content, Query(c, "ref")));
    }

    // ----- helpers --------------------------------------------------------------------------------------------

    private JsonObject WorkflowRunJson(RepositorySnapshot repository, GitHubWorkflowRun run) =>
        Json.WorkflowRun(
            repository,
            State.PeekUser(repository.Name.Owner) is not null,
            run,
            State.PeekRunUpdatedAt(repository.Name, run.Id) ?? run.CreatedAt,
            run.ActorLogin is null ? null : Creator(run.ActorLogin),
            run.TriggeringActorLogin is null ? null : Creator(run.TriggeringActorLogin));

    private JsonObject? Creator(string? login) => login is null ? null : Json.Actor(login, State.PeekUser(login)?.Id);

    private static string? Query(RequestContext c, string name) =>
        c.Http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static JsonElement? ParseObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One page of a plain array, with GitHub's <c>Link</c> header when there is more than one page.</summary>
    private static EmulatorResult PageArray<T>(RequestContext c, IReadOnlyList<T> items, int defaultPerPage, int maxPerPage, Func<T, JsonNode> map)
    {
        var wrapped = Page(c, items, defaultPerPage, maxPerPage, "items", map);
        var array = wrapped.Body!["items"]!.AsArray();
        var result = EmulatorResult.Json(200, new JsonArray([.. array.Select(n => n?.DeepClone())]));
        foreach (var header in wrapped.Headers)
        {
            result.WithHeader(header.Key, header.Value);
        }

        return result;
    }
}
