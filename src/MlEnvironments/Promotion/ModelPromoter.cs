using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>The promoter on the service interfaces.</summary>
public sealed partial class ModelPromoter : IModelPromoter
{
    /// <summary>The tag that names the workspace a promoted version came from.</summary>
    public const string SourceWorkspaceTag = "mlenv.source.workspace";

    /// <summary>The tag that names the environment a promoted version came from.</summary>
    public const string SourceEnvironmentTag = "mlenv.source.environment";

    /// <summary>The tag that names the source version.</summary>
    public const string SourceVersionTag = "mlenv.source.version";

    /// <summary>The tag that names the training job.</summary>
    public const string SourceJobTag = "mlenv.source.job";

    /// <summary>The tag that names the workspace the training job ran in (kept along the whole pipeline).</summary>
    public const string SourceJobWorkspaceTag = "mlenv.source.job.workspace";

    /// <summary>The tag with the promotion's id (the ledger's deployment id).</summary>
    public const string PromotionIdTag = "mlenv.promotion.id";

    /// <summary>The tag with the approver, when known.</summary>
    public const string ApproverTag = "mlenv.promotion.approver";

    /// <summary>The tag with the workflow run, when known.</summary>
    public const string WorkflowRunTag = "mlenv.promotion.run";

    private static readonly Regex AssetName = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$", RegexOptions.CultureInvariant);

    private readonly IModelVersionReader _models;
    private readonly IModelVersionWriter _modelWriter;
    private readonly PromotionLedger _ledger;
    private readonly IGitHubRepositoryReader _repositories;
    private readonly IRunMetricsReader? _metrics;
    private readonly IMachineLearningJobReader? _jobs;
    private readonly IRegistryModelVersionClient? _registries;
    private readonly IGitHubWorkflowRunReader? _runs;
    private readonly IGitHubDeploymentReviewClient? _reviews;
    private readonly ILogger _logger;

    /// <summary>Creates a promoter.</summary>
    /// <param name="models">Reads model versions.</param>
    /// <param name="modelWriter">Registers model versions.</param>
    /// <param name="deploymentReader">Reads the ledger.</param>
    /// <param name="deploymentWriter">Writes the ledger.</param>
    /// <param name="repositories">Reads the repository's default branch.</param>
    /// <param name="metrics">Reads training runs' metrics; without it only tags and properties carry metrics.</param>
    /// <param name="jobs">Reads training jobs (for <see cref="PromotionGateKind.TrainingJobCompleted"/>).</param>
    /// <param name="registries">Publishes to registries (for bindings that share through one).</param>
    /// <param name="runs">Reads workflow runs (the ledger's ref).</param>
    /// <param name="reviews">Reads run approvals (the approver).</param>
    /// <param name="logger">Logs.</param>
    public ModelPromoter(
        IModelVersionReader models,
        IModelVersionWriter modelWriter,
        IGitHubDeploymentReader deploymentReader,
        IGitHubDeploymentWriter deploymentWriter,
        IGitHubRepositoryReader repositories,
        IRunMetricsReader? metrics = null,
        IMachineLearningJobReader? jobs = null,
        IRegistryModelVersionClient? registries = null,
        IGitHubWorkflowRunReader? runs = null,
        IGitHubDeploymentReviewClient? reviews = null,
        ILogger<ModelPromoter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(modelWriter);
        ArgumentNullException.ThrowIfNull(deploymentReader);
        ArgumentNullException.ThrowIfNull(deploymentWriter);
        ArgumentNullException.ThrowIfNull(repositories);
        _models = models;
        _modelWriter = modelWriter;
        _ledger = new PromotionLedger(deploymentReader, deploymentWriter);
        _repositories = repositories;
        _metrics = metrics;
        _jobs = jobs;
        _registries = registries;
        _runs = runs;
        _reviews = reviews;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<PromotionEvaluation> EvaluateAsync(PromotionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var route = Resolve(request.Definition, request.SourceEnvironment, request.TargetEnvironment, request.ModelName, request.Version);
        try
        {
            var context = await EvaluateAsync(request.Definition.Repository, route, request.ModelName, request.Version, request.HistoryDepth, cancellationToken).ConfigureAwait(false);
            return context.Evaluation;
        }
        catch (RemoteServiceException e) when (e.StatusCode == 403)
        {
            throw AccessDenied(e, request.Definition, route);
        }
    }

    /// <inheritdoc />
    public async Task<PromotionResult> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = MlEnvironmentsDiagnostics.Source.StartActivity("mlenv.promote");
        activity?.SetTag("mlenv.repository", request.Definition.Repository.ToString());
        activity?.SetTag("mlenv.model", request.ModelName);
        activity?.SetTag("mlenv.version", request.Version);
        activity?.SetTag("mlenv.target", request.TargetEnvironment);

        var repository = request.Definition.Repository;
        var route = Resolve(request.Definition, request.SourceEnvironment, request.TargetEnvironment, request.ModelName, request.Version);
        EvaluationContext context;
        MachineLearningRegistryModelVersionData? shared;
        try
        {
            // Every Azure read comes before the first write (the ledger's entry): a missing role fails here, with nothing written.
            context = await EvaluateAsync(repository, route, request.ModelName, request.Version, request.HistoryDepth, cancellationToken).ConfigureAwait(false);
            shared = context.Evaluation.AlreadyPromoted || context.ExistingTarget is not null ? null : await CheckRegistryAsync(route, context.Source, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteServiceException e) when (e.StatusCode == 403)
        {
            throw AccessDenied(e, request.Definition, route);
        }

        var evaluation = context.Evaluation;
        if (evaluation.AlreadyPromoted)
        {
            var message = $"{evaluation.Candidate} is already the current version in {route.Target.Name} (ledger entry #{evaluation.Champion!.DeploymentId}); nothing to do.";
            // The ledger says it is current: make the workspace say so too (a no-op unless an earlier move was interrupted).
            var pointed = await MovePointerAsync(route.TargetWorkspace, route.Target.Name, request.ModelName, request.Version, evaluation.Champion.DeploymentId, cancellationToken).ConfigureAwait(false);
            LogPromotion(_logger, repository, message);
            return new PromotionResult(PromotionOutcome.AlreadyPromoted, evaluation, null, pointed, message);
        }

        var existing = context.ExistingTarget;
        if (existing is not null && !IsFrom(existing, route.SourceWorkspace, request.Version))
        {
            throw new PromotionException(PromotionErrors.VersionConflict,
                $"Workspace '{route.TargetWorkspace.WorkspaceName}' of environment '{route.Target.Name}' already has {request.ModelName} version {request.Version}, " +
                $"and it did not come from '{route.SourceWorkspace.WorkspaceName}' (tag {SourceWorkspaceTag} is '{Tag(existing, SourceWorkspaceTag) ?? "(none)"}'). " +
                "Remove or rename that version in the target, or promote a different version.");
        }

        var approver = request.Approver ?? await FindApproverAsync(repository, request.WorkflowRunId, route.Target.Name, cancellationToken).ConfigureAwait(false);
        var @ref = request.Ref ?? await ResolveRefAsync(repository, request.WorkflowRunId, cancellationToken).ConfigureAwait(false);
        var entry = Entry(route, evaluation, request.WorkflowRunId, approver);
        var deployment = await _ledger.StartAsync(repository, entry, @ref, route.IsLast, cancellationToken).ConfigureAwait(false);

        if (!evaluation.Passed)
        {
            var failures = evaluation.Failures.ToList();
            var message = $"{evaluation.Candidate} was not promoted to {route.Target.Name}: {failures.Count} of {evaluation.Verdicts.Length} gates failed — " +
                string.Join("; ", failures.Select(f => f.Reason));
            await _ledger.CompleteAsync(repository, deployment.Id, GitHubDeploymentState.Failure, "Gate failed: " + failures[0].Reason, null, cancellationToken).ConfigureAwait(false);
            LogPromotion(_logger, repository, message);
            return new PromotionResult(PromotionOutcome.GatesFailed, evaluation, await RecordAsync(repository, deployment, entry, cancellationToken).ConfigureAwait(false), null, message);
        }

        MachineLearningModelVersionData registered;
        try
        {
            // A version registered by an earlier attempt is registered again with this promotion's lineage tags.
            registered = await RegisterAsync(route, context.Source, deployment.Id, request.WorkflowRunId, approver, existing, shared, cancellationToken).ConfigureAwait(false);
            registered = await MovePointerAsync(route.TargetWorkspace, route.Target.Name, request.ModelName, request.Version, deployment.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await TryCompleteAsync(repository, deployment.Id, GitHubDeploymentState.Error, "Registration failed: " + e.Message, cancellationToken).ConfigureAwait(false);
            if (e is RemoteServiceException { StatusCode: 403 } refused)
            {
                throw AccessDenied(refused, request.Definition, route);
            }

            throw;
        }

        var done = existing is null
            ? $"{evaluation.Candidate} promoted from {route.Source.Name} to {route.Target.Name}: registered in workspace '{route.TargetWorkspace.WorkspaceName}'" + (approver is null ? "." : $", approved by {approver}.")
            : $"{evaluation.Candidate} promoted to {route.Target.Name}: it was already registered in workspace '{route.TargetWorkspace.WorkspaceName}' (by an earlier promotion), and the ledger now records it as current.";
        await _ledger.CompleteAsync(repository, deployment.Id, GitHubDeploymentState.Success, done, StudioUrl(route.TargetWorkspace), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            await SupersedeInterruptedAsync(repository, route.Target.Name, request.ModelName, request.Version, deployment.Id, cancellationToken).ConfigureAwait(false);
        }

        LogPromotion(_logger, repository, done);
        return new PromotionResult(PromotionOutcome.Promoted, evaluation, await RecordAsync(repository, deployment, entry, cancellationToken).ConfigureAwait(false), registered, done);
    }

    /// <inheritdoc />
    public async Task<PromotionResult> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = MlEnvironmentsDiagnostics.Source.StartActivity("mlenv.rollback");
        var repository = request.Definition.Repository;
        var target = Find(request.Definition, request.Environment, "environment");
        var targetWorkspace = Workspace(target);
        CheckAssetName(request.ModelName, "model name");

        var history = await _ledger.GetHistoryAsync(repository, target.Name, request.ModelName, cancellationToken).ConfigureAwait(false);
        var successes = history.Where(r => r.State == PromotionState.Succeeded).ToList();
        if (successes.Count == 0)
        {
            throw new PromotionException(PromotionErrors.NothingToRollBack,
                $"{request.ModelName} was never promoted to '{target.Name}': there is nothing to roll back.");
        }

        var current = successes[0];

        // The previous good version: not the current one, and not one a rollback moved away from (rolling back twice
        // must not bring back the version the first rollback removed).
        var rolledBackFrom = new HashSet<string>(
            successes.Where(r => r.Kind == PromotionKind.Rollback && r.ReplacedVersion is not null).Select(r => r.ReplacedVersion!),
            StringComparer.Ordinal);
        var previous = request.ToVersion is null
            ? successes.FirstOrDefault(r => !string.Equals(r.Version, current.Version, StringComparison.Ordinal) && !rolledBackFrom.Contains(r.Version))
            : successes.FirstOrDefault(r => string.Equals(r.Version, request.ToVersion, StringComparison.Ordinal));
        if (previous is null)
        {
            throw new PromotionException(PromotionErrors.NothingToRollBack, request.ToVersion is null
                ? $"{request.ModelName} has no earlier good version in '{target.Name}' to roll back to (current: {current.Version}" +
                  (rolledBackFrom.Count == 0 ? ")." : $"; rolled back from: {string.Join(", ", rolledBackFrom)}). Name one with ToVersion.")
                : $"{request.ModelName} version {request.ToVersion} was never successfully promoted to '{target.Name}'; versions that were: {string.Join(", ", successes.Select(s => s.Version).Distinct())}.");
        }

        if (string.Equals(previous.Version, current.Version, StringComparison.Ordinal))
        {
            throw new PromotionException(PromotionErrors.NothingToRollBack,
                $"{request.ModelName} version {current.Version} is already the current version in '{target.Name}'.");
        }

        var registered = await _models.GetModelVersionAsync(targetWorkspace, request.ModelName, previous.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new PromotionException(PromotionErrors.ModelVersionNotFound,
                $"{request.ModelName} version {previous.Version} is no longer in workspace '{targetWorkspace.WorkspaceName}' of '{target.Name}'; promote it again instead of rolling back.");

        var candidate = await ReadCandidateAsync(targetWorkspace, registered, target.Gates, cancellationToken).ConfigureAwait(false);
        var candidateMetrics = new Dictionary<string, double>(previous.Metrics, StringComparer.Ordinal);
        foreach (var metric in candidate.Metrics)
        {
            candidateMetrics.TryAdd(metric.Key, metric.Value);
        }

        candidate = new ModelCandidate(candidate.Workspace, candidate.ModelName, candidate.Version, candidate.JobName, candidateMetrics, candidate.Tags, candidate.Properties, candidate.JobWorkspace);
        var verdicts = request.SkipGates
            ? []
            : GateEvaluator.Evaluate(target.Gates, candidate, current, await JobStatusAsync(candidate.JobWorkspace?.ResourceId, candidate.JobName, cancellationToken).ConfigureAwait(false));
        var evaluation = new PromotionEvaluation(previous.SourceEnvironment ?? target.Name, target.Name, targetWorkspace, candidate, current, verdicts, alreadyPromoted: false, gatesSkipped: request.SkipGates,
            history: [.. successes.Take(PromotionRequest.DefaultHistoryDepth)]);
        var sourceName = previous.SourceEnvironment;
        var entry = new LedgerEntry
        {
            Kind = PromotionKind.Rollback,
            ModelName = request.ModelName,
            Version = previous.Version,
            Environment = target.Name,
            SourceEnvironment = sourceName,
            SourceWorkspace = previous.SourceWorkspace,
            TargetWorkspace = targetWorkspace.ResourceId,
            JobName = candidate.JobName,
            Metrics = candidateMetrics,
            ChampionVersion = current.Version,
            Verdicts = verdicts.Select(v => new PromotionRecordVerdict(v.Gate.ToString(), v.Passed, v.Reason)).ToList(),
            GatesSkipped = request.SkipGates,
            WorkflowRunId = request.WorkflowRunId,
            Approver = request.Approver ?? await FindApproverAsync(repository, request.WorkflowRunId, target.Name, cancellationToken).ConfigureAwait(false),
            Reason = request.Reason,
        };
        var @ref = await ResolveRefAsync(repository, request.WorkflowRunId, cancellationToken).ConfigureAwait(false);
        var isLast = request.Definition.Environments[^1] == target;
        var deployment = await _ledger.StartAsync(repository, entry, @ref, isLast, cancellationToken).ConfigureAwait(false);
        if (!evaluation.Passed)
        {
            var failures = evaluation.Failures.ToList();
            var message = $"Rollback of {request.ModelName} in {target.Name} to version {previous.Version} refused: " +
                string.Join("; ", failures.Select(f => f.Reason)) + ". Skip the gates explicitly to roll back anyway.";
            await _ledger.CompleteAsync(repository, deployment.Id, GitHubDeploymentState.Failure, "Gate failed: " + failures[0].Reason, null, cancellationToken).ConfigureAwait(false);
            return new PromotionResult(PromotionOutcome.GatesFailed, evaluation, await RecordAsync(repository, deployment, entry, cancellationToken).ConfigureAwait(false), null, message);
        }

        try
        {
            registered = await MovePointerAsync(targetWorkspace, target.Name, request.ModelName, previous.Version, deployment.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await TryCompleteAsync(repository, deployment.Id, GitHubDeploymentState.Error, "Moving the stage pointer failed: " + e.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }

        var done = $"{request.ModelName} in {target.Name} rolled back from version {current.Version} to {previous.Version}" +
            (request.SkipGates ? " (gates skipped on request)" : string.Empty) + (request.Reason is null ? "." : $": {request.Reason}.");
        await _ledger.CompleteAsync(repository, deployment.Id, GitHubDeploymentState.Success, done, StudioUrl(targetWorkspace), cancellationToken).ConfigureAwait(false);
        LogPromotion(_logger, repository, done);
        return new PromotionResult(PromotionOutcome.RolledBack, evaluation, await RecordAsync(repository, deployment, entry, cancellationToken).ConfigureAwait(false), registered, done);
    }

    internal static Route Resolve(RepositoryDefinition definition, string sourceName, string targetName, string modelName, string version)
    {
        CheckAssetName(modelName, "model name");
        CheckAssetName(version, "version");
        var source = Find(definition, sourceName, "source environment");
        var target = Find(definition, targetName, "target environment");
        var sourceIndex = definition.Environments.IndexOf(source);
        var targetIndex = definition.Environments.IndexOf(target);
        if (targetIndex != sourceIndex + 1)
        {
            var next = sourceIndex + 1 < definition.Environments.Length ? $"'{definition.Environments[sourceIndex + 1].Name}'" : "none (it is the last)";
            throw new PromotionException(PromotionErrors.EnvironmentNotNext,
                $"'{target.Name}' is not the environment after '{source.Name}' in {definition.Repository}'s pipeline " +
                $"({string.Join(" → ", definition.Environments.Select(e => e.Name))}); the next one is {next}.");
        }

        return new Route(source, target, Workspace(source), Workspace(target), targetIndex == definition.Environments.Length - 1);
    }

    private static EnvironmentDefinition Find(RepositoryDefinition definition, string name, string role)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PromotionException(PromotionErrors.EnvironmentNotDeclared, $"The {role} is empty.");
        }

        return definition.Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new PromotionException(PromotionErrors.EnvironmentNotDeclared,
                $"The {role} '{name}' is not declared for {definition.Repository}; declared: {(definition.Environments.IsEmpty ? "none" : string.Join(", ", definition.Environments.Select(e => e.Name)))}.");
    }

    private static WorkspaceId Workspace(EnvironmentDefinition environment) =>
        environment.Binding?.Workspace ?? throw new PromotionException(PromotionErrors.EnvironmentNotBound,
            $"Environment '{environment.Name}' has no workspace binding: add BindWorkspace(...) (\"workspace\" in mlenv.json) before promoting through it.");

    private static void CheckAssetName(string value, string what)
    {
        if (!AssetName.IsMatch(value))
        {
            throw new PromotionException(PromotionErrors.InvalidModel,
                $"The {what} '{value}' is not valid in Azure Machine Learning: 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    private async Task<EvaluationContext> EvaluateAsync(RepositoryId repository, Route route, string modelName, string version, int historyDepth, CancellationToken cancellationToken)
    {
        var source = await _models.GetModelVersionAsync(route.SourceWorkspace, modelName, version, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            var versions = await _models.ListModelVersionsAsync(route.SourceWorkspace, modelName, cancellationToken).ConfigureAwait(false);
            throw new PromotionException(PromotionErrors.ModelVersionNotFound, versions.Count == 0
                ? $"Workspace '{route.SourceWorkspace.WorkspaceName}' of environment '{route.Source.Name}' has no model named '{modelName}'."
                : $"Workspace '{route.SourceWorkspace.WorkspaceName}' of environment '{route.Source.Name}' has no version {version} of '{modelName}'; it has: {string.Join(", ", versions.Select(v => v.Version))}.");
        }

        var candidate = await ReadCandidateAsync(route.SourceWorkspace, source, route.Target.Gates, cancellationToken).ConfigureAwait(false);
        var history = await _ledger.GetRecentAsync(repository, route.Target.Name, modelName, historyDepth, cancellationToken).ConfigureAwait(false);
        var champion = history.IsEmpty ? null : history[0];
        var existing = await _models.GetModelVersionAsync(route.TargetWorkspace, modelName, version, cancellationToken).ConfigureAwait(false);
        var already = champion is not null && string.Equals(champion.Version, version, StringComparison.Ordinal) &&
            existing is not null && IsFrom(existing, route.SourceWorkspace, version);
        var jobStatus = route.Target.Gates.Any(g => g.Kind == PromotionGateKind.TrainingJobCompleted)
            ? await JobStatusAsync(candidate.JobWorkspace?.ResourceId, candidate.JobName, cancellationToken).ConfigureAwait(false)
            : null;
        var verdicts = GateEvaluator.Evaluate(route.Target.Gates, candidate, champion, jobStatus);
        var evaluation = new PromotionEvaluation(route.Source.Name, route.Target.Name, route.TargetWorkspace, candidate, champion, verdicts, already, history: history);
        return new EvaluationContext(evaluation, source, existing);
    }

    private async Task<ModelCandidate> ReadCandidateAsync(WorkspaceId workspace, MachineLearningModelVersionData version, IEnumerable<PromotionGate> gates, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var (jobName, jobWorkspace) = JobOf(workspace, version);
        if (jobName is not null && jobWorkspace is { } runWorkspace && _metrics is not null)
        {
            foreach (var metric in await _metrics.GetLatestMetricsAsync(runWorkspace, jobName, cancellationToken).ConfigureAwait(false))
            {
                metrics[metric.Key] = metric.Value.Value;
            }
        }

        // A metric a gate names may also be carried by the version itself (tags first, then properties).
        foreach (var name in gates.Where(g => g.Metric is not null).Select(g => g.Metric!).Distinct(StringComparer.Ordinal))
        {
            if (!metrics.ContainsKey(name) &&
                (TryNumber(version.Properties.Tags, name, out var value) || TryNumber(version.Properties.Properties, name, out value)))
            {
                metrics[name] = value;
            }
        }

        return new ModelCandidate(
            workspace,
            version.ModelName,
            version.Version,
            jobName,
            metrics,
            new Dictionary<string, string>(version.Properties.Tags, StringComparer.Ordinal),
            new Dictionary<string, string>(version.Properties.Properties, StringComparer.Ordinal),
            jobWorkspace);
    }

    /// <summary>The training job of a version and the workspace it ran in: its own, else the one its lineage tags name.</summary>
    private static (string? JobName, WorkspaceId? Workspace) JobOf(WorkspaceId workspace, MachineLearningModelVersionData version)
    {
        if (version.Properties.JobName is { } own)
        {
            return (own, workspace);
        }

        return Tag(version, SourceJobTag) is { } job && Tag(version, SourceJobWorkspaceTag) is { } text && WorkspaceId.TryParse(text, out var jobWorkspace)
            ? (job, jobWorkspace)
            : (null, null);
    }

    private async Task<MachineLearningJobStatus?> JobStatusAsync(string? workspaceResourceId, string? jobName, CancellationToken cancellationToken)
    {
        if (_jobs is null || jobName is null || workspaceResourceId is null || !WorkspaceId.TryParse(workspaceResourceId, out var workspace))
        {
            return null;
        }

        var job = await _jobs.GetJobAsync(workspace, jobName, cancellationToken).ConfigureAwait(false);
        return job?.Status;
    }

    private async Task SupersedeInterruptedAsync(RepositoryId repository, string environment, string modelName, string version, long promotionId, CancellationToken cancellationToken)
    {
        var history = await _ledger.GetHistoryAsync(repository, environment, modelName, cancellationToken).ConfigureAwait(false);
        foreach (var stale in history.Where(r => r.State == PromotionState.InProgress && r.DeploymentId != promotionId && string.Equals(r.Version, version, StringComparison.Ordinal)))
        {
            await TryCompleteAsync(repository, stale.DeploymentId, GitHubDeploymentState.Error,
                string.Create(CultureInfo.InvariantCulture, $"Interrupted; completed by #{promotionId}."), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before any write: when the target shares through a registry that already has this name and version, it must be
    /// the same model (the same training job, or the same source version) — never someone else's asset.
    /// </summary>
    private async Task<MachineLearningRegistryModelVersionData?> CheckRegistryAsync(Route route, MachineLearningModelVersionData source, CancellationToken cancellationToken)
    {
        if (route.Target.Binding?.Registry is not { } registry)
        {
            return null;
        }

        if (_registries is null)
        {
            throw new InvalidOperationException(
                $"Environment '{route.Target.Name}' shares models through registry '{registry.RegistryName}', but no IRegistryModelVersionClient is registered (AddAzureMachineLearning registers one).");
        }

        var published = await _registries.GetRegistryModelVersionAsync(registry, source.ModelName, source.Version, cancellationToken).ConfigureAwait(false);
        if (published is null)
        {
            return null;
        }

        var tags = published.Properties.Tags;
        var (job, jobWorkspace) = JobOf(route.SourceWorkspace, source);
        var same = job is not null && jobWorkspace is { } ws
            ? tags.TryGetValue(SourceJobTag, out var taggedJob) && taggedJob == job &&
              tags.TryGetValue(SourceJobWorkspaceTag, out var taggedWorkspace) && string.Equals(taggedWorkspace, ws.ResourceId, StringComparison.OrdinalIgnoreCase)
            : tags.TryGetValue(SourceWorkspaceTag, out var taggedSource) && string.Equals(taggedSource, route.SourceWorkspace.ResourceId, StringComparison.OrdinalIgnoreCase) &&
              tags.TryGetValue(SourceVersionTag, out var taggedVersion) && taggedVersion == source.Version;
        if (!same)
        {
            throw new PromotionException(PromotionErrors.VersionConflict,
                $"Registry '{registry.RegistryName}' already has {source.ModelName} version {source.Version}, and its lineage tags do not show it is this model " +
                $"(training job {job ?? "(none)"}). Promote a different version, or remove that version from the registry.");
        }

        return published;
    }

    private async Task<MachineLearningModelVersionData> RegisterAsync(Route route, MachineLearningModelVersionData source, long promotionId, long? runId, string? approver, MachineLearningModelVersionData? existing, MachineLearningRegistryModelVersionData? shared, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            var again = existing.Properties.Clone();
            again.Tags[PromotionIdTag] = promotionId.ToString(CultureInfo.InvariantCulture);
            SetOrRemove(again.Tags, ApproverTag, approver);
            SetOrRemove(again.Tags, WorkflowRunTag, runId?.ToString(CultureInfo.InvariantCulture));
            MarkCurrent(again, route.Target.Name, promotionId);
            return await _modelWriter.CreateOrUpdateModelVersionAsync(route.TargetWorkspace, existing.ModelName, existing.Version, again, cancellationToken).ConfigureAwait(false);
        }

        var properties = Copy(route, source);
        properties.Tags[SourceWorkspaceTag] = route.SourceWorkspace.ResourceId;
        properties.Tags[SourceEnvironmentTag] = route.Source.Name;
        properties.Tags[SourceVersionTag] = source.Version;
        properties.Tags[PromotionIdTag] = promotionId.ToString(CultureInfo.InvariantCulture);
        if (JobOf(route.SourceWorkspace, source) is ({ } job, { } jobWorkspace))
        {
            properties.Tags[SourceJobTag] = job;
            properties.Tags[SourceJobWorkspaceTag] = jobWorkspace.ResourceId;
        }

        if (approver is not null)
        {
            properties.Tags[ApproverTag] = approver;
        }

        if (runId is { } run)
        {
            properties.Tags[WorkflowRunTag] = run.ToString(CultureInfo.InvariantCulture);
        }

        // Registered already marked current: moving the pointer then only clears the previous version.
        MarkCurrent(properties, route.Target.Name, promotionId);

        if (route.Target.Binding?.Registry is { } registry && _registries is not null)
        {
            var published = shared;
            if (published is null)
            {
                // Publish, then mark the registry version with its lineage so that a later promotion can tell it is ours.
                published = await _registries.PublishModelVersionAsync(route.SourceWorkspace, source.ModelName, source.Version, registry, cancellationToken).ConfigureAwait(false);
                var marked = published.Properties.Clone();
                foreach (var key in new[] { SourceWorkspaceTag, SourceVersionTag, SourceJobTag, SourceJobWorkspaceTag })
                {
                    if (properties.Tags.TryGetValue(key, out var value))
                    {
                        marked.Tags[key] = value;
                    }
                }

                published = await _registries.CreateOrUpdateRegistryModelVersionAsync(registry, published.ModelName, published.Version, marked, cancellationToken).ConfigureAwait(false);
            }

            properties.ModelUri = TargetModelUri(route.SourceWorkspace, source, published);
        }

        return await _modelWriter.CreateOrUpdateModelVersionAsync(route.TargetWorkspace, source.ModelName, source.Version, properties, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> FindApproverAsync(RepositoryId repository, long? runId, string environment, CancellationToken cancellationToken)
    {
        if (runId is not { } run || _reviews is null)
        {
            return null;
        }

        var reviews = await _reviews.ListReviewsAsync(repository, run, cancellationToken).ConfigureAwait(false);
        return reviews.LastOrDefault(r => r.State == GitHubReviewState.Approved &&
            r.EnvironmentNames.Contains(environment, StringComparer.OrdinalIgnoreCase))?.UserLogin;
    }

    private async Task<string> ResolveRefAsync(RepositoryId repository, long? runId, CancellationToken cancellationToken)
    {
        if (runId is { } run && _runs is not null &&
            await _runs.GetWorkflowRunAsync(repository, run, cancellationToken).ConfigureAwait(false) is { } workflowRun)
        {
            return workflowRun.HeadSha;
        }

        return (await _repositories.GetRepositoryAsync(repository, cancellationToken).ConfigureAwait(false)).DefaultBranch;
    }

    private async Task<PromotionRecord> RecordAsync(RepositoryId repository, GitHubDeployment deployment, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var statuses = await _ledger.ReadStatusesAsync(repository, deployment.Id, cancellationToken).ConfigureAwait(false);
        return PromotionLedger.ToRecord(deployment, entry, statuses);
    }

    private async Task TryCompleteAsync(RepositoryId repository, long deploymentId, GitHubDeploymentState state, string description, CancellationToken cancellationToken)
    {
        try
        {
            await _ledger.CompleteAsync(repository, deploymentId, state, description, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The original failure matters more; the entry stays 'in progress', and running the promotion again converges.
            LogLedgerFailure(_logger, repository, deploymentId, e.Message);
        }
    }

    private static LedgerEntry Entry(Route route, PromotionEvaluation evaluation, long? runId, string? approver) => new()
    {
        Kind = PromotionKind.Promotion,
        ModelName = evaluation.Candidate.ModelName,
        Version = evaluation.Candidate.Version,
        Environment = route.Target.Name,
        SourceEnvironment = route.Source.Name,
        SourceWorkspace = route.SourceWorkspace.ResourceId,
        TargetWorkspace = route.TargetWorkspace.ResourceId,
        JobName = evaluation.Candidate.JobName,
        Metrics = evaluation.Candidate.Metrics,
        ChampionVersion = evaluation.Champion?.Version,
        Verdicts = evaluation.Verdicts.Select(v => new PromotionRecordVerdict(v.Gate.ToString(), v.Passed, v.Reason)).ToList(),
        WorkflowRunId = runId,
        Approver = approver,
    };

    private static void SetOrRemove(IDictionary<string, string> tags, string key, string? value)
    {
        if (value is null)
        {
            tags.Remove(key);
        }
        else
        {
            tags[key] = value;
        }
    }

    private static bool IsFrom(MachineLearningModelVersionData version, WorkspaceId source, string sourceVersion) =>
        string.Equals(Tag(version, SourceWorkspaceTag), source.ResourceId, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Tag(version, SourceVersionTag), sourceVersion, StringComparison.Ordinal);

    private static string? Tag(MachineLearningModelVersionData version, string key) =>
        version.Properties.Tags.TryGetValue(key, out var value) ? value : null;

    private static bool TryNumber(IDictionary<string, string> values, string key, out double value)
    {
        value = 0;
        return values.TryGetValue(key, out var text) &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    internal static string AssetReference(WorkspaceId workspace, string modelName, string version) =>
        $"azureml://subscriptions/{workspace.SubscriptionId}/resourceGroups/{workspace.ResourceGroupName}/workspaces/{workspace.WorkspaceName}/models/{modelName}/versions/{version}";

    internal static Uri StudioUrl(WorkspaceId workspace) => new("https://ml.azure.com/?wsid=" + Uri.EscapeDataString(workspace.ResourceId));

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Promotion in {Repository}: {Message}")]
    private static partial void LogPromotion(ILogger logger, RepositoryId repository, string message);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Could not mark ledger entry #{DeploymentId} of {Repository} as failed: {Error}")]
    private static partial void LogLedgerFailure(ILogger logger, RepositoryId repository, long deploymentId, string error);

    internal sealed record Route(EnvironmentDefinition Source, EnvironmentDefinition Target, WorkspaceId SourceWorkspace, WorkspaceId TargetWorkspace, bool IsLast);

    private sealed record EvaluationContext(PromotionEvaluation Evaluation, MachineLearningModelVersionData Source, MachineLearningModelVersionData? ExistingTarget);
}
