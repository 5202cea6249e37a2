using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;

namespace MlEnvironments;

/// <summary>
/// The planner's and applier's output models, for substitutes of <see cref="IEnvironmentPlanner"/>,
/// <see cref="IEnvironmentApplier"/> and <see cref="IRepositorySetPlanner"/>. A plan built here renders and reads like a
/// real one; the real applier applies only plans its planner made.
/// </summary>
public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="Planning.PlannedChange"/>.</summary>
    /// <param name="action">Create, update or delete.</param>
    /// <param name="kind">What is changed.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="target">The secret, variable, pattern or setting changed (default none).</param>
    /// <param name="before">The value before, for display (default none).</param>
    /// <param name="after">The value after, for display (default none).</param>
    /// <returns>The model.</returns>
    public static PlannedChange PlannedChange(ChangeAction action, ChangeKind kind, string environmentName, string? target = null, string? before = null, string? after = null)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return new Planning.PlannedChange(action, kind, environmentName, target, before, after);
    }

    /// <summary>Builds an <see cref="Planning.EnvironmentState"/> (what GitHub holds for one environment).</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="branchPolicies">Its branch and tag patterns (default none).</param>
    /// <param name="secrets">Its secrets (default none).</param>
    /// <param name="variables">Its variables (default none).</param>
    /// <param name="contentsRead">Whether secrets and variables were read (default true).</param>
    /// <param name="protectionRules">Its custom protection rules, of which the enabled ones are kept; <see langword="null"/> (default) when they were not read.</param>
    /// <returns>The model.</returns>
    public static EnvironmentState EnvironmentState(
        GitHubEnvironment environment,
        IEnumerable<GitHubDeploymentBranchPolicy>? branchPolicies = null,
        IEnumerable<GitHubSecret>? secrets = null,
        IEnumerable<GitHubVariable>? variables = null,
        bool contentsRead = true,
        IEnumerable<GitHubProtectionRule>? protectionRules = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new Planning.EnvironmentState(environment, branchPolicies?.ToImmutableArray() ?? [], secrets?.ToImmutableArray() ?? [],
            variables?.ToImmutableArray() ?? [], contentsRead, protectionRules?.ToImmutableArray());
    }

    /// <summary>Builds a <see cref="Planning.RepositoryState"/> (what GitHub holds for one repository).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environments">Its environments (default none).</param>
    /// <returns>The model.</returns>
    public static RepositoryState RepositoryState(RepositoryId repository, IEnumerable<EnvironmentState>? environments = null) =>
        new(repository, environments?.ToImmutableArray() ?? []);

    /// <summary>Builds a <see cref="Planning.RepositoryPlan"/>.</summary>
    /// <param name="desired">The definition.</param>
    /// <param name="observed">What the repository has (default nothing).</param>
    /// <param name="options">The options planned with (default <see cref="PlanOptions.Default"/>).</param>
    /// <param name="changes">The changes (default none).</param>
    /// <param name="notes">The notes (default none).</param>
    /// <returns>The model.</returns>
    public static RepositoryPlan RepositoryPlan(
        RepositoryDefinition desired,
        RepositoryState? observed = null,
        PlanOptions? options = null,
        IEnumerable<PlannedChange>? changes = null,
        IEnumerable<PlanNote>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return new Planning.RepositoryPlan(desired, observed ?? new Planning.RepositoryState(desired.Repository, []), options ?? PlanOptions.Default,
            changes?.ToImmutableArray() ?? [], notes?.ToImmutableArray() ?? []);
    }

    /// <summary>Builds a <see cref="Planning.RepositorySetPlan"/>.</summary>
    /// <param name="plans">The plans (default none).</param>
    /// <param name="failures">The repositories that could not be planned (default none).</param>
    /// <returns>The model.</returns>
    public static RepositorySetPlan RepositorySetPlan(IEnumerable<RepositoryPlan>? plans = null, IEnumerable<RepositoryFailure>? failures = null) =>
        new(plans?.ToImmutableArray() ?? [], failures?.ToImmutableArray() ?? []);

    /// <summary>Builds a <see cref="Planning.ChangeResult"/>.</summary>
    /// <param name="change">The change.</param>
    /// <param name="outcome">Applied (default), failed or skipped.</param>
    /// <param name="error">Why it failed (default none).</param>
    /// <returns>The model.</returns>
    public static ChangeResult ChangeResult(PlannedChange change, ChangeOutcome outcome = ChangeOutcome.Applied, Exception? error = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new Planning.ChangeResult(change, outcome, error);
    }

    /// <summary>Builds an <see cref="Planning.ApplyResult"/>.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="results">One result per change (default none).</param>
    /// <returns>The model.</returns>
    public static ApplyResult ApplyResult(RepositoryId repository, IEnumerable<ChangeResult>? results = null) =>
        new(repository, results?.ToImmutableArray() ?? []);

    /// <summary>Builds a <see cref="Planning.RepositorySetApplyResult"/>.</summary>
    /// <param name="results">The results (default none).</param>
    /// <param name="failures">The repositories whose apply stopped with an exception (default none).</param>
    /// <returns>The model.</returns>
    public static RepositorySetApplyResult RepositorySetApplyResult(IEnumerable<ApplyResult>? results = null, IEnumerable<RepositoryFailure>? failures = null) =>
        new(results?.ToImmutableArray() ?? [], failures?.ToImmutableArray() ?? []);

    /// <summary>
    /// Builds a <see cref="MlEnvironments.WorkspaceBinding"/> as <see cref="EnvironmentDefinition.Binding"/> returns it
    /// (definitions bind with <see cref="EnvironmentDefinition.BindWorkspace(WorkspaceId)"/>).
    /// </summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="login">How the environment's jobs log in (default none).</param>
    /// <param name="registry">The registry promotions share through (default none).</param>
    /// <returns>The model.</returns>
    public static WorkspaceBinding WorkspaceBinding(WorkspaceId workspace, WorkspaceLogin? login = null, MachineLearningRegistryId? registry = null) =>
        new(workspace, login, registry);
}
