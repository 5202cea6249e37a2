using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>What a planned change does.</summary>
public enum ChangeAction
{
    /// <summary>Something is added.</summary>
    Create,

    /// <summary>Something is changed in place.</summary>
    Update,

    /// <summary>Something is removed.</summary>
    Delete,
}

/// <summary>What a planned change is about.</summary>
public enum ChangeKind
{
    /// <summary>The environment itself (create with all its settings, or delete).</summary>
    Environment,

    /// <summary>The required reviewers.</summary>
    Reviewers,

    /// <summary>The wait timer.</summary>
    WaitTimer,

    /// <summary>Prevent self-review.</summary>
    PreventSelfReview,

    /// <summary>Administrators bypass.</summary>
    AdminsBypass,

    /// <summary>The deployment branch policy's mode.</summary>
    BranchPolicy,

    /// <summary>One branch or tag name pattern.</summary>
    BranchPattern,

    /// <summary>One environment secret.</summary>
    Secret,

    /// <summary>One environment variable.</summary>
    Variable,

    /// <summary>The federated identity credential that lets the environment's workflows log in to Azure (OIDC).</summary>
    FederatedCredential,

    /// <summary>The role assignment that gives the login's identity its role on the workspace (OIDC).</summary>
    RoleAssignment,

    /// <summary>
    /// One custom deployment protection rule: a GitHub App enabled on the environment (create) or disabled (delete).
    /// <see cref="PlannedChange.Target"/> is the App's id.
    /// </summary>
    ProtectionRule,
}

/// <summary>How important a plan note is.</summary>
public enum PlanNoteSeverity
{
    /// <summary>For information: something left alone on purpose.</summary>
    Info,

    /// <summary>Something the user should act on; the plan can still be applied.</summary>
    Warning,
}

/// <summary>
/// One change of a plan. <see cref="Before"/> and <see cref="After"/> are display text; a secret's are always
/// <c>(sensitive)</c>.
/// </summary>
public sealed class PlannedChange
{
    internal PlannedChange(ChangeAction action, ChangeKind kind, string environmentName, string? target, string? before, string? after)
    {
        Action = action;
        Kind = kind;
        EnvironmentName = environmentName;
        Target = target;
        Before = before;
        After = after;
    }

    /// <summary>Create, update or delete.</summary>
    public ChangeAction Action { get; }

    /// <summary>What the change is about.</summary>
    public ChangeKind Kind { get; }

    /// <summary>The environment the change belongs to.</summary>
    public string EnvironmentName { get; }

    /// <summary>The pattern, secret or variable concerned, or the App id of a protection rule, when the change is about one.</summary>
    public string? Target { get; }

    /// <summary>The current value, as display text (<c>(sensitive)</c> for secrets).</summary>
    public string? Before { get; }

    /// <summary>The desired value, as display text (<c>(sensitive)</c> for secrets).</summary>
    public string? After { get; }

    /// <summary>Whether the change is about a secret (its values are never shown).</summary>
    public bool IsSensitive => Kind == ChangeKind.Secret;

    internal DeploymentRefPattern? Pattern { get; init; }

    internal long? PolicyId { get; init; }

    internal SecretValue? SecretValue { get; init; }

    internal string? VariableValue { get; init; }

    internal Func<string, string>? ComposeSecret { get; init; }

    internal Identity.UserAssignedIdentityId LoginIdentity { get; init; }

    internal Identity.FederatedIdentityCredentialData? FederatedCredential { get; init; }

    internal string? RoleScope { get; init; }

    internal string? RoleDefinitionId { get; init; }

    internal Guid RolePrincipalId { get; init; }

    /// <summary>The App of a protection-rule change.</summary>
    internal long? AppId { get; init; }

    /// <summary>The rule to disable, for a protection-rule deletion.</summary>
    internal long? RuleId { get; init; }

    internal PlannedChange WithComposition(Func<string, string> compose) =>
        new(Action, Kind, EnvironmentName, Target, Before, After)
        {
            Pattern = Pattern,
            PolicyId = PolicyId,
            SecretValue = SecretValue,
            VariableValue = VariableValue,
            ComposeSecret = compose,
            AppId = AppId,
            RuleId = RuleId,
        };

    /// <summary>The same protection-rule change, shown with the App's slug once the planner knows it.</summary>
    internal PlannedChange WithApp(GitHubProtectionRuleApp app) =>
        new(Action, Kind, EnvironmentName, Target, Action == ChangeAction.Delete ? AppDisplay(app.Id, app.Slug) : Before, Action == ChangeAction.Delete ? After : AppDisplay(app.Id, app.Slug))
        {
            AppId = AppId,
            RuleId = RuleId,
        };

    /// <summary>How a protection rule's App is shown: <c>slug (#id)</c>, or <c>App #id</c> while the slug is unknown.</summary>
    internal static string AppDisplay(long appId, string? slug) =>
        string.IsNullOrEmpty(slug)
            ? "App #" + appId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"{slug} (#{appId.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>The symbol terraform uses: <c>+</c>, <c>~</c> or <c>-</c>.</summary>
    public string Symbol => Action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        _ => "-",
    };

    /// <summary>One line: what changes, e.g. <c>~ environment "prod": wait timer: 0 min -> 30 min</c>.</summary>
    /// <returns>The line.</returns>
    public string Describe()
    {
        var subject = Kind switch
        {
            ChangeKind.Environment => $"environment \"{EnvironmentName}\"",
            ChangeKind.Reviewers => $"environment \"{EnvironmentName}\": reviewers",
            ChangeKind.WaitTimer => $"environment \"{EnvironmentName}\": wait timer",
            ChangeKind.PreventSelfReview => $"environment \"{EnvironmentName}\": prevent self-review",
            ChangeKind.AdminsBypass => $"environment \"{EnvironmentName}\": admins bypass",
            ChangeKind.BranchPolicy => $"environment \"{EnvironmentName}\": deployment branch policy",
            ChangeKind.BranchPattern => $"environment \"{EnvironmentName}\": {Pattern?.Type.ToString().ToLowerInvariant() ?? "branch"} pattern \"{Pattern?.Pattern ?? Target}\"",
            ChangeKind.Secret => $"environment \"{EnvironmentName}\": secret {Target}",
            ChangeKind.FederatedCredential => $"environment \"{EnvironmentName}\": Azure federated credential {Target}",
            ChangeKind.RoleAssignment => $"environment \"{EnvironmentName}\": Azure role assignment {Target}",
            ChangeKind.ProtectionRule => $"environment \"{EnvironmentName}\": protection rule {After ?? Before ?? Target}",
            _ => $"environment \"{EnvironmentName}\": variable {Target}",
        };

        var detail = Action switch
        {
            ChangeAction.Update => $": {Before} -> {After}",
            ChangeAction.Create when After is not null && Kind is not (ChangeKind.BranchPattern or ChangeKind.ProtectionRule) => " = " + After,
            _ => string.Empty,
        };
        return $"{Symbol} {subject}{detail}";
    }

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();
}

/// <summary>Something the planner found and left alone, or a warning about the definition against reality.</summary>
/// <param name="Severity">Info or warning.</param>
/// <param name="EnvironmentName">The environment concerned, if any.</param>
/// <param name="Message">What was found and what to do about it.</param>
public sealed record PlanNote(PlanNoteSeverity Severity, string? EnvironmentName, string Message)
{
    /// <summary>Returns the message with its environment.</summary>
    public override string ToString() =>
        (Severity == PlanNoteSeverity.Warning ? "warning: " : string.Empty) +
        (EnvironmentName is null ? Message : $"environment \"{EnvironmentName}\": {Message}");
}

/// <summary>How a plan treats what it cannot compare or does not manage.</summary>
public sealed class PlanOptions
{
    /// <summary>Set every declared secret again even when it exists (values cannot be compared). Default: false.</summary>
    public bool UpdateSecrets { get; init; }

    /// <summary>
    /// Delete environments, patterns, secrets and variables that exist but are not declared, and disable protection
    /// rules whose App is not declared. Default: false.
    /// </summary>
    public bool Prune { get; init; }

    /// <summary>
    /// Whether the plan assigns each OIDC login's identity the Azure roles a promotion into its environment needs on
    /// the previous environment's workspace, the training workspace and the bound registry
    /// (<see cref="Promotion.PromotionAccess.For(RepositoryDefinition, string)"/>). Default: <see langword="true"/>.
    /// Set <see langword="false"/> to manage that access yourself: the plan then lists what it would have assigned
    /// as a note. The role on the environment's own workspace is planned either way, and service-principal logins
    /// are always only checked, never assigned.
    /// </summary>
    public bool ManagePromotionAccess { get; init; } = true;

    /// <summary>
    /// The object (principal) ids of service principals, by client id: with one, the plan checks the role
    /// assignments a promotion needs for a service-principal login and warns about each missing role and scope;
    /// without one, it says it cannot check (a client id does not tell which principal role assignments name).
    /// Default: empty.
    /// </summary>
    public IReadOnlyDictionary<Guid, Guid> ServicePrincipalObjectIds { get; init; } = new Dictionary<Guid, Guid>();

    /// <summary>
    /// Read the custom deployment protection rules of every declared environment, even of those that declare none
    /// (for drift detection: rules enabled outside the definition). Default: false — rules are read only of
    /// environments that declare some, or of every declared environment when <see cref="Prune"/> is set.
    /// </summary>
    public bool ReadProtectionRules { get; init; }

    /// <summary>
    /// The plan is made to detect drift (<c>mlenv drift</c>, <see cref="Drift.DriftReport"/>): besides what every plan
    /// reads, the custom deployment protection rules of every declared environment and of environments that are not
    /// declared are read, so that an
    /// environment with no protection at all can be told from one protected by an App. Default: false.
    /// </summary>
    public bool DetectDrift { get; init; }

    /// <summary>The defaults: leave existing secrets and undeclared things alone.</summary>
    public static PlanOptions Default { get; } = new();
}

/// <summary>
/// The plan for one repository: the ordered changes that make GitHub match the definition, and notes about what
/// was left alone. A plan holds no secret value: secrets travel only as references until they are applied.
/// </summary>
/// <remarks>
/// Only GitHub and Azure objects produce changes. Promotion gates (<see cref="EnvironmentDefinition.Gates"/>) and a
/// workspace binding's registry (<see cref="WorkspaceBinding.Registry"/>) are checked when a model is promoted, not
/// stored anywhere: a definition that differs from GitHub only in them plans no changes. Custom deployment
/// protection rules (<see cref="EnvironmentDefinition.ProtectionRuleAppIds"/>) are GitHub objects: a required App
/// that is not enabled is enabled, and an App that is not installed on the repository fails the plan before any
/// write (except for an environment that does not exist yet while the repository has no environment at all:
/// GitHub lists the Apps only for an existing environment, so its rules are enabled right after it is created).
/// </remarks>
public sealed class RepositoryPlan
{
    internal RepositoryPlan(RepositoryDefinition desired, RepositoryState observed, PlanOptions options, ImmutableArray<PlannedChange> changes, ImmutableArray<PlanNote> notes)
    {
        Desired = desired;
        Observed = observed;
        Options = options;
        Changes = changes;
        Notes = notes;
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository => Desired.Repository;

    /// <summary>Reviewer ids known when the plan was made: those GitHub already lists, and those resolved while planning.</summary>
    internal System.Collections.Generic.IReadOnlyDictionary<Reviewer, long> ReviewerIds { get; init; } =
        System.Collections.Immutable.ImmutableDictionary<Reviewer, long>.Empty;

    /// <summary>
    /// Whether the applier writes protected settings (each protected environment's settings, then its protection
    /// rules) before anything else: set when GitHub's plan gate could not be checked (the owner's plan is not visible).
    /// </summary>
    internal bool ProtectedSettingsFirst { get; init; }

    /// <summary>The definition the plan moves towards.</summary>
    public RepositoryDefinition Desired { get; }

    /// <summary>What GitHub had when the plan was made.</summary>
    public RepositoryState Observed { get; }

    /// <summary>The options the plan was made with.</summary>
    public PlanOptions Options { get; }

    /// <summary>The changes, in the order they will be applied.</summary>
    public ImmutableArray<PlannedChange> Changes { get; }

    /// <summary>What was left alone, and warnings.</summary>
    public ImmutableArray<PlanNote> Notes { get; }

    /// <summary>Whether applying the plan would change anything.</summary>
    public bool HasChanges => !Changes.IsEmpty;

    /// <summary>How many things would be created.</summary>
    public int CreateCount => Changes.Count(c => c.Action == ChangeAction.Create);

    /// <summary>How many things would be changed in place.</summary>
    public int UpdateCount => Changes.Count(c => c.Action == ChangeAction.Update);

    /// <summary>How many things would be deleted.</summary>
    public int DeleteCount => Changes.Count(c => c.Action == ChangeAction.Delete);

    /// <summary>The summary line, e.g. <c>Plan: 3 to add, 1 to change, 0 to destroy.</c> or <c>No changes.</c>.</summary>
    public string Summary => HasChanges
        ? $"Plan: {CreateCount} to add, {UpdateCount} to change, {DeleteCount} to destroy."
        : "No changes. GitHub matches the definition.";

    /// <summary>Renders the plan as text, one line per change.</summary>
    /// <returns>The text.</returns>
    public string ToText() => PlanRenderer.RenderText(this);

    /// <summary>Renders the plan as JSON (for tools).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson() => PlanRenderer.RenderJson(this);

    /// <summary>Renders the plan as Markdown (for pull-request comments and job summaries).</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown() => PlanRenderer.RenderMarkdown(this);

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();
}

/// <summary>What GitHub holds for one environment, read for a plan.</summary>
public sealed class EnvironmentState
{
    internal EnvironmentState(
        GitHubEnvironment environment,
        ImmutableArray<GitHubDeploymentBranchPolicy> branchPolicies,
        ImmutableArray<GitHubSecret> secrets,
        ImmutableArray<GitHubVariable> variables,
        bool contentsRead,
        ImmutableArray<GitHubProtectionRule>? protectionRules = null,
        string? protectionRulesUnreadable = null)
    {
        Environment = environment;
        BranchPolicies = branchPolicies;
        Secrets = secrets;
        Variables = variables;
        ContentsRead = contentsRead;
        ProtectionRulesRead = protectionRules is not null;
        ProtectionRules = protectionRules is { } rules ? [.. rules.Where(r => r.Enabled)] : [];
        ProtectionRulesUnreadable = protectionRulesUnreadable;
        Definition = BuildDefinition();
    }

    /// <summary>The environment with its protection rules.</summary>
    public GitHubEnvironment Environment { get; }

    /// <summary>Its branch and tag patterns (read only for custom policies).</summary>
    public ImmutableArray<GitHubDeploymentBranchPolicy> BranchPolicies { get; }

    /// <summary>Its secrets' names.</summary>
    public ImmutableArray<GitHubSecret> Secrets { get; }

    /// <summary>Its variables.</summary>
    public ImmutableArray<GitHubVariable> Variables { get; }

    /// <summary>Whether secrets and variables were read (they are not for environments that are not declared).</summary>
    public bool ContentsRead { get; }

    /// <summary>
    /// The custom deployment protection rules enabled on the environment; empty when they were not read (for
    /// environments that are not declared, or when the planner has no protection-rule reader).
    /// </summary>
    public ImmutableArray<GitHubProtectionRule> ProtectionRules { get; }

    /// <summary>Whether <see cref="ProtectionRules"/> were read.</summary>
    internal bool ProtectionRulesRead { get; }

    /// <summary>Why the rules could not be read (e.g. <c>HTTP 404</c>), when reading them was refused and none is declared.</summary>
    internal string? ProtectionRulesUnreadable { get; }

    /// <summary>The same state in the definition model; secrets appear as <see cref="SecretValue.Existing"/>.</summary>
    public EnvironmentDefinition Definition { get; }

    private EnvironmentDefinition BuildDefinition()
    {
        var definition = new EnvironmentDefinition(Environment.Name)
            .RequireReviewers(Environment.Reviewers.Select(r => r.ToReviewer()))
            .WithWaitTimer(Environment.WaitTimer)
            .WithBranchPolicy(new DeploymentBranchPolicy(Environment.BranchPolicy,
                Environment.BranchPolicy == DeploymentBranchPolicyKind.CustomPatterns ? [.. BranchPolicies.Select(p => p.ToPattern())] : []));
        if (Environment.PreventSelfReview)
        {
            definition = definition.PreventSelfReview();
        }

        if (!Environment.CanAdminsBypass)
        {
            definition = definition.PreventAdminsBypass();
        }

        foreach (var rule in ProtectionRules)
        {
            definition = definition.RequireProtectionRule(rule.App.Id);
        }

        return definition
            .WithVariablesUnchecked(Variables.Select(v => new VariableDefinition(v.Name, v.Value)))
            .WithSecretsUnchecked(Secrets.Select(s => new SecretDefinition(s.Name, SecretValue.Existing)));
    }
}

/// <summary>What GitHub holds for one repository, read for a plan.</summary>
public sealed class RepositoryState
{
    internal RepositoryState(RepositoryId repository, ImmutableArray<EnvironmentState> environments)
    {
        Repository = repository;
        Environments = environments;
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository { get; }

    /// <summary>Its environments.</summary>
    public ImmutableArray<EnvironmentState> Environments { get; }

    /// <summary>Finds an environment by name (without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The environment's state, or <see langword="null"/>.</returns>
    public EnvironmentState? FindEnvironment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Environment.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The state in the definition model.</summary>
    /// <returns>A repository definition of what exists (secrets as <see cref="SecretValue.Existing"/>).</returns>
    public RepositoryDefinition ToDefinition() => new(Repository, [.. Environments.Select(e => e.Definition)]);
}
