using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Deployments and their statuses, workflow runs, reviews of the environments runs wait on, custom-gate answers,
/// workflow dispatches and workflow files, as GitHub keeps them:
/// <list type="bullet">
/// <item>Deployment and status ids increase; lists are newest first; <c>created_at</c> comes from the fake's clock.
/// A <c>success</c> status with <c>auto_inactive</c> appends an <c>inactive</c> status to every earlier deployment to
/// the same environment whose latest status is <c>success</c> and that is neither transient nor production.</item>
/// <item>Runs that wait on environments are added with <see cref="AddWaitingRun(RepositoryId, string, string[])"/>.
/// Reviews act as <see cref="CurrentUserLogin"/> (the token's user): it must be a required reviewer of every
/// environment reviewed (directly, or through a team it was added to with <see cref="AddTeamMember"/>), and not the
/// one who started the run when the environment prevents self-review; otherwise the review answers 422. Approving
/// the last waiting environment moves the run to <c>in_progress</c>; rejecting completes it with <c>failure</c>.
/// Approving does not create the deployments GitHub Actions makes for the approved jobs.</item>
/// <item>A dispatch needs a workflow file (<see cref="SetWorkflowFile"/>) with a <c>workflow_dispatch</c> trigger;
/// it is recorded (<see cref="GetWorkflowDispatches"/>) and adds a <c>queued</c> run.</item>
/// </list>
/// Unknown repositories, deployments and runs answer 404, like every other call of the fake.
/// </content>
public sealed partial class InMemoryGitHub
{
    private const int MaxDispatchInputs = 25;
    private const int MaxStatusDescription = 140;
    private const int MaxGateComment = 1024;
    private const string ActionsBot = "github-actions[bot]";
    private const string WorkflowFolder = ".github/workflows/";
    private const string DefaultWorkflowPath = WorkflowFolder + "promote.yml";

    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<RepositoryId, ActionsRecord> _actions = [];
    private readonly Dictionary<string, HashSet<string>> _teamMembers = new(StringComparer.OrdinalIgnoreCase);
    private string? _currentUserLogin;

    /// <summary>
    /// The login of the user the token belongs to: the reviewer of <see cref="ReviewPendingDeploymentsAsync"/>, the one
    /// <c>current_user_can_approve</c> is about, and the creator of deployments, statuses and dispatched runs.
    /// <see langword="null"/> (the default) is a token without a user, such as a GitHub App installation token, which
    /// cannot review.
    /// </summary>
    public string? CurrentUserLogin
    {
        get
        {
            lock (_gate)
            {
                return _currentUserLogin;
            }
        }

        set
        {
            lock (_gate)
            {
                _currentUserLogin = string.IsNullOrWhiteSpace(value) ? null : value;
            }
        }
    }

    /// <summary>Makes a user a member of a team (both added when unknown), so that it reviews for the team.</summary>
    /// <param name="teamSlug">The team.</param>
    /// <param name="login">The user.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub AddTeamMember(string teamSlug, string login)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamSlug);
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        AddTeam(teamSlug);
        AddUser(login);
        lock (_gate)
        {
            if (!_teamMembers.TryGetValue(teamSlug, out var members))
            {
                members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _teamMembers.Add(teamSlug, members);
            }

            members.Add(login);
        }

        return this;
    }

    /// <summary>
    /// Adds a workflow run, started by <c>octocat</c> with <c>workflow_dispatch</c> on <c>main</c>, that waits on
    /// environments (status <c>waiting</c>), without logging a call.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="displayTitle">The run's title (its <c>run-name</c>).</param>
    /// <param name="environmentNames">The environments it waits on; each must exist.</param>
    /// <returns>The run's id.</returns>
    /// <exception cref="InvalidOperationException">The repository or an environment does not exist.</exception>
    public long AddWaitingRun(RepositoryId repository, string displayTitle, params string[] environmentNames) =>
        AddWaitingRun(repository, displayTitle, "octocat", environmentNames);

    /// <summary>
    /// Adds a workflow run, started by <paramref name="actorLogin"/> with <c>workflow_dispatch</c> on <c>main</c>,
    /// that waits on environments (status <c>waiting</c>), without logging a call.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="displayTitle">The run's title (its <c>run-name</c>).</param>
    /// <param name="actorLogin">Who started the run (what prevent-self-review compares with the reviewer).</param>
    /// <param name="environmentNames">The environments it waits on; each must exist.</param>
    /// <param name="workflowPath">The workflow file; default <c>.github/workflows/promote.yml</c>.</param>
    /// <returns>The run's id.</returns>
    /// <exception cref="InvalidOperationException">The repository or an environment does not exist.</exception>
    public long AddWaitingRun(RepositoryId repository, string displayTitle, string actorLogin, IEnumerable<string> environmentNames, string? workflowPath = null)
    {
        ArgumentNullException.ThrowIfNull(displayTitle);
        ArgumentException.ThrowIfNullOrWhiteSpace(actorLogin);
        ArgumentNullException.ThrowIfNull(environmentNames);
        lock (_gate)
        {
            if (!_repositories.TryGetValue(repository, out var repo))
            {
                throw new InvalidOperationException($"Repository {repository} does not exist in the fake; add it first.");
            }

            var waiting = new List<long>();
            foreach (var name in environmentNames)
            {
                var environment = repo.Find(name)
                    ?? throw new InvalidOperationException($"Environment '{name}' does not exist in {repository}; seed it first (a run waits only on environments with protection rules).");
                if (!waiting.Contains(environment.Id))
                {
                    waiting.Add(environment.Id);
                }
            }

            var run = NewRun(repository, workflowPath ?? DefaultWorkflowPath, displayTitle, "main", actorLogin, "waiting");
            run.Waiting.AddRange(waiting);
            return run.Id;
        }
    }

    /// <summary>Completes a run (status <c>completed</c>) with a conclusion, without logging a call.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="conclusion">The conclusion, e.g. <c>success</c> (the default) or <c>failure</c>.</param>
    /// <returns>This fake.</returns>
    /// <exception cref="InvalidOperationException">The run does not exist.</exception>
    public InMemoryGitHub CompleteRun(RepositoryId repository, long runId, string conclusion = "success")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conclusion);
        lock (_gate)
        {
            var run = (_actions.TryGetValue(repository, out var actions) ? actions.Runs.FirstOrDefault(r => r.Id == runId) : null)
                ?? throw new InvalidOperationException($"Run {runId} does not exist in {repository}.");
            run.Waiting.Clear();
            run.Status = "completed";
            run.Conclusion = conclusion;
            run.UpdatedAt = _time.GetUtcNow();
        }

        return this;
    }

    /// <summary>
    /// Puts a file into a repository (added when unknown), or replaces its text, without logging a call. Files under
    /// <c>.github/workflows/</c> are the repository's workflows. Files are the same at every ref.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="path">The path, e.g. <c>.github/workflows/promote.yml</c>.</param>
    /// <param name="content">The YAML text.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub SetWorkflowFile(RepositoryId repository, string path, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(content);
        AddRepository(repository);
        lock (_gate)
        {
            var actions = Actions(repository);
            var now = _time.GetUtcNow();
            var id = WorkflowId(actions, path);
            actions.Files[path] = actions.Files.TryGetValue(path, out var existing)
                ? existing with { Content = content, UpdatedAt = now }
                : new WorkflowFileRecord(id, path, content, now, now);
        }

        return this;
    }

    /// <summary>The answers given to custom deployment protection rules of a run, in order.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The answers (a status report without a decision has <see cref="GitHubReviewState.Pending"/>).</returns>
    public IReadOnlyList<FakeCustomGateReview> GetCustomGateReviews(RepositoryId repository, long runId)
    {
        lock (_gate)
        {
            return _actions.TryGetValue(repository, out var actions)
                ? [.. actions.GateReviews.Where(r => r.RunId == runId).Select(r => r.Review)]
                : [];
        }
    }

    /// <summary>The workflow dispatches a repository received, in order.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The dispatches.</returns>
    public IReadOnlyList<FakeWorkflowDispatch> GetWorkflowDispatches(RepositoryId repository)
    {
        lock (_gate)
        {
            return _actions.TryGetValue(repository, out var actions) ? [.. actions.Dispatches] : [];
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubDeployment>> ListDeploymentsAsync(RepositoryId repository, string? environment, string? task, CancellationToken cancellationToken = default) =>
        ListDeploymentsAsync(repository, environment, task, null, null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubDeploymentStatus>> ListDeploymentStatusesAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/list-deployment-statuses";
        return Run(operation, false, repository, null, Invariant(deploymentId), cancellationToken, () =>
            (IReadOnlyList<GitHubDeploymentStatus>)[.. Deployment(repository, deploymentId, operation).Statuses.AsEnumerable().Reverse()]);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><see cref="GitHubNewDeployment.PayloadJson"/> is not a JSON object.</exception>
    public Task<GitHubDeployment> CreateDeploymentAsync(RepositoryId repository, GitHubNewDeployment deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        string? payload = null;
        if (deployment.PayloadJson is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(deployment.PayloadJson);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException("PayloadJson must be a JSON object.", nameof(deployment));
                }

                payload = NormalizedPayload(document.RootElement);
            }
            catch (JsonException e)
            {
                throw new ArgumentException("PayloadJson is not valid JSON: " + e.Message, nameof(deployment), e);
            }
        }

        return CreateDeploymentAsync(repository, deployment, payload, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GitHubDeploymentStatus> CreateDeploymentStatusAsync(RepositoryId repository, long deploymentId, GitHubNewDeploymentStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        const string operation = "repos/create-deployment-status";
        return Run(operation, true, repository, null, Invariant(deploymentId), cancellationToken, () =>
        {
            var deployment = Deployment(repository, deploymentId, operation);
            var now = _time.GetUtcNow();
            var creator = _currentUserLogin;
            var description = status.Description is null ? null : Cut(status.Description, MaxStatusDescription);
            var created = MlEnvironmentsModelFactory.GitHubDeploymentStatus(++_nextId, status.State, description, creator, status.LogUrl, status.EnvironmentUrl, now);
            deployment.Statuses.Add(created);
            deployment.UpdatedAt = now;
            if (status.State == GitHubDeploymentState.Success && status.AutoInactive)
            {
                foreach (var earlier in Actions(repository).Deployments.Where(d =>
                             d.Id < deployment.Id &&
                             string.Equals(d.Environment, deployment.Environment, StringComparison.OrdinalIgnoreCase) &&
                             !d.Transient && !d.Production &&
                             d.Statuses.Count > 0 && d.Statuses[^1].State == GitHubDeploymentState.Success))
                {
                    earlier.Statuses.Add(MlEnvironmentsModelFactory.GitHubDeploymentStatus(++_nextId, GitHubDeploymentState.Inactive, null, creator, null, null, now));
                    earlier.UpdatedAt = now;
                }
            }

            return created;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubWorkflowRun>> ListWorkflowRunsAsync(RepositoryId repository, string? status, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/list-workflow-runs-for-repo";
        return Run(operation, false, repository, null, status, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return (IReadOnlyList<GitHubWorkflowRun>)Actions(repository).Runs
                .Where(r => status is null ||
                            string.Equals(r.Status, status, StringComparison.OrdinalIgnoreCase) ||
                            string.Equals(r.Conclusion, status, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r.Id)
                .Select(r => r.ToModel())
                .ToList();
        });
    }

    /// <inheritdoc />
    public Task<GitHubWorkflowRun?> GetWorkflowRunAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-workflow-run";
        return Run(operation, false, repository, null, Invariant(runId), cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return Actions(repository).Runs.FirstOrDefault(r => r.Id == runId)?.ToModel();
        });
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">More than 25 inputs.</exception>
    public Task DispatchWorkflowAsync(RepositoryId repository, string workflow, string @ref, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflow);
        ArgumentException.ThrowIfNullOrWhiteSpace(@ref);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count > MaxDispatchInputs)
        {
            throw new ArgumentException($"GitHub accepts at most {MaxDispatchInputs} workflow_dispatch inputs; {inputs.Count} were given.", nameof(inputs));
        }

        return DispatchAndGetRunAsync(repository, workflow, @ref, inputs, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubPendingDeployment>> GetPendingDeploymentsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-pending-deployments-for-run";
        return Run(operation, false, repository, null, Invariant(runId), cancellationToken, () =>
        {
            var run = WorkflowRun(repository, runId, operation);
            var repo = _repositories[repository];
            var user = _currentUserLogin;
            var pending = new List<GitHubPendingDeployment>();
            foreach (var id in run.Waiting)
            {
                if (repo.Environments.FirstOrDefault(e => e.Id == id) is not { } environment)
                {
                    continue;
                }

                pending.Add(MlEnvironmentsModelFactory.GitHubPendingDeployment(
                    environment.Id,
                    environment.Name,
                    user is not null && IsReviewer(environment, user),
                    environment.Reviewers,
                    environment.WaitTimer,
                    environment.WaitTimer > TimeSpan.Zero ? run.CreatedAt : null));
            }

            return (IReadOnlyList<GitHubPendingDeployment>)pending;
        });
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No environment ids, or a state other than approved or rejected.</exception>
    public Task ReviewPendingDeploymentsAsync(RepositoryId repository, long runId, IReadOnlyList<long> environmentIds, GitHubReviewState state, string comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentIds);
        ArgumentNullException.ThrowIfNull(comment);
        if (environmentIds.Count == 0)
        {
            throw new ArgumentException("Name at least one environment to review.", nameof(environmentIds));
        }

        if (state is not (GitHubReviewState.Approved or GitHubReviewState.Rejected))
        {
            throw new ArgumentException($"A review approves or rejects; {state} is not a decision.", nameof(state));
        }

        const string operation = "actions/review-pending-deployments-for-run";
        return Run(operation, true, repository, null, Invariant(runId), cancellationToken, () =>
        {
            var run = WorkflowRun(repository, runId, operation);
            var repo = _repositories[repository];
            var user = _currentUserLogin
                ?? throw Error(operation, 403, "Resource not accessible by integration: reviewing pending deployments needs a user token (set InMemoryGitHub.CurrentUserLogin); GitHub App installation tokens cannot review.");
            var environments = new List<EnvironmentRecord>();
            foreach (var id in environmentIds.Distinct())
            {
                var environment = run.Waiting.Contains(id) ? repo.Environments.FirstOrDefault(e => e.Id == id) : null;
                if (environment is null)
                {
                    throw Error(operation, 422, $"Validation Failed: run {runId} is not waiting for a review of environment id {id}.");
                }

                if (!IsReviewer(environment, user))
                {
                    throw Error(operation, 422, $"Validation Failed: {user} is not a required reviewer of environment '{environment.Name}', so cannot review run {runId}.");
                }

                if (environment.PreventSelfReview && (string.Equals(user, run.ActorLogin, StringComparison.OrdinalIgnoreCase) || string.Equals(user, run.TriggeringActorLogin, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Error(operation, 422, $"Validation Failed: environment '{environment.Name}' prevents self-review, and {user} triggered run {runId}.");
                }

                environments.Add(environment);
            }

            run.Reviews.Add(MlEnvironmentsModelFactory.GitHubDeploymentReview(state, user, comment, environments.Select(e => e.Name)));
            run.UpdatedAt = _time.GetUtcNow();
            if (state == GitHubReviewState.Rejected)
            {
                run.Waiting.Clear();
                run.Status = "completed";
                run.Conclusion = "failure";
            }
            else
            {
                run.Waiting.RemoveAll(id => environments.Any(e => e.Id == id));
                if (run.Waiting.Count == 0)
                {
                    run.Status = "in_progress";
                }
            }

            return true;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubDeploymentReview>> ListReviewsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-reviews-for-run";
        return Run(operation, false, repository, null, Invariant(runId), cancellationToken, () =>
            (IReadOnlyList<GitHubDeploymentReview>)[.. WorkflowRun(repository, runId, operation).Reviews]);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A state other than approved or rejected.</exception>
    public Task ReviewCustomGateAsync(RepositoryId repository, long runId, string environmentName, GitHubReviewState state, string? comment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(environmentName);
        if (state is not (GitHubReviewState.Approved or GitHubReviewState.Rejected))
        {
            throw new ArgumentException($"A review approves or rejects; {state} is not a decision.", nameof(state));
        }

        return RecordCustomGateAsync(repository, runId, environmentName, state, comment is null ? null : Cut(comment, MaxGateComment), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubWorkflowFile>> ListWorkflowFilesAsync(RepositoryId repository, string? @ref, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/list-repo-workflows";
        return Run(operation, false, repository, null, @ref, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return (IReadOnlyList<GitHubWorkflowFile>)Actions(repository).Files.Values
                .Where(f => f.Path.StartsWith(WorkflowFolder, StringComparison.Ordinal))
                .Select(f => new GitHubWorkflowFile(f.Path, f.Content))
                .ToList();
        });
    }

    /// <summary>Deployments newest first, filtered as <c>repos/list-deployments</c> filters (environment, task, SHA, ref).</summary>
    internal Task<IReadOnlyList<GitHubDeployment>> ListDeploymentsAsync(RepositoryId repository, string? environment, string? task, string? sha, string? @ref, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/list-deployments";
        return Run(operation, false, repository, environment, task, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return (IReadOnlyList<GitHubDeployment>)Actions(repository).Deployments
                .Where(d => environment is null || string.Equals(d.Environment, environment, StringComparison.OrdinalIgnoreCase))
                .Where(d => task is null || string.Equals(d.Task, task, StringComparison.Ordinal))
                .Where(d => sha is null || string.Equals(d.Sha, sha, StringComparison.OrdinalIgnoreCase))
                .Where(d => @ref is null || string.Equals(d.Ref, @ref, StringComparison.Ordinal))
                .OrderByDescending(d => d.Id)
                .Select(d => d.ToModel())
                .ToList();
        });
    }

    /// <summary>
    /// Creates a deployment whose payload is already JSON text (an object, a JSON string, or <see langword="null"/>);
    /// <see cref="GitHubNewDeployment.PayloadJson"/> is not read.
    /// </summary>
    internal Task<GitHubDeployment> CreateDeploymentAsync(RepositoryId repository, GitHubNewDeployment deployment, string? payloadJson, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/create-deployment";
        return Run(operation, true, repository, deployment.Environment, deployment.Ref, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            var now = _time.GetUtcNow();
            var record = new DeploymentRecord(++_nextId, deployment.Environment, deployment.Ref, Sha(deployment.Ref), deployment.Task, now)
            {
                PayloadJson = payloadJson,
                Description = deployment.Description,
                CreatorLogin = _currentUserLogin,
                Production = deployment.ProductionEnvironment,
                Transient = deployment.TransientEnvironment,
            };
            Actions(repository).Deployments.Add(record);
            return record.ToModel();
        });
    }

    /// <summary>One deployment (<c>repos/get-deployment</c>).</summary>
    internal Task<GitHubDeployment> GetDeploymentAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/get-deployment";
        return Run(operation, false, repository, null, Invariant(deploymentId), cancellationToken, () =>
            Deployment(repository, deploymentId, operation).ToModel());
    }

    /// <summary>One status of a deployment (<c>repos/get-deployment-status</c>), with the deployment.</summary>
    internal Task<(GitHubDeployment Deployment, GitHubDeploymentStatus Status)> GetDeploymentStatusAsync(RepositoryId repository, long deploymentId, long statusId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/get-deployment-status";
        return Run(operation, false, repository, null, Invariant(deploymentId), cancellationToken, () =>
        {
            var deployment = Deployment(repository, deploymentId, operation);
            var status = deployment.Statuses.FirstOrDefault(s => s.Id == statusId) ?? throw Error(operation, 404, "Not Found");
            return (deployment.ToModel(), status);
        });
    }

    /// <summary>
    /// Dispatches a workflow (<c>actions/create-workflow-dispatch</c>): 404 for an unknown workflow, 422 without a
    /// <c>workflow_dispatch</c> trigger or with more than 25 inputs. Returns the queued run's id.
    /// </summary>
    internal Task<long> DispatchAndGetRunAsync(RepositoryId repository, string workflow, string @ref, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/create-workflow-dispatch";
        return Run(operation, true, repository, null, workflow, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            var actions = Actions(repository);
            var file = FindWorkflow(actions, workflow) ?? throw Error(operation, 404, $"Not Found: workflow {workflow}.");
            if (!file.Content.Contains("workflow_dispatch", StringComparison.Ordinal))
            {
                throw Error(operation, 422, "Workflow does not have 'workflow_dispatch' trigger");
            }

            if (inputs.Count > MaxDispatchInputs)
            {
                throw Error(operation, 422, $"Validation Failed: a workflow_dispatch takes at most {MaxDispatchInputs} inputs.");
            }

            var branch = @ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? @ref["refs/heads/".Length..] : @ref;
            var run = NewRun(repository, file.Path, null, branch, _currentUserLogin ?? ActionsBot, "queued");
            actions.Dispatches.Add(new FakeWorkflowDispatch(workflow, file.Path, @ref, new Dictionary<string, string>(inputs, StringComparer.Ordinal), run.Id, _time.GetUtcNow()));
            return run.Id;
        });
    }

    /// <summary>
    /// Records an answer to a custom deployment protection rule (<c>actions/review-custom-gates-for-run</c>);
    /// <paramref name="state"/> <see langword="null"/> is a status report (recorded as <see cref="GitHubReviewState.Pending"/>).
    /// 404 when the run or the environment does not exist.
    /// </summary>
    internal Task RecordCustomGateAsync(RepositoryId repository, long runId, string environmentName, GitHubReviewState? state, string? comment, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/review-custom-gates-for-run";
        return Run(operation, true, repository, environmentName, Invariant(runId), cancellationToken, () =>
        {
            _ = WorkflowRun(repository, runId, operation);
            _ = Environment(repository, environmentName, operation);
            if (comment is { Length: > MaxGateComment })
            {
                throw Error(operation, 422, "Validation Failed: comment is too long (maximum is 1024 characters).");
            }

            Actions(repository).GateReviews.Add((runId, new FakeCustomGateReview(environmentName, state ?? GitHubReviewState.Pending, comment)));
            return true;
        });
    }

    /// <summary>The workflows of a repository (its files under <c>.github/workflows/</c>), by path (<c>actions/list-repo-workflows</c>).</summary>
    internal Task<IReadOnlyList<(long Id, string Name, string Path, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)>> ListWorkflowsAsync(RepositoryId repository, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/list-repo-workflows";
        return Run(operation, false, repository, null, null, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return (IReadOnlyList<(long, string, string, DateTimeOffset, DateTimeOffset)>)Actions(repository).Files.Values
                .Where(f => f.Path.StartsWith(WorkflowFolder, StringComparison.Ordinal))
                .Select(f => (f.Id, WorkflowName(f), f.Path, f.CreatedAt, f.UpdatedAt))
                .ToList();
        });
    }

    /// <summary>A file's text (<c>repos/get-content</c>); 404 when there is no such file.</summary>
    internal Task<string> GetFileContentAsync(RepositoryId repository, string path, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/get-content";
        return Run(operation, false, repository, null, path, cancellationToken, () =>
        {
            _ = Repository(repository, operation);
            return Actions(repository).Files.TryGetValue(path, out var file) ? file.Content : throw Error(operation, 404, "Not Found");
        });
    }

    /// <summary>A deployment, without logging a call; <see langword="null"/> when unknown.</summary>
    internal GitHubDeployment? PeekDeployment(RepositoryId repository, long deploymentId)
    {
        lock (_gate)
        {
            return _actions.TryGetValue(repository, out var actions) ? actions.Deployments.FirstOrDefault(d => d.Id == deploymentId)?.ToModel() : null;
        }
    }

    /// <summary>A run's last change, without logging a call.</summary>
    internal DateTimeOffset? PeekRunUpdatedAt(RepositoryId repository, long runId)
    {
        lock (_gate)
        {
            return _actions.TryGetValue(repository, out var actions) ? actions.Runs.FirstOrDefault(r => r.Id == runId)?.UpdatedAt : null;
        }
    }

    /// <summary>The environment of a repository with that id, without logging a call.</summary>
    internal GitHubEnvironment? PeekEnvironment(RepositoryId repository, long environmentId)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var repo) ? repo.Environments.FirstOrDefault(e => e.Id == environmentId)?.ToModel() : null;
        }
    }

    /// <summary>A payload object as compact JSON text; <see langword="null"/> for an empty object.</summary>
    internal static string? NormalizedPayload(JsonElement payload)
    {
        if (payload.ValueKind == JsonValueKind.Object && !payload.EnumerateObject().Any())
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactJson))
        {
            payload.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }

    /// <summary>The commit a ref resolves to: the ref itself when it is a 40-digit SHA, else a stable made-up one.</summary>
    private static string Sha(string @ref) =>
        @ref.Length == 40 && @ref.All(char.IsAsciiHexDigit)
            ? @ref.ToLowerInvariant()
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(@ref)), 0, 20).ToLowerInvariant();

    private static string WorkflowName(WorkflowFileRecord file)
    {
        foreach (var line in file.Content.Split('\n'))
        {
            if (line.StartsWith("name:", StringComparison.Ordinal))
            {
                var name = line["name:".Length..].Trim().Trim('"', '\'');
                if (name.Length > 0)
                {
                    return name;
                }
            }
        }

        return file.Path;
    }

    private static WorkflowFileRecord? FindWorkflow(ActionsRecord actions, string workflow) =>
        long.TryParse(workflow, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? actions.Files.Values.FirstOrDefault(f => f.Id == id)
            : actions.Files.Values.FirstOrDefault(f => f.Path.StartsWith(WorkflowFolder, StringComparison.Ordinal) && (f.Path == workflow || f.Path == WorkflowFolder + workflow));

    private long WorkflowId(ActionsRecord actions, string path)
    {
        if (!actions.WorkflowIds.TryGetValue(path, out var id))
        {
            id = ++_nextId;
            actions.WorkflowIds.Add(path, id);
        }

        return id;
    }

    private bool IsReviewer(EnvironmentRecord environment, string login) =>
        environment.Reviewers.Any(r => r.Kind == ReviewerKind.User
            ? string.Equals(r.Name, login, StringComparison.OrdinalIgnoreCase)
            : _teamMembers.TryGetValue(r.Name, out var members) && members.Contains(login));

    private RunRecord NewRun(RepositoryId repository, string workflowPath, string? displayTitle, string branch, string actorLogin, string status)
    {
        var actions = Actions(repository);
        var workflowId = WorkflowId(actions, workflowPath);
        var name = actions.Files.TryGetValue(workflowPath, out var file) ? WorkflowName(file) : Path.GetFileNameWithoutExtension(workflowPath);
        var run = new RunRecord(repository, ++_nextId, ++actions.RunNumber, workflowId, workflowPath, name, displayTitle ?? name, branch, Sha(branch), actorLogin, _time.GetUtcNow())
        {
            Status = status,
        };
        actions.Runs.Add(run);
        return run;
    }

    private ActionsRecord Actions(RepositoryId repository)
    {
        if (!_actions.TryGetValue(repository, out var actions))
        {
            actions = new ActionsRecord();
            _actions.Add(repository, actions);
        }

        return actions;
    }

    private DeploymentRecord Deployment(RepositoryId repository, long deploymentId, string operation)
    {
        _ = Repository(repository, operation);
        return Actions(repository).Deployments.FirstOrDefault(d => d.Id == deploymentId)
            ?? throw Error(operation, 404, $"Not Found: deployment {deploymentId}.");
    }

    private RunRecord WorkflowRun(RepositoryId repository, long runId, string operation)
    {
        _ = Repository(repository, operation);
        return Actions(repository).Runs.FirstOrDefault(r => r.Id == runId)
            ?? throw Error(operation, 404, $"Not Found: workflow run {runId}.");
    }

    private sealed class ActionsRecord
    {
        public List<DeploymentRecord> Deployments { get; } = [];

        public List<RunRecord> Runs { get; } = [];

        public long RunNumber { get; set; }

        public SortedDictionary<string, WorkflowFileRecord> Files { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> WorkflowIds { get; } = new(StringComparer.Ordinal);

        public List<FakeWorkflowDispatch> Dispatches { get; } = [];

        public List<(long RunId, FakeCustomGateReview Review)> GateReviews { get; } = [];
    }

    private sealed class DeploymentRecord(long id, string environment, string @ref, string sha, string task, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public string Environment { get; } = environment;

        public string Ref { get; } = @ref;

        public string Sha { get; } = sha;

        public string Task { get; } = task;

        public string? PayloadJson { get; init; }

        public string? Description { get; init; }

        public string? CreatorLogin { get; init; }

        public bool Production { get; init; }

        public bool Transient { get; init; }

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public List<GitHubDeploymentStatus> Statuses { get; } = [];

        public GitHubDeployment ToModel() => MlEnvironmentsModelFactory.GitHubDeployment(
            Id, Environment, Ref, Sha, Task, PayloadJson, Description, CreatorLogin, Production, Transient, CreatedAt, UpdatedAt);
    }

    private sealed class RunRecord(
        RepositoryId repository, long id, long runNumber, long workflowId, string path, string name, string displayTitle, string branch, string sha, string actorLogin, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public string Status { get; set; } = "queued";

        public string? Conclusion { get; set; }

        public string ActorLogin { get; } = actorLogin;

        public string TriggeringActorLogin { get; } = actorLogin;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public List<long> Waiting { get; } = [];

        public List<GitHubDeploymentReview> Reviews { get; } = [];

        public GitHubWorkflowRun ToModel() => MlEnvironmentsModelFactory.GitHubWorkflowRun(
            Id, Status, displayTitle, name, Conclusion, branch, sha, "workflow_dispatch", ActorLogin, TriggeringActorLogin, runNumber, workflowId, path,
            new Uri($"https://github.com/{repository.Owner}/{repository.Name}/actions/runs/{Id.ToString(CultureInfo.InvariantCulture)}"), CreatedAt);
    }

    private sealed record WorkflowFileRecord(long Id, string Path, string Content, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}

/// <summary>An answer a custom deployment protection rule gave (<c>actions/review-custom-gates-for-run</c>).</summary>
/// <param name="EnvironmentName">The environment, as the answer named it.</param>
/// <param name="State">Approved or rejected; <see cref="GitHubReviewState.Pending"/> for a status report without a decision.</param>
/// <param name="Comment">The comment, if any.</param>
public sealed record FakeCustomGateReview(string EnvironmentName, GitHubReviewState State, string? Comment);

/// <summary>A workflow dispatch a repository received (<c>actions/create-workflow-dispatch</c>).</summary>
/// <param name="Workflow">The workflow as the caller named it (file name or id).</param>
/// <param name="WorkflowPath">The workflow file it resolved to.</param>
/// <param name="Ref">The branch or tag.</param>
/// <param name="Inputs">The inputs.</param>
/// <param name="RunId">The queued run it started.</param>
/// <param name="DispatchedAt">When it was received.</param>
public sealed record FakeWorkflowDispatch(string Workflow, string WorkflowPath, string Ref, IReadOnlyDictionary<string, string> Inputs, long RunId, DateTimeOffset DispatchedAt)
{
    /// <summary>Returns <c>workflow@ref → run #id</c>, without the inputs.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{WorkflowPath}@{Ref} → run #{RunId}";
}
