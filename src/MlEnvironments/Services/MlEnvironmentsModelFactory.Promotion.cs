using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;

namespace MlEnvironments;

/// <summary>The promotion's output models, for substitutes of <see cref="IModelPromoter"/>, <see cref="IPromotionLedger"/> and <see cref="IPromotionReviewService"/>.</summary>
public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="Promotion.ModelCandidate"/>.</summary>
    /// <param name="workspace">The workspace it was read from.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="jobName">The training job (default none).</param>
    /// <param name="metrics">The metrics (default none).</param>
    /// <param name="tags">The version's tags (default none).</param>
    /// <param name="properties">The version's properties (default none).</param>
    /// <param name="jobWorkspace">The workspace the training job ran in (default <paramref name="workspace"/> when there is a job; always none without one).</param>
    /// <returns>The model.</returns>
    public static ModelCandidate ModelCandidate(
        WorkspaceId workspace,
        string modelName,
        string version,
        string? jobName = null,
        IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyDictionary<string, string>? tags = null,
        IReadOnlyDictionary<string, string>? properties = null,
        WorkspaceId? jobWorkspace = null)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return new Promotion.ModelCandidate(workspace, modelName, version, jobName, Copy(metrics), Copy(tags), Copy(properties), jobWorkspace);
    }

    /// <summary>Builds a <see cref="Promotion.GateVerdict"/>.</summary>
    /// <param name="gate">The gate (from <see cref="MlEnvironment"/>'s gate factories, e.g. <c>MinMetric("auc", 0.9)</c>).</param>
    /// <param name="passed">Whether the candidate passed.</param>
    /// <param name="observed">The candidate's value (default none).</param>
    /// <param name="championValue">The champion's value (default none).</param>
    /// <param name="required">The value that would pass (default none).</param>
    /// <param name="reason">One line for a human (default <c>passed</c> or <c>failed</c>).</param>
    /// <returns>The model.</returns>
    public static GateVerdict GateVerdict(PromotionGate gate, bool passed, double? observed = null, double? championValue = null, double? required = null, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return new Promotion.GateVerdict(gate, passed, observed, championValue, required, reason ?? (passed ? "passed" : "failed"));
    }

    /// <summary>Builds a <see cref="Promotion.PromotionEvaluation"/>.</summary>
    /// <param name="sourceEnvironment">The source environment.</param>
    /// <param name="targetEnvironment">The target environment.</param>
    /// <param name="targetWorkspace">The target's workspace.</param>
    /// <param name="candidate">The candidate.</param>
    /// <param name="champion">The target's current version from the ledger (default none).</param>
    /// <param name="verdicts">One verdict per gate (default none, which passes).</param>
    /// <param name="alreadyPromoted">Whether the candidate is already the target's current version.</param>
    /// <param name="gatesSkipped">Whether the gates were skipped on request.</param>
    /// <param name="history">The target's latest promoted versions, newest first (default the champion alone).</param>
    /// <returns>The model.</returns>
    public static PromotionEvaluation PromotionEvaluation(
        string sourceEnvironment,
        string targetEnvironment,
        WorkspaceId targetWorkspace,
        ModelCandidate candidate,
        PromotionRecord? champion = null,
        IEnumerable<GateVerdict>? verdicts = null,
        bool alreadyPromoted = false,
        bool gatesSkipped = false,
        IEnumerable<PromotionRecord>? history = null)
    {
        ArgumentNullException.ThrowIfNull(sourceEnvironment);
        ArgumentNullException.ThrowIfNull(targetEnvironment);
        ArgumentNullException.ThrowIfNull(candidate);
        return new Promotion.PromotionEvaluation(sourceEnvironment, targetEnvironment, targetWorkspace, candidate, champion,
            verdicts?.ToImmutableArray() ?? [], alreadyPromoted, gatesSkipped, history?.ToImmutableArray() ?? default);
    }

    /// <summary>Builds a <see cref="Promotion.PromotionResult"/>.</summary>
    /// <param name="outcome">How it ended.</param>
    /// <param name="evaluation">The evaluation the decision was made on.</param>
    /// <param name="record">The ledger entry written (default none).</param>
    /// <param name="registered">The model version in the target workspace (default none).</param>
    /// <param name="message">One line for a human (default the candidate, the route and the outcome).</param>
    /// <returns>The model.</returns>
    public static PromotionResult PromotionResult(
        PromotionOutcome outcome,
        PromotionEvaluation evaluation,
        PromotionRecord? record = null,
        MachineLearningModelVersionData? registered = null,
        string? message = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return new Promotion.PromotionResult(outcome, evaluation, record, registered,
            message ?? $"{evaluation.Candidate} {evaluation.SourceEnvironment} → {evaluation.TargetEnvironment}: {outcome}");
    }

    /// <summary>Builds a <see cref="Promotion.PromotionRecord"/> (one ledger entry).</summary>
    /// <param name="deploymentId">The GitHub deployment's id.</param>
    /// <param name="environment">The target environment.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <param name="kind">Promotion (default) or rollback.</param>
    /// <param name="state">Where it stands (default succeeded).</param>
    /// <param name="sourceEnvironment">The source environment (default none).</param>
    /// <param name="sourceWorkspace">The source workspace's ARM id (default none).</param>
    /// <param name="targetWorkspace">The target workspace's ARM id (default none).</param>
    /// <param name="jobName">The training job (default none).</param>
    /// <param name="metrics">The candidate's metrics (default none).</param>
    /// <param name="verdicts">The verdicts recorded (default none).</param>
    /// <param name="gatesSkipped">Whether the gates were skipped.</param>
    /// <param name="workflowRunId">The workflow run that performed it (default none).</param>
    /// <param name="approver">Who approved it (default none).</param>
    /// <param name="reason">Why (default none).</param>
    /// <param name="creatorLogin">Who created the deployment (default none).</param>
    /// <param name="createdAt">When (default the Unix epoch).</param>
    /// <param name="statusDescription">The latest status's description (default none).</param>
    /// <param name="replacedVersion">The version it replaced (default none).</param>
    /// <param name="completedAt">When it succeeded (default: <paramref name="createdAt"/> for a succeeded entry, none otherwise).</param>
    /// <returns>The model.</returns>
    public static PromotionRecord PromotionRecord(
        long deploymentId,
        string environment,
        string modelName,
        string version,
        PromotionKind kind = PromotionKind.Promotion,
        PromotionState state = PromotionState.Succeeded,
        string? sourceEnvironment = null,
        string? sourceWorkspace = null,
        string? targetWorkspace = null,
        string? jobName = null,
        IReadOnlyDictionary<string, double>? metrics = null,
        IEnumerable<PromotionRecordVerdict>? verdicts = null,
        bool gatesSkipped = false,
        long? workflowRunId = null,
        string? approver = null,
        string? reason = null,
        string? creatorLogin = null,
        DateTimeOffset? createdAt = null,
        string? statusDescription = null,
        string? replacedVersion = null,
        DateTimeOffset? completedAt = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        var created = createdAt ?? DateTimeOffset.UnixEpoch;
        return new Promotion.PromotionRecord(deploymentId, environment, kind, state, modelName, version, sourceEnvironment, sourceWorkspace,
            targetWorkspace, jobName, Copy(metrics), verdicts?.ToArray() ?? [], gatesSkipped, workflowRunId, approver, reason, creatorLogin,
            created, statusDescription, replacedVersion, completedAt ?? (state == PromotionState.Succeeded ? created : null));
    }

    /// <summary>Builds a <see cref="Promotion.PromotionRecordVerdict"/> (a verdict as the ledger keeps it).</summary>
    /// <param name="gate">The gate, as text.</param>
    /// <param name="passed">Whether it passed.</param>
    /// <param name="reason">The reason (default <c>passed</c> or <c>failed</c>).</param>
    /// <returns>The model.</returns>
    public static PromotionRecordVerdict PromotionRecordVerdict(string gate, bool passed, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return new Promotion.PromotionRecordVerdict(gate, passed, reason ?? (passed ? "passed" : "failed"));
    }

    /// <summary>Builds a <see cref="Promotion.PendingPromotion"/> (a run waiting for reviewers).</summary>
    /// <param name="run">The run.</param>
    /// <param name="deployments">The environments it waits on (default none).</param>
    /// <param name="modelName">The model (default none).</param>
    /// <param name="version">The version (default none).</param>
    /// <param name="evaluations">The evaluation of each waiting environment (default none).</param>
    /// <param name="problems">What could not be evaluated (default none).</param>
    /// <returns>The model.</returns>
    public static PendingPromotion PendingPromotion(
        GitHubWorkflowRun run,
        IEnumerable<GitHubPendingDeployment>? deployments = null,
        string? modelName = null,
        string? version = null,
        IEnumerable<PromotionEvaluation>? evaluations = null,
        IEnumerable<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new Promotion.PendingPromotion(run, deployments?.ToArray() ?? [], modelName, version, evaluations?.ToArray() ?? [], problems?.ToArray() ?? []);
    }

    private static Dictionary<string, TValue> Copy<TValue>(IReadOnlyDictionary<string, TValue>? values) =>
        values is null ? new Dictionary<string, TValue>(StringComparer.Ordinal) : new Dictionary<string, TValue>(values, StringComparer.Ordinal);
}
