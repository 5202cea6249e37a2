using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace MlEnvironments;

/// <summary>
/// The desired (or observed) state of one GitHub environment: protection rules, deployment branch policy,
/// workspace binding, variables and secrets. An immutable value: every method returns a new definition (or this one,
/// when nothing changes) and leaves the original unchanged. Building a definition never does I/O.
/// </summary>
/// <remarks>Start from <see cref="MlEnvironment.Environment(string)"/>. Validate with <see cref="MlEnvironment.Validate(EnvironmentDefinition)"/>.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.EnvironmentDefinitionJsonConverter))]
public sealed class EnvironmentDefinition : IEquatable<EnvironmentDefinition>
{
    internal EnvironmentDefinition(string name)
        : this(name, [], TimeSpan.Zero, false, true, DeploymentBranchPolicy.AllBranches, null, [], [], [], [])
    {
    }

    private EnvironmentDefinition(
        string name,
        ImmutableArray<Reviewer> reviewers,
        TimeSpan waitTimer,
        bool preventSelfReview,
        bool canAdminsBypass,
        DeploymentBranchPolicy branchPolicy,
        WorkspaceBinding? binding,
        ImmutableArray<VariableDefinition> variables,
        ImmutableArray<SecretDefinition> secrets,
        ImmutableArray<PromotionGate> gates,
        ImmutableArray<long> protectionRuleAppIds)
    {
        Name = name;
        Gates = gates;
        ProtectionRuleAppIds = protectionRuleAppIds;
        Reviewers = reviewers;
        WaitTimer = waitTimer;
        PreventsSelfReview = preventSelfReview;
        CanAdminsBypass = canAdminsBypass;
        BranchPolicy = branchPolicy;
        Binding = binding;
        Variables = variables;
        Secrets = secrets;
    }

    /// <summary>The environment's name, with the case GitHub shows (names compare without regard to case).</summary>
    public string Name { get; }

    /// <summary>The required reviewers (users and teams); one approval from any of them lets a job proceed.</summary>
    public ImmutableArray<Reviewer> Reviewers { get; }

    /// <summary>How long a job waits before it may proceed; <see cref="TimeSpan.Zero"/> for no wait timer.</summary>
    public TimeSpan WaitTimer { get; }

    /// <summary>Whether the person who triggered a job is prevented from approving it.</summary>
    public bool PreventsSelfReview { get; }

    /// <summary>Whether repository administrators may bypass the protection rules (GitHub's default: <see langword="true"/>).</summary>
    public bool CanAdminsBypass { get; }

    /// <summary>Which branches and tags may deploy.</summary>
    public DeploymentBranchPolicy BranchPolicy { get; }

    /// <summary>The Azure Machine Learning workspace this environment is bound to, if any.</summary>
    public WorkspaceBinding? Binding { get; }

    /// <summary>The environment variables declared directly (see <see cref="GetEffectiveVariables"/> for the binding's too).</summary>
    public ImmutableArray<VariableDefinition> Variables { get; }

    /// <summary>The environment secrets.</summary>
    public ImmutableArray<SecretDefinition> Secrets { get; }

    /// <summary>Adds required reviewers.</summary>
    /// <param name="reviewers">Users (<see cref="MlEnvironment.User(string)"/>) and teams (<see cref="MlEnvironment.Team(string)"/>).</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition RequireReviewers(params Reviewer[] reviewers) => RequireReviewers((IEnumerable<Reviewer>)reviewers);

    /// <summary>Adds required reviewers.</summary>
    /// <param name="reviewers">Users and teams.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition RequireReviewers(IEnumerable<Reviewer> reviewers)
    {
        ArgumentNullException.ThrowIfNull(reviewers);
        var added = reviewers.ToImmutableArray();
        foreach (var reviewer in added)
        {
            ArgumentNullException.ThrowIfNull(reviewer, nameof(reviewers));
        }

        return added.IsEmpty ? this : Update(reviewers: Reviewers.AddRange(added));
    }

    /// <summary>Removes every required reviewer.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithoutReviewers() => Reviewers.IsEmpty ? this : Update(reviewers: ImmutableArray<Reviewer>.Empty);

    /// <summary>Sets the wait timer (0 to 43,200 minutes, whole minutes).</summary>
    /// <param name="waitTimer">How long jobs wait.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithWaitTimer(TimeSpan waitTimer) => Update(waitTimer: waitTimer);

    /// <summary>Removes the wait timer.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithoutWaitTimer() => Update(waitTimer: TimeSpan.Zero);

    /// <summary>Prevents the person who triggered a job from approving it (needs at least one reviewer).</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition PreventSelfReview() => Update(preventSelfReview: true);

    /// <summary>Lets the person who triggered a job approve it when they are a reviewer.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowSelfReview() => Update(preventSelfReview: false);

    /// <summary>Lets repository administrators bypass the protection rules (GitHub's default).</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowAdminsBypass() => Update(canAdminsBypass: true);

    /// <summary>Holds administrators to the protection rules like everyone else.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition PreventAdminsBypass() => Update(canAdminsBypass: false);

    /// <summary>Lets any branch or tag deploy (removes the deployment branch policy and its patterns).</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowAllBranches() => Update(branchPolicy: DeploymentBranchPolicy.AllBranches);

    /// <summary>Lets only protected branches deploy.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowProtectedBranchesOnly() => Update(branchPolicy: DeploymentBranchPolicy.ProtectedBranches);

    /// <summary>Lets branches matching the patterns deploy (a custom policy; adds to patterns already declared).</summary>
    /// <param name="patterns">Branch name patterns, e.g. <c>main</c>, <c>release/*</c>.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowBranches(params string[] patterns) => AddPatterns(DeploymentRefType.Branch, patterns);

    /// <summary>Lets tags matching the patterns deploy (a custom policy; adds to patterns already declared).</summary>
    /// <param name="patterns">Tag name patterns, e.g. <c>v*</c>.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition AllowTags(params string[] patterns) => AddPatterns(DeploymentRefType.Tag, patterns);

    /// <summary>Replaces the deployment branch policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithBranchPolicy(DeploymentBranchPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Update(branchPolicy: policy);
    }

    /// <summary>Binds the environment to an Azure Machine Learning workspace.</summary>
    /// <param name="workspace">The workspace (<see cref="MlEnvironment.Workspace(string, string, string)"/>).</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition BindWorkspace(WorkspaceId workspace) => BindWorkspace(new WorkspaceBinding(workspace));

    /// <summary>Binds the environment to an Azure Machine Learning workspace.</summary>
    /// <param name="binding">The binding.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition BindWorkspace(WorkspaceBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return Equals(binding, Binding) ? this : With(binding: binding, clearBinding: false);
    }

    /// <summary>Binds the environment to a workspace with a login (see <see cref="MlEnvironment.OidcLogin"/>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="login">How workflows log in.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition BindWorkspace(WorkspaceId workspace, WorkspaceLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return BindWorkspace(new WorkspaceBinding(workspace, login));
    }

    /// <summary>
    /// Logs workflows in through OIDC: a federated credential on the identity trusts this environment's GitHub tokens,
    /// the identity gets the role on the workspace, and <c>AZURE_CLIENT_ID</c>/<c>AZURE_TENANT_ID</c> are set. No secret.
    /// </summary>
    /// <param name="identity">The user-assigned managed identity (<see cref="MlEnvironment.ManagedIdentity(string, string, string)"/>).</param>
    /// <param name="roleDefinitionId">The role on the workspace; default AzureML Data Scientist.</param>
    /// <returns>The new definition.</returns>
    /// <exception cref="InvalidOperationException">No workspace is bound yet.</exception>
    public EnvironmentDefinition UseOidcLogin(Identity.UserAssignedIdentityId identity, string? roleDefinitionId = null) =>
        WithLogin(WorkspaceLogin.Oidc(identity, roleDefinitionId));

    /// <summary>
    /// Logs workflows in with a service principal's secret: the environment secret <c>AZURE_CREDENTIALS</c> is set to
    /// <c>{"clientId","clientSecret","subscriptionId","tenantId"}</c>, the shape <c>azure/login</c> reads.
    /// </summary>
    /// <param name="clientId">The service principal's client id.</param>
    /// <param name="tenantId">Its tenant.</param>
    /// <param name="clientSecret">Its secret, normally a reference (<see cref="SecretValue.FromEnvironmentVariable(string)"/>).</param>
    /// <returns>The new definition.</returns>
    /// <exception cref="InvalidOperationException">No workspace is bound yet.</exception>
    public EnvironmentDefinition UseServicePrincipalLogin(Guid clientId, Guid tenantId, SecretValue clientSecret) =>
        WithLogin(WorkspaceLogin.ServicePrincipal(clientId, tenantId, clientSecret));

    /// <summary>Removes the workspace binding.</summary>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithoutWorkspace() => Binding is null ? this : With(binding: null, clearBinding: true);

    /// <summary>Sets an environment variable, replacing one of the same name (names compare without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithVariable(string name, string value) => WithVariable(new VariableDefinition(name, value));

    /// <summary>Sets an environment variable, replacing one of the same name.</summary>
    /// <param name="variable">The variable.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithVariable(VariableDefinition variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var index = IndexOf(Variables, variable.Name, static v => v.Name);
        if (index >= 0)
        {
            // Not through Update: a new spelling of the same name equals the old one (names compare without regard
            // to case), and Update would then return this definition and drop the declared spelling.
            return Variables[index].Equals(variable) && Variables[index].Name == variable.Name
                ? this
                : new EnvironmentDefinition(
                    Name, Reviewers, WaitTimer, PreventsSelfReview, CanAdminsBypass, BranchPolicy, Binding, Variables.SetItem(index, variable), Secrets, Gates, ProtectionRuleAppIds);
        }

        return Update(variables: Variables.Add(variable));
    }

    /// <summary>Removes an environment variable (names compare without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithoutVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = IndexOf(Variables, name, static v => v.Name);
        return index < 0 ? this : Update(variables: Variables.RemoveAt(index));
    }

    /// <summary>Sets an environment secret, replacing one of the same name (names compare without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value or a reference to it (<see cref="SecretValue.FromEnvironmentVariable(string)"/>, …).</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithSecret(string name, SecretValue value) => WithSecret(new SecretDefinition(name, value));

    /// <summary>Sets an environment secret, replacing one of the same name.</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithSecret(SecretDefinition secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var index = IndexOf(Secrets, secret.Name, static s => s.Name);
        if (index >= 0)
        {
            // Not through Update, for the same reason as in WithVariable.
            return Secrets[index].Equals(secret) && Secrets[index].Name == secret.Name
                ? this
                : new EnvironmentDefinition(
                    Name, Reviewers, WaitTimer, PreventsSelfReview, CanAdminsBypass, BranchPolicy, Binding, Variables, Secrets.SetItem(index, secret), Gates, ProtectionRuleAppIds);
        }

        return Update(secrets: Secrets.Add(secret));
    }

    /// <summary>Removes an environment secret (names compare without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The new definition.</returns>
    public EnvironmentDefinition WithoutSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = IndexOf(Secrets, name, static s => s.Name);
        return index < 0 ? this : Update(secrets: Secrets.RemoveAt(index));
    }

    /// <summary>
    /// The variables GitHub should hold: those of the workspace binding, then those declared directly.
    /// </summary>
    /// <returns>The variables, binding first.</returns>
    public IReadOnlyList<VariableDefinition> GetEffectiveVariables()
    {
        if (Binding is null)
        {
            return Variables;
        }

        var result = new List<VariableDefinition>(Binding.GetVariables());
        result.AddRange(Variables);
        return result;
    }

    /// <summary>The gates a model version must pass to be promoted into this environment, in the order written.</summary>
    public ImmutableArray<PromotionGate> Gates { get; }

    /// <summary>
    /// The GitHub Apps (by App id) enabled on this environment as custom deployment protection rules, in the order
    /// written. GitHub allows at most 6.
    /// </summary>
    public ImmutableArray<long> ProtectionRuleAppIds { get; }

    /// <summary>Adds gates that guard promotion into this environment (gates already present are not repeated).</summary>
    /// <param name="gates">The gates, made by <see cref="MlEnvironment.MetricAtLeast"/> and its siblings.</param>
    /// <returns>A new definition, or this one when nothing changes.</returns>
    public EnvironmentDefinition WithGates(params PromotionGate[] gates)
    {
        ArgumentNullException.ThrowIfNull(gates);
        var list = Gates;
        foreach (var gate in gates)
        {
            ArgumentNullException.ThrowIfNull(gate, nameof(gates));
            if (!list.Contains(gate))
            {
                list = list.Add(gate);
            }
        }

        return Update(gates: list);
    }

    /// <summary>Removes every gate.</summary>
    /// <returns>A new definition, or this one when it had no gates.</returns>
    public EnvironmentDefinition WithoutGates() => Gates.IsEmpty ? this : Update(gates: ImmutableArray<PromotionGate>.Empty);

    /// <summary>
    /// Enables a GitHub App as a custom deployment protection rule on this environment: GitHub then asks the App
    /// (through the <c>deployment_protection_rule</c> webhook) before any job may deploy here.
    /// </summary>
    /// <param name="appId">The App's numeric id.</param>
    /// <returns>A new definition, or this one when the App is already required.</returns>
    public EnvironmentDefinition RequireProtectionRule(long appId) =>
        ProtectionRuleAppIds.Contains(appId) ? this : Update(protectionRuleAppIds: ProtectionRuleAppIds.Add(appId));

    /// <summary>Stops requiring a GitHub App's protection rule.</summary>
    /// <param name="appId">The App's numeric id.</param>
    /// <returns>A new definition, or this one when the App was not required.</returns>
    public EnvironmentDefinition WithoutProtectionRule(long appId) =>
        ProtectionRuleAppIds.Contains(appId) ? Update(protectionRuleAppIds: ProtectionRuleAppIds.Remove(appId)) : this;

    /// <summary>
    /// Makes promotions into this environment share the model through an Azure Machine Learning registry: the
    /// source version is published to the registry, then registered in this environment's workspace by reference.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <returns>A new definition.</returns>
    /// <exception cref="InvalidOperationException">The environment has no workspace binding yet.</exception>
    public EnvironmentDefinition ShareThroughRegistry(MachineLearning.MachineLearningRegistryId registry)
    {
        if (Binding is null)
        {
            throw new InvalidOperationException($"Environment '{Name}' has no workspace: call BindWorkspace(...) before ShareThroughRegistry(...).");
        }

        return BindWorkspace(Binding.WithRegistry(registry));
    }

    /// <summary>Checks this definition against GitHub's and Azure's rules and reports every violation at once.</summary>
    /// <returns>The result; <see cref="ValidationResult.ThrowIfInvalid"/> turns errors into a <see cref="ValidationFailedException"/>.</returns>
    public ValidationResult Validate() => DefinitionValidator.Validate(this);

    /// <inheritdoc />
    public bool Equals(EnvironmentDefinition? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         string.Equals(Name, other.Name, StringComparison.Ordinal) &&
         Reviewers.SequenceEqual(other.Reviewers) &&
         WaitTimer == other.WaitTimer &&
         PreventsSelfReview == other.PreventsSelfReview &&
         CanAdminsBypass == other.CanAdminsBypass &&
         BranchPolicy.Equals(other.BranchPolicy) &&
         Equals(Binding, other.Binding) &&
         Variables.SequenceEqual(other.Variables) &&
         Secrets.SequenceEqual(other.Secrets) &&
         Gates.SequenceEqual(other.Gates) &&
         ProtectionRuleAppIds.SequenceEqual(other.ProtectionRuleAppIds));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EnvironmentDefinition);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Hashing.Combine(0, Reviewers));
        hash.Add(WaitTimer);
        hash.Add(PreventsSelfReview);
        hash.Add(CanAdminsBypass);
        hash.Add(BranchPolicy);
        hash.Add(Binding);
        hash.Add(Hashing.Combine(0, Variables));
        hash.Add(Hashing.Combine(0, Secrets));
        hash.Add(Hashing.Combine(0, Gates));
        hash.Add(Hashing.Combine(0, ProtectionRuleAppIds));
        return hash.ToHashCode();
    }

    /// <summary>A one-line summary, e.g. <c>environment "prod" { reviewers: user:ana; wait timer: 30 min; … }</c>. Secrets show as <c>(sensitive)</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (!Reviewers.IsEmpty)
        {
            parts.Add("reviewers: " + string.Join(", ", Reviewers));
        }

        if (WaitTimer > TimeSpan.Zero)
        {
            parts.Add("wait timer: " + FormatMinutes(WaitTimer));
        }

        if (PreventsSelfReview)
        {
            parts.Add("prevent self-review");
        }

        if (!CanAdminsBypass)
        {
            parts.Add("no admin bypass");
        }

        parts.Add("branches: " + BranchPolicy);
        if (Binding is not null)
        {
            parts.Add(Binding.ToString());
        }

        if (!Variables.IsEmpty)
        {
            parts.Add("variables: " + string.Join(", ", Variables));
        }

        if (!Secrets.IsEmpty)
        {
            parts.Add("secrets: " + string.Join(", ", Secrets));
        }

        if (!Gates.IsEmpty)
        {
            parts.Add("gates: " + string.Join(", ", Gates));
        }

        if (!ProtectionRuleAppIds.IsEmpty)
        {
            parts.Add("protection rule apps: " + string.Join(", ", ProtectionRuleAppIds));
        }

        var builder = new StringBuilder("environment \"").Append(Name).Append("\" { ");
        builder.AppendJoin("; ", parts).Append(" }");
        return builder.ToString();
    }

    internal static string FormatMinutes(TimeSpan value) =>
        value.TotalMinutes.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " min";

    private EnvironmentDefinition WithLogin(WorkspaceLogin login)
    {
        if (Binding is null)
        {
            throw new InvalidOperationException($"Environment '{Name}' has no workspace to log in to: call BindWorkspace(...) before choosing the login.");
        }

        return BindWorkspace(new WorkspaceBinding(Binding.Workspace, login, Binding.Registry));
    }

        internal EnvironmentDefinition WithVariablesUnchecked(IEnumerable<VariableDefinition> variables) =>
        Update(variables: Variables.AddRange(variables));

    internal EnvironmentDefinition WithSecretsUnchecked(IEnumerable<SecretDefinition> secrets) =>
        Update(secrets: Secrets.AddRange(secrets));

    internal EnvironmentDefinition WithName(string name) => string.Equals(name, Name, StringComparison.Ordinal)
        ? this
        : new EnvironmentDefinition(name, Reviewers, WaitTimer, PreventsSelfReview, CanAdminsBypass, BranchPolicy, Binding, Variables, Secrets, Gates, ProtectionRuleAppIds);

    private EnvironmentDefinition AddPatterns(DeploymentRefType type, string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var pattern in patterns)
        {
            ArgumentNullException.ThrowIfNull(pattern, nameof(patterns));
        }

        return Update(branchPolicy: BranchPolicy.AddPatterns(type, patterns));
    }

    private static int IndexOf<T>(ImmutableArray<T> items, string name, Func<T, string> nameOf)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (string.Equals(nameOf(items[i]), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private EnvironmentDefinition With(WorkspaceBinding? binding, bool clearBinding) =>
        new(Name, Reviewers, WaitTimer, PreventsSelfReview, CanAdminsBypass, BranchPolicy, clearBinding ? null : binding, Variables, Secrets, Gates, ProtectionRuleAppIds);

    private EnvironmentDefinition Update(
        ImmutableArray<Reviewer>? reviewers = null,
        TimeSpan? waitTimer = null,
        bool? preventSelfReview = null,
        bool? canAdminsBypass = null,
        DeploymentBranchPolicy? branchPolicy = null,
        ImmutableArray<VariableDefinition>? variables = null,
        ImmutableArray<SecretDefinition>? secrets = null,
        ImmutableArray<PromotionGate>? gates = null,
        ImmutableArray<long>? protectionRuleAppIds = null)
    {
        var next = new EnvironmentDefinition(
            Name,
            reviewers ?? Reviewers,
            waitTimer ?? WaitTimer,
            preventSelfReview ?? PreventsSelfReview,
            canAdminsBypass ?? CanAdminsBypass,
            branchPolicy ?? BranchPolicy,
            Binding,
            variables ?? Variables,
            secrets ?? Secrets,
            gates ?? Gates,
            protectionRuleAppIds ?? ProtectionRuleAppIds);
        return next.Equals(this) ? this : next;
    }
}
