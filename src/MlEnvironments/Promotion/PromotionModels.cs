using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>Asks to move one model version from an environment's workspace to the next environment's.</summary>
public sealed class PromotionRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="definition">The repository's definition: the order of its environments is the promotion pipeline, and it holds the bindings and gates.</param>
    /// <param name="modelName">The model's name in the source workspace.</param>
    /// <param name="version">The version to promote.</param>
    /// <param name="sourceEnvironment">The environment the model comes from.</param>
    /// <param name="targetEnvironment">The next environment in the pipeline.</param>
    public PromotionRequest(RepositoryDefinition definition, string modelName, string version, string sourceEnvironment, string targetEnvironment)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(sourceEnvironment);
        ArgumentNullException.ThrowIfNull(targetEnvironment);
        Definition = definition;
        ModelName = modelName;
        Version = version;
        SourceEnvironment = sourceEnvironment;
        TargetEnvironment = targetEnvironment;
    }

    /// <summary>The repository's definition.</summary>
    public RepositoryDefinition Definition { get; }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The version.</summary>
    public string Version { get; }

    /// <summary>The source environment.</summary>
    public string SourceEnvironment { get; }

    /// <summary>The target environment.</summary>
    public string TargetEnvironment { get; }

    /// <summary>The workflow run that performs the promotion (recorded in the ledger; its approvals name the approver).</summary>
    public long? WorkflowRunId { get; init; }

    /// <summary>
    /// How many of the target's latest promoted versions the evaluation reads from the ledger for the review (the
    /// champion first), so that the candidate is shown against them. Each one costs a ledger read.
    /// <value>Default <see cref="DefaultHistoryDepth"/>; 0 to 50. At least the champion is always read.</value>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0 to 50.</exception>
    public int HistoryDepth
    {
        get => _historyDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(HistoryDepth));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxHistoryDepth, nameof(HistoryDepth));
            _historyDepth = value;
        }
    }

    /// <summary>The default of <see cref="HistoryDepth"/>: the champion and the four versions before it.</summary>
    public const int DefaultHistoryDepth = 5;

    /// <summary>The largest <see cref="HistoryDepth"/>.</summary>
    public const int MaxHistoryDepth = 50;

    private readonly int _historyDepth = DefaultHistoryDepth;

    /// <summary>Who approved, when known outside GitHub; otherwise read from the run's approvals.</summary>
    public string? Approver { get; init; }

    /// <summary>The ref the ledger's deployment is made for; default the run's commit, else the repository's default branch.</summary>
    public string? Ref { get; init; }

    /// <summary>Returns <c>model@version: source → target</c>.</summary>
    public override string ToString() => $"{ModelName}@{Version}: {SourceEnvironment} → {TargetEnvironment}";
}

/// <summary>Asks to put the previous successfully promoted version of a model back into an environment.</summary>
public sealed class RollbackRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="environment">The environment to roll back.</param>
    public RollbackRequest(RepositoryDefinition definition, string modelName, string environment)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(environment);
        Definition = definition;
        ModelName = modelName;
        Environment = environment;
    }

    /// <summary>The repository's definition.</summary>
    public RepositoryDefinition Definition { get; }

    /// <summary>The model.</summary>
    public string ModelName { get; }

    /// <summary>The environment.</summary>
    public string Environment { get; }

    /// <summary>The version to roll back to; default the latest successful version before the current one.</summary>
    public string? ToVersion { get; init; }

    /// <summary>
    /// Skips the environment's gates. Off by default: a rollback is a promotion and must pass the gates unless this is
    /// set explicitly, and the ledger then records that the gates were skipped.
    /// </summary>
    public bool SkipGates { get; init; }

    /// <summary>Why (recorded in the ledger).</summary>
    public string? Reason { get; init; }

    /// <summary>The workflow run that performs the rollback.</summary>
    public long? WorkflowRunId { get; init; }

    /// <summary>Who approved it.</summary>
    public string? Approver { get; init; }
}

/// <summary>A model version with the numbers the gates look at.</summary>
public sealed class ModelCandidate
{
    internal ModelCandidate(WorkspaceId workspace, string modelName, string version, string? jobName, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> properties, WorkspaceId? jobWorkspace = null)
    {
        Workspace = workspace;
        JobWorkspace = jobName is null ? null : jobWorkspace ?? workspace;
        ModelName = modelName;
        Version = version;
        JobName = jobName;
        Metrics = metrics;
        Tags = tags;
        Properties = properties;
    }

    /// <summary>The workspace it was read from.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The version.</summary>
    public string Version { get; }

    /// <summary>
    /// The workspace the training job ran in: the version's own workspace, or for a promoted version the one its
    /// lineage tags name.
    /// </summary>
    public WorkspaceId? JobWorkspace { get; }

    /// <summary>The training job (also the MLflow run id), from the version or its lineage tags.</summary>
    public string? JobName { get; }

    /// <summary>The metrics: the training run's latest values, and numeric tags or properties a gate names.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The version's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The version's properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Returns <c>model@version</c>.</summary>
    public override string ToString() => $"{ModelName}@{Version}";
}

/// <summary>The verdict of one gate on one candidate.</summary>
public sealed class GateVerdict
{
    internal GateVerdict(PromotionGate gate, bool passed, double? observed, double? championValue, double? required, string reason)
    {
        Gate = gate;
        Passed = passed;
        Observed = observed;
        ChampionValue = championValue;
        Required = required;
        Reason = reason;
    }

    /// <summary>The gate.</summary>
    public PromotionGate Gate { get; }

    /// <summary>Whether the candidate passed.</summary>
    public bool Passed { get; }

    /// <summary>The candidate's value, for metric gates.</summary>
    public double? Observed { get; }

    /// <summary>The champion's value, for champion gates with a champion.</summary>
    public double? ChampionValue { get; }

    /// <summary>The value that would pass (the bound the candidate must reach), for metric gates.</summary>
    public double? Required { get; }

    /// <summary>One line for a human, e.g. <c>auc 0.87 &lt; 0.9 required (short by 0.03)</c>.</summary>
    public string Reason { get; }

    /// <summary>Returns <c>PASS|FAIL gate: reason</c>.</summary>
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Gate}: {Reason}";
}

/// <summary>What a promotion would do, evaluated without writing anything.</summary>
public sealed class PromotionEvaluation
{
    internal PromotionEvaluation(string sourceEnvironment, string targetEnvironment, WorkspaceId targetWorkspace, ModelCandidate candidate, PromotionRecord? champion, ImmutableArray<GateVerdict> verdicts, bool alreadyPromoted, bool gatesSkipped = false, ImmutableArray<PromotionRecord> history = default)
    {
        History = history.IsDefault ? (champion is null ? [] : [champion]) : history;
        GatesSkipped = gatesSkipped;
        SourceEnvironment = sourceEnvironment;
        TargetEnvironment = targetEnvironment;
        TargetWorkspace = targetWorkspace;
        Candidate = candidate;
        Champion = champion;
        Verdicts = verdicts;
        AlreadyPromoted = alreadyPromoted;
    }

    /// <summary>The source environment (GitHub's spelling from the definition).</summary>
    public string SourceEnvironment { get; }

    /// <summary>The target environment.</summary>
    public string TargetEnvironment { get; }

    /// <summary>The target's workspace.</summary>
    public WorkspaceId TargetWorkspace { get; }

    /// <summary>The candidate.</summary>
    public ModelCandidate Candidate { get; }

    /// <summary>The version of the model currently promoted into the target, from the ledger; <see langword="null"/> when none.</summary>
    public PromotionRecord? Champion { get; }

    /// <summary>One verdict per gate of the target, in the order declared.</summary>
    public ImmutableArray<GateVerdict> Verdicts { get; }

    /// <summary>
    /// The target's latest promoted versions of the model, newest first (the champion first when there is one), each
    /// with the metrics recorded when it was promoted: what the review shows the candidate against. At most
    /// <see cref="PromotionRequest.HistoryDepth"/> entries.
    /// </summary>
    public ImmutableArray<PromotionRecord> History { get; }

    /// <summary>Whether the gates were skipped on request (a rollback with <see cref="RollbackRequest.SkipGates"/>); <see cref="Verdicts"/> is then empty.</summary>
    public bool GatesSkipped { get; }

    /// <summary>Whether every gate passed (or the gates were skipped on request).</summary>
    public bool Passed => Verdicts.All(v => v.Passed);

    /// <summary>The gates that failed.</summary>
    public IEnumerable<GateVerdict> Failures => Verdicts.Where(v => !v.Passed);

    /// <summary>Whether the candidate is already the target's current version (promoting it is a no-op).</summary>
    public bool AlreadyPromoted { get; }

    /// <summary>Returns a one-line summary.</summary>
    public override string ToString() =>
        $"{Candidate} {SourceEnvironment} → {TargetEnvironment}: " +
        (AlreadyPromoted ? "already promoted" : GatesSkipped ? "gates skipped on request" : Passed ? $"all {Verdicts.Length} gates pass" : $"{Failures.Count()} of {Verdicts.Length} gates fail");
}

/// <summary>How a promotion ended.</summary>
public enum PromotionOutcome
{
    /// <summary>Registered in the target and recorded as its current version.</summary>
    Promoted,

    /// <summary>The version was already the target's current version; nothing was written.</summary>
    AlreadyPromoted,

    /// <summary>A gate failed; nothing was registered, and the ledger records the failed attempt.</summary>
    GatesFailed,

    /// <summary>An earlier version was put back as the target's current version.</summary>
    RolledBack,
}

/// <summary>The result of a promotion or rollback.</summary>
public sealed class PromotionResult
{
    internal PromotionResult(PromotionOutcome outcome, PromotionEvaluation evaluation, PromotionRecord? record, MachineLearningModelVersionData? registered, string message)
    {
        Outcome = outcome;
        Evaluation = evaluation;
        Record = record;
        Registered = registered;
        Message = message;
    }

    /// <summary>How it ended.</summary>
    public PromotionOutcome Outcome { get; }

    /// <summary>Whether the target now has the candidate as its current version.</summary>
    public bool Succeeded => Outcome is PromotionOutcome.Promoted or PromotionOutcome.AlreadyPromoted or PromotionOutcome.RolledBack;

    /// <summary>The evaluation the decision was made on.</summary>
    public PromotionEvaluation Evaluation { get; }

    /// <summary>The ledger entry written; <see langword="null"/> when nothing was recorded (a no-op).</summary>
    public PromotionRecord? Record { get; }

    /// <summary>The model version in the target workspace, when one was registered or found.</summary>
    public MachineLearningModelVersionData? Registered { get; }

    /// <summary>One line for a human.</summary>
    public string Message { get; }

    /// <summary>Returns <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}

/// <summary>What a ledger entry records.</summary>
public enum PromotionKind
{
    /// <summary>A promotion from the previous environment.</summary>
    Promotion,

    /// <summary>A rollback to an earlier version.</summary>
    Rollback,
}

/// <summary>Where a ledger entry stands, from its deployment statuses.</summary>
public enum PromotionState
{
    /// <summary>Started, not finished (an interrupted promotion stays here until it is run again).</summary>
    InProgress,

    /// <summary>Done: the version became the environment's current one (it may since have been superseded).</summary>
    Succeeded,

    /// <summary>Refused by a gate, or failed.</summary>
    Failed,
}

/// <summary>One entry of the promotion ledger: a GitHub deployment to the target environment.</summary>
public sealed class PromotionRecord
{
    internal PromotionRecord(
        long deploymentId,
        string environment,
        PromotionKind kind,
        PromotionState state,
        string modelName,
        string version,
        string? sourceEnvironment,
        string? sourceWorkspace,
        string? targetWorkspace,
        string? jobName,
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<PromotionRecordVerdict> verdicts,
        bool gatesSkipped,
        long? workflowRunId,
        string? approver,
        string? reason,
        string? creatorLogin,
        DateTimeOffset createdAt,
        string? statusDescription,
        string? replacedVersion = null,
        DateTimeOffset? completedAt = null)
    {
        ReplacedVersion = replacedVersion;
        CompletedAt = completedAt;
        DeploymentId = deploymentId;
        Environment = environment;
        Kind = kind;
        State = state;
        ModelName = modelName;
        Version = version;
        SourceEnvironment = sourceEnvironment;
        SourceWorkspace = sourceWorkspace;
        TargetWorkspace = targetWorkspace;
        JobName = jobName;
        Metrics = metrics;
        Verdicts = verdicts;
        GatesSkipped = gatesSkipped;
        WorkflowRunId = workflowRunId;
        Approver = approver;
        Reason = reason;
        CreatorLogin = creatorLogin;
        CreatedAt = createdAt;
        StatusDescription = statusDescription;
    }

    /// <summary>The GitHub deployment's id (also the promotion id in the lineage tags).</summary>
    public long DeploymentId { get; }

    /// <summary>The target environment.</summary>
    public string Environment { get; }

    /// <summary>Promotion or rollback.</summary>
    public PromotionKind Kind { get; }

    /// <summary>Where it stands.</summary>
    public PromotionState State { get; }

    /// <summary>The model.</summary>
    public string ModelName { get; }

    /// <summary>The version.</summary>
    public string Version { get; }

    /// <summary>The source environment.</summary>
    public string? SourceEnvironment { get; }

    /// <summary>The source workspace's ARM id.</summary>
    public string? SourceWorkspace { get; }

    /// <summary>The target workspace's ARM id.</summary>
    public string? TargetWorkspace { get; }

    /// <summary>The training job.</summary>
    public string? JobName { get; }

    /// <summary>The candidate's metrics when it was evaluated.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The verdicts recorded.</summary>
    public IReadOnlyList<PromotionRecordVerdict> Verdicts { get; }

    /// <summary>Whether the gates were skipped (explicitly, for a rollback).</summary>
    public bool GatesSkipped { get; }

    /// <summary>The workflow run that performed it.</summary>
    public long? WorkflowRunId { get; }

    /// <summary>Who approved it, when known.</summary>
    public string? Approver { get; }

    /// <summary>Why (rollbacks).</summary>
    public string? Reason { get; }

    /// <summary>Who created the deployment (the token's user or App).</summary>
    public string? CreatorLogin { get; }

    /// <summary>When.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The version that was current in the environment when this entry was made (what a rollback replaced).</summary>
    public string? ReplacedVersion { get; }

    /// <summary>The latest status's description.</summary>
    public string? StatusDescription { get; }

    /// <summary>
    /// When the entry succeeded (its first <c>success</c> status): the moment its version became current in the
    /// environment; <see langword="null"/> unless <see cref="State"/> is <see cref="PromotionState.Succeeded"/>.
    /// </summary>
    public DateTimeOffset? CompletedAt { get; }

    /// <summary>Returns a one-line summary.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"#{DeploymentId} {CreatedAt:yyyy-MM-dd HH:mm} {Kind.ToString().ToLowerInvariant()} {ModelName}@{Version} → {Environment}: {State}") +
        (Approver is null ? string.Empty : $", approved by {Approver}") + (GatesSkipped ? ", gates skipped" : string.Empty);
}

/// <summary>A gate verdict as the ledger keeps it.</summary>
public sealed class PromotionRecordVerdict
{
    internal PromotionRecordVerdict(string gate, bool passed, string reason)
    {
        Gate = gate;
        Passed = passed;
        Reason = reason;
    }

    /// <summary>The gate, as text.</summary>
    public string Gate { get; }

    /// <summary>Whether it passed.</summary>
    public bool Passed { get; }

    /// <summary>The reason.</summary>
    public string Reason { get; }

    /// <summary>Returns <c>PASS|FAIL gate: reason</c>.</summary>
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Gate}: {Reason}";
}

/// <summary>A promotion that cannot start: bad input or a state that would make it unsafe. Nothing was written.</summary>
public sealed class PromotionException : MlEnvironmentsException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="code">A stable code, one of <see cref="PromotionErrors"/>.</param>
    /// <param name="message">The message.</param>
    public PromotionException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception with its cause.</summary>
    /// <param name="code">A stable code, one of <see cref="PromotionErrors"/>.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, e.g. the service's refusal.</param>
    public PromotionException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>A stable code, one of <see cref="PromotionErrors"/>.</summary>
    public string Code { get; }
}

/// <summary>The codes of <see cref="PromotionException"/>.</summary>
public static class PromotionErrors
{
    /// <summary>
    /// Azure refused a call (403): the environment's login lacks a role the promotion needs
    /// (<see cref="PromotionAccess.For(RepositoryDefinition, string)"/>); the message names the action, the scope and the role.
    /// </summary>
    public const string AccessDenied = "access-denied";

    /// <summary>An environment the definition does not declare.</summary>
    public const string EnvironmentNotDeclared = "environment-not-declared";

    /// <summary>The target is not the environment right after the source in the definition.</summary>
    public const string EnvironmentNotNext = "environment-not-next";

    /// <summary>An environment without a workspace binding.</summary>
    public const string EnvironmentNotBound = "environment-not-bound";

    /// <summary>The model or version does not exist in the source workspace.</summary>
    public const string ModelVersionNotFound = "model-version-not-found";

    /// <summary>The target workspace already has the version, from somewhere else.</summary>
    public const string VersionConflict = "version-conflict";

    /// <summary>Nothing to roll back to.</summary>
    public const string NothingToRollBack = "nothing-to-roll-back";

    /// <summary>The workflow run does not exist.</summary>
    public const string RunNotFound = "run-not-found";

    /// <summary>The run waits on none of the environments named.</summary>
    public const string NothingPending = "nothing-pending";

    /// <summary>The token's user is not a required reviewer of an environment.</summary>
    public const string NotAReviewer = "not-a-reviewer";

    /// <summary>A model name or version that is empty or not allowed by Azure Machine Learning.</summary>
    public const string InvalidModel = "invalid-model";
}

/// <summary>A workflow run waiting for reviewers, with what they would approve.</summary>
public sealed class PendingPromotion
{
    internal PendingPromotion(GitHubWorkflowRun run, IReadOnlyList<GitHubPendingDeployment> deployments, string? modelName, string? version, IReadOnlyList<PromotionEvaluation> evaluations, IReadOnlyList<string> problems)
    {
        Run = run;
        Deployments = deployments;
        ModelName = modelName;
        Version = version;
        Evaluations = evaluations;
        Problems = problems;
    }

    /// <summary>The run.</summary>
    public GitHubWorkflowRun Run { get; }

    /// <summary>The environments it waits on.</summary>
    public IReadOnlyList<GitHubPendingDeployment> Deployments { get; }

    /// <summary>The model, from the run's title; <see langword="null"/> when the title does not follow <see cref="PromotionRunTitle"/>.</summary>
    public string? ModelName { get; }

    /// <summary>The version, from the run's title.</summary>
    public string? Version { get; }

    /// <summary>The evaluation of the promotion into each waiting environment.</summary>
    public IReadOnlyList<PromotionEvaluation> Evaluations { get; }

    /// <summary>What could not be evaluated, and why.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Renders what a reviewer is approving, as text.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("Run ").Append(Run.Id).Append(" \"").Append(Run.DisplayTitle ?? Run.Name).Append('"')
            .Append(Run.TriggeringActorLogin is null ? string.Empty : " started by " + Run.TriggeringActorLogin).AppendLine();
        foreach (var deployment in Deployments)
        {
            text.Append("  waits on ").Append(deployment.EnvironmentName).Append(" (reviewers: ")
                .Append(deployment.Reviewers.Count == 0 ? "none" : string.Join(", ", deployment.Reviewers.Select(r => r.Name)))
                .Append(deployment.CurrentUserCanApprove ? "; you can approve" : "; you cannot approve").AppendLine(")");
        }

        foreach (var evaluation in Evaluations)
        {
            text.Append(PromotionReport.ToText(evaluation)).AppendLine();
        }

        foreach (var problem in Problems)
        {
            text.Append("  ! ").AppendLine(problem);
        }

        return text.ToString();
    }

    /// <summary>Renders what a reviewer is approving, as Markdown.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("## Run ").Append(Run.HtmlUrl is null ? Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{Run.Id}]({Run.HtmlUrl})")
            .Append(": ").AppendLine(PromotionReport.Escape(Run.DisplayTitle ?? Run.Name ?? string.Empty));
        md.AppendLine();
        foreach (var deployment in Deployments)
        {
            md.Append("- waits on **").Append(PromotionReport.Escape(deployment.EnvironmentName)).Append("**, reviewers: ")
                .AppendLine(deployment.Reviewers.Count == 0 ? "none" : string.Join(", ", deployment.Reviewers.Select(r => "@" + r.Name)));
        }

        md.AppendLine();
        foreach (var evaluation in Evaluations)
        {
            md.AppendLine(PromotionReport.ToMarkdown(evaluation));
        }

        foreach (var problem in Problems)
        {
            md.Append("> ⚠️ ").AppendLine(PromotionReport.Escape(problem));
        }

        return md.ToString();
    }

    /// <summary>Returns the run and what it waits on.</summary>
    public override string ToString() => $"run {Run.Id}: {ModelName}@{Version} waits on {string.Join(", ", Deployments.Select(d => d.EnvironmentName))}";
}
