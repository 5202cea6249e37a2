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
/// Applies plans through the writing interfaces: for each environment, its settings in one write (create or update),
/// then its Azure login changes, patterns, custom protection rules, variables and secrets; deletions of whole
/// environments last.
/// </summary>
public sealed partial class EnvironmentApplier : IEnvironmentApplier
{
    private readonly IGitHubEnvironmentWriter _environments;
    private readonly IGitHubSecretWriter _secrets;
    private readonly IGitHubVariableWriter _variables;
    private readonly IGitHubIdentityResolver _identities;
    private readonly ISecretValueResolver _secretResolver;
    private readonly MlEnvironmentsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Identity.IFederatedIdentityCredentialWriter? _credentials;
    private readonly Identity.IRoleAssignmentWriter? _roles;
    private readonly IGitHubProtectionRuleWriter? _protectionRules;

    /// <summary>Creates an applier.</summary>
    /// <param name="environments">Writes environments and patterns.</param>
    /// <param name="secrets">Writes secrets.</param>
    /// <param name="variables">Writes variables.</param>
    /// <param name="identities">Resolves reviewers to ids.</param>
    /// <param name="secretResolver">Resolves secret references; optional (environment variables only).</param>
    /// <param name="options">The pause between writes; optional.</param>
    /// <param name="timeProvider">The clock for pauses; optional (<see cref="TimeProvider.System"/>).</param>
    /// <param name="logger">The logger; optional.</param>
    /// <param name="credentials">Writes federated credentials (OIDC logins); optional.</param>
    /// <param name="roles">Writes role assignments (OIDC logins); optional.</param>
    /// <param name="protectionRules">
    /// Enables and disables custom deployment protection rules; optional (a plan with protection-rule changes then
    /// fails with <see cref="InvalidOperationException"/> before any write).
    /// </param>
    public EnvironmentApplier(
        IGitHubEnvironmentWriter environments,
        IGitHubSecretWriter secrets,
        IGitHubVariableWriter variables,
        IGitHubIdentityResolver identities,
        ISecretValueResolver? secretResolver = null,
        IOptions<MlEnvironmentsOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<EnvironmentApplier>? logger = null,
        Identity.IFederatedIdentityCredentialWriter? credentials = null,
        Identity.IRoleAssignmentWriter? roles = null,
        IGitHubProtectionRuleWriter? protectionRules = null)
    {
        _credentials = credentials;
        _roles = roles;
        _protectionRules = protectionRules;
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(identities);
        _environments = environments;
        _secrets = secrets;
        _variables = variables;
        _identities = identities;
        _secretResolver = secretResolver ?? new DefaultSecretValueResolver();
        _options = options?.Value ?? new MlEnvironmentsOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The plan enables or disables protection rules but this applier has no protection-rule writer; nothing was written.</exception>
    public async Task<ApplyResult> ApplyAsync(RepositoryPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (_protectionRules is null && plan.Changes.FirstOrDefault(c => c.Kind == ChangeKind.ProtectionRule) is { } rule)
        {
            throw new InvalidOperationException(
                $"The plan changes protection rules ({rule.Describe()}), but the applier has no {nameof(IGitHubProtectionRuleWriter)}: " +
                "register a GitHub provider (AddGitHub) or the in-memory fakes (UseInMemory), or pass one to the EnvironmentApplier.");
        }

        var repository = plan.Repository;
        using var activity = MlEnvironmentsDiagnostics.Source.StartActivity("mlenv.apply");
        activity?.SetTag("mlenv.repository", repository.ToString());
        activity?.SetTag("mlenv.changes", plan.Changes.Length);

        // Everything that can fail without writing fails here, all at once.
        var secretValues = await ResolveSecretsAsync(plan, cancellationToken).ConfigureAwait(false);
        var reviewerIds = await ResolveReviewersAsync(plan, cancellationToken).ConfigureAwait(false);

        var results = new ChangeResult?[plan.Changes.Length];
        var failed = false;
        var writes = 0;

        foreach (var step in BuildSteps(plan))
        {
            if (failed)
            {
                break;
            }

            if (writes++ > 0 && _options.WritePause > TimeSpan.Zero)
            {
                await Task.Delay(_options.WritePause, _time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await ExecuteAsync(plan, step, secretValues, reviewerIds, cancellationToken).ConfigureAwait(false);
                foreach (var index in step.ChangeIndexes)
                {
                    results[index] = new ChangeResult(plan.Changes[index], ChangeOutcome.Applied, null);
                    LogApplied(_logger, repository, plan.Changes[index]);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed = true;
                foreach (var index in step.ChangeIndexes)
                {
                    results[index] = new ChangeResult(plan.Changes[index], ChangeOutcome.Failed, e);
                    LogFailed(_logger, repository, plan.Changes[index], e);
                }
            }
        }

        var final = ImmutableArray.CreateBuilder<ChangeResult>(results.Length);
        for (var i = 0; i < results.Length; i++)
        {
            final.Add(results[i] ?? new ChangeResult(plan.Changes[i], ChangeOutcome.Skipped, null));
        }

        var applied = new ApplyResult(repository, final.MoveToImmutable());
        activity?.SetTag("mlenv.applied", applied.AppliedCount);
        activity?.SetTag("mlenv.failed", applied.FailedCount);
        if (!applied.Succeeded)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, applied.Summary);
        }

        return applied;
    }

    private async Task ExecuteAsync(
        RepositoryPlan plan,
        Step step,
        Dictionary<int, string> secretValues,
        Dictionary<Reviewer, long> reviewerIds,
        CancellationToken cancellationToken)
    {
        var repository = plan.Repository;
        var first = plan.Changes[step.ChangeIndexes[0]];
        var environment = first.EnvironmentName;
        switch (step.Kind)
        {
            case StepKind.Settings:
                var desired = plan.Desired.FindEnvironment(environment)!;
                var observed = plan.Observed.FindEnvironment(environment)?.Environment;
                var settings = new GitHubEnvironmentSettings
                {
                    ClearUnsetRules = observed is not null &&
                        (observed.WaitTimer > TimeSpan.Zero || observed.Reviewers.Count > 0 || observed.PreventSelfReview || !observed.CanAdminsBypass),
                    WaitTimer = desired.WaitTimer,
                    PreventSelfReview = desired.PreventsSelfReview,
                    CanAdminsBypass = desired.CanAdminsBypass,
                    BranchPolicy = desired.BranchPolicy.Kind,
                    Reviewers = [.. desired.Reviewers.Select(r => new GitHubReviewerReference(r.Kind, reviewerIds[r]))],
                };
                await _environments.CreateOrUpdateEnvironmentAsync(repository, environment, settings, cancellationToken).ConfigureAwait(false);
                if (observed is null)
                {
                    await CheckAppsThroughNewEnvironmentAsync(plan, environment, cancellationToken).ConfigureAwait(false);
                }

                break;

            case StepKind.Single when first.Kind == ChangeKind.BranchPattern && first.Action == ChangeAction.Create:
                await _environments.CreateDeploymentBranchPolicyAsync(repository, environment, first.Pattern!, cancellationToken).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.BranchPattern:
                await IgnoreNotFound(_environments.DeleteDeploymentBranchPolicyAsync(repository, environment, first.PolicyId!.Value, cancellationToken)).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.ProtectionRule && first.Action == ChangeAction.Create:
                try
                {
                    await _protectionRules!.EnableProtectionRuleAsync(repository, environment, first.AppId!.Value, cancellationToken).ConfigureAwait(false);
                }
                catch (RemoteServiceException e) when (plan.ProtectedSettingsFirst && e.StatusCode is 403 or 404 or 422 && plan.Observed.FindEnvironment(environment) is null)
                {
                    // The plan gate could not be checked and GitHub refused the rule: the environment this apply just
                    // created for it is deleted again, so that it does not stay without its protection.
                    await IgnoreNotFound(_environments.DeleteEnvironmentAsync(repository, environment, cancellationToken)).ConfigureAwait(false);
                    throw;
                }

                break;

            case StepKind.Single when first.Kind == ChangeKind.ProtectionRule:
                await IgnoreNotFound(_protectionRules!.DisableProtectionRuleAsync(repository, environment, first.RuleId!.Value, cancellationToken)).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.Variable && first.Action == ChangeAction.Delete:
                await IgnoreNotFound(_variables.DeleteEnvironmentVariableAsync(repository, environment, first.Target!, cancellationToken)).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.Variable:
                await SetVariableAsync(repository, environment, first, cancellationToken).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.Secret && first.Action == ChangeAction.Delete:
                await IgnoreNotFound(_secrets.DeleteEnvironmentSecretAsync(repository, environment, first.Target!, cancellationToken)).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.Secret:
                await _secrets.SetEnvironmentSecretAsync(repository, environment, first.Target!, secretValues[step.ChangeIndexes[0]], cancellationToken).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.FederatedCredential:
                await (_credentials ?? throw MissingAzure("federated credential writer"))
                    .CreateOrUpdateFederatedIdentityCredentialAsync(first.LoginIdentity, first.FederatedCredential!, cancellationToken).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.RoleAssignment:
                await (_roles ?? throw MissingAzure("role assignment writer"))
                    .CreateRoleAssignmentAsync(first.RoleScope!, first.RoleDefinitionId!, first.RolePrincipalId, cancellationToken).ConfigureAwait(false);
                break;

            case StepKind.Single when first.Kind == ChangeKind.Environment && first.Action == ChangeAction.Delete:
                await IgnoreNotFound(_environments.DeleteEnvironmentAsync(repository, environment, cancellationToken)).ConfigureAwait(false);
                break;

            default:
                throw new InvalidOperationException($"The applier cannot execute '{first.Describe()}'.");
        }
    }

    private static InvalidOperationException MissingAzure(string what) =>
        new($"The plan has Azure changes but no {what} is registered: register an Azure provider (AddAzureMachineLearning) or the in-memory fakes (UseInMemory).");

        private async Task SetVariableAsync(RepositoryId repository, string environment, PlannedChange change, CancellationToken cancellationToken)
    {
        var value = change.VariableValue!;
        try
        {
            if (change.Action == ChangeAction.Create)
            {
                await _variables.CreateEnvironmentVariableAsync(repository, environment, change.Target!, value, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _variables.UpdateEnvironmentVariableAsync(repository, environment, change.Target!, value, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RemoteServiceException e) when (change.Action == ChangeAction.Create && e.StatusCode == 409)
        {
            // Created since the plan was read (for example by an interrupted apply): set the value instead.
            await _variables.UpdateEnvironmentVariableAsync(repository, environment, change.Target!, value, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteServiceException e) when (change.Action == ChangeAction.Update && e.StatusCode == 404)
        {
            await _variables.CreateEnvironmentVariableAsync(repository, environment, change.Target!, value, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task IgnoreNotFound(Task delete)
    {
        try
        {
            await delete.ConfigureAwait(false);
        }
        catch (RemoteServiceException e) when (e.StatusCode == 404)
        {
            // Already gone: the goal of a delete is reached.
        }
    }

    private async Task<Dictionary<int, string>> ResolveSecretsAsync(RepositoryPlan plan, CancellationToken cancellationToken)
    {
        var values = new Dictionary<int, string>();
        var errors = new List<ValidationError>();
        for (var i = 0; i < plan.Changes.Length; i++)
        {
            var change = plan.Changes[i];
            if (change.Kind != ChangeKind.Secret || change.Action == ChangeAction.Delete || change.SecretValue is null)
            {
                continue;
            }

            var path = $"environments[{change.EnvironmentName}].secrets[{change.Target}]";
            var value = await _secretResolver.ResolveAsync(change.SecretValue, cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                errors.Add(new ValidationError(path, ValidationRules.SecretReferenceUnresolved,
                    change.SecretValue.Source switch
                    {
                        SecretSource.EnvironmentVariable => $"The environment variable '{change.SecretValue.Reference}' is not set; set it before applying.",
                        SecretSource.Configuration => $"The configuration key '{change.SecretValue.Reference}' has no value; add it before applying.",
                        _ => "The secret has no value to set.",
                    },
                    change.SecretValue.Reference));
                continue;
            }

            if (change.ComposeSecret is { } compose)
            {
                value = compose(value);
            }

            var before = errors.Count;
            DefinitionValidator.ValidateSecretSize(SecretValue.FromValue(value), path, errors);
            if (errors.Count == before)
            {
                values[i] = value;
            }
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();
        return values;
    }

    private async Task<Dictionary<Reviewer, long>> ResolveReviewersAsync(RepositoryPlan plan, CancellationToken cancellationToken)
    {
        var environments = plan.Changes.Where(IsSettingsChange).Select(c => c.EnvironmentName)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => plan.Desired.FindEnvironment(name)!);
        return await ReviewerIds.ResolveAsync(plan.Repository, environments, plan.ReviewerIds, _identities, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSettingsChange(PlannedChange change) =>
        change.Kind is ChangeKind.Reviewers or ChangeKind.WaitTimer or ChangeKind.PreventSelfReview or ChangeKind.AdminsBypass or ChangeKind.BranchPolicy ||
        (change.Kind == ChangeKind.Environment && change.Action == ChangeAction.Create);

    /// <summary>
    /// The plan checks that every App it enables is installed by listing the Apps through an existing environment; a
    /// repository without environments has none to ask through. Then the check happens here, right after the first
    /// environment is created (nothing else has been written yet; each later new environment asks again, one read):
    /// every App the plan enables, in every environment, is
    /// looked up in the list GitHub gives through the new environment, and if one is missing, the environment just
    /// created is deleted again and the apply fails naming the App, so that no environment is left half-configured.
    /// </summary>
    private async Task CheckAppsThroughNewEnvironmentAsync(RepositoryPlan plan, string environment, CancellationToken cancellationToken)
    {
        if (!plan.Observed.Environments.IsEmpty || _protectionRules is not IGitHubProtectionRuleReader reader)
        {
            return;
        }

        var enabling = plan.Changes.Where(c => c.Kind == ChangeKind.ProtectionRule && c.Action == ChangeAction.Create).ToList();
        if (enabling.Count == 0)
        {
            return;
        }

        var repository = plan.Repository;
        var apps = await reader.ListAvailableProtectionRuleAppsAsync(repository, environment, cancellationToken).ConfigureAwait(false);
        var installed = new HashSet<long>(apps.Select(a => a.Id));
        var errors = new List<ValidationError>();
        foreach (var change in enabling.Where(c => !installed.Contains(c.AppId!.Value)))
        {
            var appId = change.AppId!.Value;
            var declared = plan.Desired.FindEnvironment(change.EnvironmentName)!;
            var available = apps.Count == 0 ? "none" : string.Join(", ", apps.Select(a => PlannedChange.AppDisplay(a.Id, a.Slug)));
            errors.Add(new ValidationError($"environments[{declared.Name}].protectionRules[{declared.ProtectionRuleAppIds.IndexOf(appId)}]",
                ValidationRules.ProtectionRuleAppNotInstalled,
                $"GitHub App {appId} is not installed on {repository} (or cannot be a deployment protection rule), so it cannot be enabled on '{declared.Name}'. " +
                $"Install the App on the repository (its id is on the App's settings page), then apply again; environment '{environment}', created to ask GitHub, was deleted again. Apps that can be enabled: {available}.",
                appId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (errors.Count > 0)
        {
            await _environments.DeleteEnvironmentAsync(repository, environment, cancellationToken).ConfigureAwait(false);
            ValidationResult.FromErrors(errors).ThrowIfInvalid();
        }
    }

    private static List<Step> BuildSteps(RepositoryPlan plan)
    {
        // Per environment, in plan order: settings (one write for every settings change), then Azure login changes,
        // patterns, protection rules, variables, secrets; whole-environment deletions last of all.
        var steps = new List<Step>();
        var deletions = new List<Step>();
        var placed = new HashSet<int>();
        if (plan.ProtectedSettingsFirst)
        {
            // GitHub's plan gate could not be checked: each protected environment's settings write and protection
            // rules go first, so that a refusal (422/403/404) leaves nothing else written.
            foreach (var group in Enumerable.Range(0, plan.Changes.Length).Where(i => PlanGate.IsProtectedWrite(plan.Changes[i]))
                         .GroupBy(i => plan.Changes[i].EnvironmentName, StringComparer.OrdinalIgnoreCase))
            {
                var settings = group.Where(i => IsSettingsChange(plan.Changes[i])).ToArray();
                if (settings.Length > 0)
                {
                    steps.Add(new Step(StepKind.Settings, settings));
                }

                steps.AddRange(group.Where(i => plan.Changes[i].Kind == ChangeKind.ProtectionRule).Select(i => new Step(StepKind.Single, [i])));
                placed.UnionWith(group);
            }
        }

        var order = plan.Changes.Select(c => c.EnvironmentName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var environment in order)
        {
            var indexes = Enumerable.Range(0, plan.Changes.Length)
                .Where(i => !placed.Contains(i) && string.Equals(plan.Changes[i].EnvironmentName, environment, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var settings = indexes.Where(i => IsSettingsChange(plan.Changes[i])).ToArray();
            if (settings.Length > 0)
            {
                steps.Add(new Step(StepKind.Settings, settings));
            }

            foreach (var kind in new[] { ChangeKind.FederatedCredential, ChangeKind.RoleAssignment, ChangeKind.BranchPattern, ChangeKind.ProtectionRule, ChangeKind.Variable, ChangeKind.Secret })
            {
                steps.AddRange(indexes.Where(i => plan.Changes[i].Kind == kind).Select(i => new Step(StepKind.Single, [i])));
            }

            deletions.AddRange(indexes
                .Where(i => plan.Changes[i].Kind == ChangeKind.Environment && plan.Changes[i].Action == ChangeAction.Delete)
                .Select(i => new Step(StepKind.Single, [i])));
        }

        steps.AddRange(deletions);
        return steps;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Applied to {Repository}: {Change}")]
    private static partial void LogApplied(ILogger logger, RepositoryId repository, PlannedChange change);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Failed on {Repository}: {Change}")]
    private static partial void LogFailed(ILogger logger, RepositoryId repository, PlannedChange change, Exception exception);

    private enum StepKind
    {
        Settings,
        Single,
    }

    private sealed record Step(StepKind Kind, int[] ChangeIndexes);
}
