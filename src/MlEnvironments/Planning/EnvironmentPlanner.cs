using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>
/// Reads what a plan needs (the environment list once, then patterns, protection rules, secrets and variables only
/// of declared environments) and diffs it against the definition. Depends only on reader interfaces: it cannot write.
/// </summary>
/// <remarks>
/// Promotion gates are not GitHub objects: they never produce changes (a definition that differs from GitHub only in
/// its gates plans no changes). Custom deployment protection rules are planned when a protection-rule reader is
/// given: every required App that is not enabled is enabled, and an App that is not installed on the repository
/// fails the plan (<see cref="ValidationRules.ProtectionRuleAppNotInstalled"/>) before any write.
/// </remarks>
public sealed partial class EnvironmentPlanner : IEnvironmentPlanner
{
    private readonly IGitHubEnvironmentReader _environments;
    private readonly IGitHubSecretReader _secrets;
    private readonly IGitHubVariableReader _variables;
    private readonly MlEnvironmentsOptions _options;
    private readonly ILogger _logger;
    private readonly IGitHubIdentityResolver? _identities;
    private readonly WorkspaceBindingPlanner? _bindings;
    private readonly IGitHubProtectionRuleReader? _protectionRules;
    private readonly IGitHubRepositoryReader? _repositories;
    private readonly IGitHubAccountPlanReader? _accountPlans;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, GitHubPlan?> _ownerPlans = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a planner.</summary>
    /// <param name="environments">Reads environments and their patterns.</param>
    /// <param name="secrets">Lists secrets.</param>
    /// <param name="variables">Lists variables.</param>
    /// <param name="options">The defaults for <see cref="PlanOptions"/>; optional.</param>
    /// <param name="logger">The logger; optional.</param>
    /// <param name="identities">
    /// Resolves reviewers while planning, so that a reviewer who does not exist or cannot review fails the plan
    /// before any write; optional (without it, the applier resolves them before its first write).
    /// </param>
    /// <param name="bindings">
    /// Plans the Azure side of workspace bindings (workspace checks, federated credentials, role assignments,
    /// <c>AZURE_CREDENTIALS</c>); optional (without it, a binding only sets the workspace variables, and a login fails the plan).
    /// </param>
    /// <param name="protectionRules">
    /// Reads the custom deployment protection rules of declared environments and the Apps installed on the
    /// repository; optional (without it, protection rules are not read, and a definition that requires one cannot be
    /// planned: <see cref="PlanAsync"/> throws <see cref="InvalidOperationException"/> before any call).
    /// </param>
    /// <param name="repositories">
    /// Reads the repository's visibility for GitHub's plan gate, once per plan that has changes; optional (without
    /// it, the gate is not checked).
    /// </param>
    /// <param name="accountPlans">
    /// Reads the owner's GitHub plan when the repository is private or internal (once per owner for the planner's
    /// life); optional (without it, or when the token cannot see the plan, the plan warns and orders protected
    /// settings first).
    /// </param>
    public EnvironmentPlanner(
        IGitHubEnvironmentReader environments,
        IGitHubSecretReader secrets,
        IGitHubVariableReader variables,
        IOptions<MlEnvironmentsOptions>? options = null,
        ILogger<EnvironmentPlanner>? logger = null,
        IGitHubIdentityResolver? identities = null,
        WorkspaceBindingPlanner? bindings = null,
        IGitHubProtectionRuleReader? protectionRules = null,
        IGitHubRepositoryReader? repositories = null,
        IGitHubAccountPlanReader? accountPlans = null)
    {
        _repositories = repositories;
        _accountPlans = accountPlans;
        _identities = identities;
        _bindings = bindings;
        _protectionRules = protectionRules;
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(variables);
        _environments = environments;
        _secrets = secrets;
        _variables = variables;
        _options = options?.Value ?? new MlEnvironmentsOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The pure diff: the plan that moves <paramref name="observed"/> to <paramref name="desired"/>. No I/O.
    /// </summary>
    /// <param name="desired">The desired state (validate it first).</param>
    /// <param name="observed">What the repository has.</param>
    /// <param name="options">How to treat secrets and undeclared things.</param>
    /// <returns>The plan.</returns>
    public static RepositoryPlan Diff(RepositoryDefinition desired, RepositoryState observed, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        if (!desired.Repository.Equals(observed.Repository))
        {
            throw new ArgumentException($"The observed state is of '{observed.Repository}', not of '{desired.Repository}'.", nameof(observed));
        }

        return PlanDiff.Diff(desired, observed, options ?? PlanOptions.Default);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The definition requires protection rules but this planner has no protection-rule reader; nothing was read.</exception>
    public async Task<RepositoryPlan> PlanAsync(RepositoryDefinition definition, PlanOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var activity = MlEnvironmentsDiagnostics.Source.StartActivity("mlenv.plan");
        activity?.SetTag("mlenv.repository", definition.Repository.ToString());
        definition.Validate().ThrowIfInvalid();
        if (_protectionRules is null && definition.Environments.FirstOrDefault(e => !e.ProtectionRuleAppIds.IsEmpty) is { } ruled)
        {
            throw new InvalidOperationException(
                $"Environment '{ruled.Name}' requires custom deployment protection rules, but the planner has no {nameof(IGitHubProtectionRuleReader)}: " +
                "register a GitHub provider (AddGitHub) or the in-memory fakes (UseInMemory), or pass one to the EnvironmentPlanner.");
        }

        options ??= new PlanOptions { Prune = _options.Prune, UpdateSecrets = _options.UpdateSecrets };
        var observed = await ReadPlanStateAsync(definition, options, cancellationToken).ConfigureAwait(false);
        var binding = definition.Environments.Any(e => e.Binding?.Login is not null) || _bindings is not null
            ? await (_bindings ?? new WorkspaceBindingPlanner()).PlanAsync(definition, observed, options, cancellationToken).ConfigureAwait(false)
            : null;
        var plan = PlanDiff.Diff(binding?.Augmented ?? definition, observed, options);
        if (binding is not null && (!binding.Changes.IsEmpty || !binding.Notes.IsEmpty || binding.Compositions.Count > 0))
        {
            var gitHubChanges = plan.Changes.Select(c =>
                c.Kind == ChangeKind.Secret && c.Action != ChangeAction.Delete &&
                string.Equals(c.Target, WorkspaceLogin.CredentialsSecretName, StringComparison.OrdinalIgnoreCase) &&
                binding.Compositions.TryGetValue(c.EnvironmentName, out var compose)
                    ? c.WithComposition(compose)
                    : c).ToList();

            // Each environment's Azure changes come right after its GitHub settings, in promotion order.
            var changes = ImmutableArray.CreateBuilder<PlannedChange>();
            var placed = new HashSet<PlannedChange>();
            foreach (var name in definition.Environments.Select(e => e.Name))
            {
                var mine = gitHubChanges.Where(c => string.Equals(c.EnvironmentName, name, StringComparison.OrdinalIgnoreCase)).ToList();
                var settings = mine.TakeWhile(c => c.Kind is ChangeKind.Environment or ChangeKind.Reviewers or ChangeKind.WaitTimer or
                    ChangeKind.PreventSelfReview or ChangeKind.AdminsBypass or ChangeKind.BranchPolicy).ToList();
                var azure = binding.Changes.Where(c => string.Equals(c.EnvironmentName, name, StringComparison.OrdinalIgnoreCase)).ToList();
                foreach (var change in settings.Concat(azure).Concat(mine.Skip(settings.Count)))
                {
                    changes.Add(change);
                    placed.Add(change);
                }
            }

            changes.AddRange(binding.Changes.Concat(gitHubChanges).Where(c => !placed.Contains(c)));
            plan = new RepositoryPlan(plan.Desired, plan.Observed, plan.Options, changes.ToImmutable(), binding.Notes.AddRange(plan.Notes)) { ReviewerIds = plan.ReviewerIds };
        }

        // Reviewers who cannot review and Apps that are not installed are reported together, before any write.
        var errors = new List<ValidationError>();
        if (_identities is not null)
        {
            try
            {
                plan = await ResolveNewReviewersAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (ValidationFailedException e)
            {
                errors.AddRange(e.Result.Errors);
            }
        }

        if (_protectionRules is not null && plan.Changes.Any(c => c.Kind == ChangeKind.ProtectionRule && c.Action == ChangeAction.Create))
        {
            try
            {
                plan = await CheckProtectionRuleAppsAsync(plan, _protectionRules, cancellationToken).ConfigureAwait(false);
            }
            catch (ValidationFailedException e)
            {
                errors.AddRange(e.Result.Errors);
            }
        }

        // GitHub's plan gate: a known plan that does not allow what is written fails here, with the other errors.
        if (_repositories is not null && plan.HasChanges)
        {
            try
            {
                plan = await PlanGate.CheckAsync(plan, _repositories, _accountPlans, _ownerPlans, cancellationToken).ConfigureAwait(false);
            }
            catch (ValidationFailedException e)
            {
                errors.AddRange(e.Result.Errors);
            }
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();

        LogPlanned(_logger, definition.Repository, plan.CreateCount, plan.UpdateCount, plan.DeleteCount);
        activity?.SetTag("mlenv.changes", plan.Changes.Length);
        return plan;
    }

    /// <summary>
    /// Reads the state a plan of <paramref name="definition"/> needs, through the read-only interfaces, with the
    /// custom protection rules of every declared environment.
    /// </summary>
    /// <param name="definition">The desired state: which environments' contents are read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The observed state.</returns>
    public Task<RepositoryState> ReadStateAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default) =>
        ReadPlanStateAsync(definition, new PlanOptions { ReadProtectionRules = true }, cancellationToken);

    /// <summary>
    /// Reads the state a plan of <paramref name="definition"/> with <paramref name="options"/> needs: custom
    /// protection rules only of environments that declare some, unless <see cref="PlanOptions.Prune"/> or
    /// <see cref="PlanOptions.ReadProtectionRules"/> is set.
    /// </summary>
    /// <param name="definition">The desired state: which environments' contents are read.</param>
    /// <param name="options">What the plan does; default <see cref="PlanOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The observed state.</returns>
    public async Task<RepositoryState> ReadPlanStateAsync(RepositoryDefinition definition, PlanOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= PlanOptions.Default;
        var readAllRules = options.Prune || options.ReadProtectionRules || options.DetectDrift;
        var repository = definition.Repository;
        var environments = await _environments.ListEnvironmentsAsync(repository, cancellationToken).ConfigureAwait(false);
        var states = ImmutableArray.CreateBuilder<EnvironmentState>(environments.Count);
        foreach (var environment in environments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (definition.FindEnvironment(environment.Name) is null)
            {
                // Drift detection tells an environment with no protection at all from one an App protects.
                var (undeclaredRules, unreadableRules) = options.DetectDrift
                    ? await ReadProtectionRulesAsync(repository, environment.Name, new EnvironmentDefinition(environment.Name), cancellationToken).ConfigureAwait(false)
                    : (null, null);
                states.Add(new EnvironmentState(environment, [], [], [], contentsRead: false, undeclaredRules, unreadableRules));
                continue;
            }

            IReadOnlyList<GitHubDeploymentBranchPolicy> policies = [];
            if (environment.BranchPolicy == DeploymentBranchPolicyKind.CustomPatterns)
            {
                policies = await _environments.ListDeploymentBranchPoliciesAsync(repository, environment.Name, cancellationToken).ConfigureAwait(false);
            }

            var declared = definition.FindEnvironment(environment.Name)!;
            var (rules, unreadable) = readAllRules || !declared.ProtectionRuleAppIds.IsEmpty
                ? await ReadProtectionRulesAsync(repository, environment.Name, declared, cancellationToken).ConfigureAwait(false)
                : (null, null);
            var secrets = await _secrets.ListEnvironmentSecretsAsync(repository, environment.Name, cancellationToken).ConfigureAwait(false);
            var variables = await _variables.ListEnvironmentVariablesAsync(repository, environment.Name, cancellationToken).ConfigureAwait(false);
            states.Add(new EnvironmentState(environment, [.. policies], [.. secrets], [.. variables], contentsRead: true, rules, unreadable));
        }

        return new RepositoryState(repository, states.ToImmutable());
    }

    private async Task<(ImmutableArray<GitHubProtectionRule>? Rules, string? Unreadable)> ReadProtectionRulesAsync(
        RepositoryId repository, string environmentName, EnvironmentDefinition declared, CancellationToken cancellationToken)
    {
        if (_protectionRules is null)
        {
            return (null, null);
        }

        try
        {
            return ([.. await _protectionRules.ListProtectionRulesAsync(repository, environmentName, cancellationToken).ConfigureAwait(false)], null);
        }
        catch (RemoteServiceException e) when (e.StatusCode is 403 or 404 && declared.ProtectionRuleAppIds.IsEmpty)
        {
            // Custom rules are not available on every plan (private repositories need Enterprise). An environment
            // that requires none can still be planned; one that requires some fails with GitHub's answer.
            return (null, $"HTTP {e.StatusCode}");
        }
    }

    /// <summary>
    /// Checks, before any write, that every App a plan enables is installed on the repository (GitHub lists the Apps
    /// per existing environment; a new environment is checked against the list of any existing one), and that no
    /// environment would end up with more than 6 rules. Reports every problem at once; shows the Apps' slugs.
    /// </summary>
    private static async Task<RepositoryPlan> CheckProtectionRuleAppsAsync(RepositoryPlan plan, IGitHubProtectionRuleReader reader, CancellationToken cancellationToken)
    {
        var repository = plan.Repository;
        var errors = new List<ValidationError>();
        var lists = new Dictionary<string, IReadOnlyList<GitHubProtectionRuleApp>>(StringComparer.OrdinalIgnoreCase);
        async Task<IReadOnlyList<GitHubProtectionRuleApp>> ListAsync(string environmentName)
        {
            if (!lists.TryGetValue(environmentName, out var apps))
            {
                apps = await reader.ListAvailableProtectionRuleAppsAsync(repository, environmentName, cancellationToken).ConfigureAwait(false);
                lists[environmentName] = apps;
            }

            return apps;
        }

        var changes = plan.Changes.ToBuilder();
        foreach (var group in plan.Changes.Select((c, i) => (Change: c, Index: i))
                     .Where(x => x.Change.Kind == ChangeKind.ProtectionRule && x.Change.Action == ChangeAction.Create)
                     .GroupBy(x => x.Change.EnvironmentName, StringComparer.OrdinalIgnoreCase))
        {
            var environmentName = group.Key;
            var declared = plan.Desired.FindEnvironment(environmentName)!;
            var state = plan.Observed.FindEnvironment(environmentName);

            // The list is of the Apps installed on the repository, so any existing environment can give it for a
            // new one. A repository without environments cannot list them: GitHub checks them when they are enabled.
            IReadOnlyList<GitHubProtectionRuleApp>? apps = null;
            if (state is not null)
            {
                apps = await ListAsync(state.Environment.Name).ConfigureAwait(false);
            }
            else if (lists.Count > 0)
            {
                apps = lists.Values.First();
            }
            else if (plan.Observed.Environments.FirstOrDefault() is { } other)
            {
                apps = await ListAsync(other.Environment.Name).ConfigureAwait(false);
            }

            if (apps is null)
            {
                continue;
            }

            var byId = apps.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var (change, index) in group)
            {
                var appId = change.AppId!.Value;
                if (byId.TryGetValue(appId, out var app))
                {
                    changes[index] = change.WithApp(app);
                    continue;
                }

                var installed = apps.Count == 0 ? "none" : string.Join(", ", apps.Select(a => PlannedChange.AppDisplay(a.Id, a.Slug)));
                errors.Add(new ValidationError($"environments[{declared.Name}].protectionRules[{declared.ProtectionRuleAppIds.IndexOf(appId)}]",
                    ValidationRules.ProtectionRuleAppNotInstalled,
                    $"GitHub App {appId} is not installed on {repository} (or cannot be a deployment protection rule), so it cannot be enabled on '{declared.Name}'. " +
                    $"Install the App on the repository (its id is on the App's settings page), then plan again. Apps that can be enabled: {installed}.",
                    appId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (state is not null)
            {
                var disabled = plan.Changes.Count(c => c.Kind == ChangeKind.ProtectionRule && c.Action == ChangeAction.Delete &&
                    string.Equals(c.EnvironmentName, environmentName, StringComparison.OrdinalIgnoreCase));
                var total = state.ProtectionRules.Length - disabled + group.Count();
                if (total > DefinitionValidator.MaxProtectionRules)
                {
                    var undeclared = state.ProtectionRules.Length - disabled - (declared.ProtectionRuleAppIds.Length - group.Count());
                    errors.Add(new ValidationError($"environments[{declared.Name}].protectionRules", ValidationRules.ProtectionRulesLimit,
                        $"'{state.Environment.Name}' would have {total} custom protection rules enabled ({undeclared} enabled but not declared, left alone); " +
                        $"GitHub enables at most {DefinitionValidator.MaxProtectionRules}. Declare them, plan with prune to disable them, or require fewer Apps.",
                        total.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();
        return new RepositoryPlan(plan.Desired, plan.Observed, plan.Options, changes.ToImmutable(), plan.Notes) { ReviewerIds = plan.ReviewerIds };
    }

    /// <summary>
    /// Resolves the reviewers GitHub does not list yet (GitHub's own list already carries ids), so that a reviewer
    /// who does not exist or has no access fails the plan with every such error at once.
    /// </summary>
    private async Task<RepositoryPlan> ResolveNewReviewersAsync(RepositoryPlan plan, CancellationToken cancellationToken)
    {
        var settingsChanged = new HashSet<string>(
            plan.Changes.Where(c => c.Kind == ChangeKind.Reviewers || (c.Kind == ChangeKind.Environment && c.Action == ChangeAction.Create)).Select(c => c.EnvironmentName),
            StringComparer.OrdinalIgnoreCase);
        var ids = await ReviewerIds.ResolveAsync(plan.Repository, plan.Desired.Environments.Where(e => settingsChanged.Contains(e.Name)),
            plan.ReviewerIds, _identities!, cancellationToken).ConfigureAwait(false);
        return new RepositoryPlan(plan.Desired, plan.Observed, plan.Options, plan.Changes, plan.Notes) { ReviewerIds = ids };
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Planned {Repository}: {Create} to add, {Update} to change, {Delete} to destroy")]
    private static partial void LogPlanned(ILogger logger, RepositoryId repository, int create, int update, int delete);
}
