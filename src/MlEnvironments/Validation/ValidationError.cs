using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace MlEnvironments;

/// <summary>One violated rule: where (a path such as <c>environments[prod].reviewers[2]</c>), which rule, and the offending value.</summary>
public sealed class ValidationError : IEquatable<ValidationError>
{
    /// <summary>Creates an error.</summary>
    /// <param name="path">
    /// Where the problem is, in the definition file's property names, e.g. <c>environments[prod].waitTimerMinutes</c>.
    /// </param>
    /// <param name="rule">The rule's stable code, one of <see cref="ValidationRules"/>.</param>
    /// <param name="message">What is wrong and what would be accepted.</param>
    /// <param name="offendingValue">The value that broke the rule, as text; <see langword="null"/> when there is none or it is secret.</param>
    public ValidationError(string path, string rule, string message, string? offendingValue = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(message);
        Path = path;
        Rule = rule;
        Message = message;
        OffendingValue = offendingValue;
    }

    /// <summary>Where the problem is.</summary>
    public string Path { get; }

    /// <summary>The rule's stable code (see <see cref="ValidationRules"/>).</summary>
    public string Rule { get; }

    /// <summary>What is wrong and what would be accepted.</summary>
    public string Message { get; }

    /// <summary>The offending value, as text (never a secret value).</summary>
    public string? OffendingValue { get; }

    /// <inheritdoc />
    public bool Equals(ValidationError? other) =>
        other is not null && Path == other.Path && Rule == other.Rule && Message == other.Message && OffendingValue == other.OffendingValue;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValidationError);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Path, Rule, Message, OffendingValue);

    /// <summary>Returns <c>path: message [rule] (value: …)</c>.</summary>
    public override string ToString() =>
        OffendingValue is null ? $"{Path}: {Message} [{Rule}]" : $"{Path}: {Message} [{Rule}] (value: '{OffendingValue}')";
}

/// <summary>The outcome of validating a definition: every violation, in a stable order.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(ImmutableArray<ValidationError> errors) => Errors = errors;

    /// <summary>A result with no errors.</summary>
    public static ValidationResult Success { get; } = new([]);

    /// <summary>Every violation found.</summary>
    public ImmutableArray<ValidationError> Errors { get; }

    /// <summary>Whether no rule was violated.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Creates a result from errors.</summary>
    /// <param name="errors">The errors.</param>
    /// <returns>The result.</returns>
    public static ValidationResult FromErrors(IEnumerable<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var array = errors.ToImmutableArray();
        return array.IsEmpty ? Success : new ValidationResult(array);
    }

    /// <summary>Throws <see cref="ValidationFailedException"/> listing every error, unless the result is valid.</summary>
    /// <exception cref="ValidationFailedException">The result holds errors.</exception>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ValidationFailedException(this);
        }
    }

    /// <summary>Returns <c>valid</c> or one line per error.</summary>
    public override string ToString() =>
        IsValid ? "valid" : string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));
}

/// <summary>The stable codes of the validation rules.</summary>
public static class ValidationRules
{
    /// <summary>An environment name is empty.</summary>
    public const string EnvironmentNameRequired = Rules.DefinitionRules.EnvironmentNameRequired;

    /// <summary>An environment name is longer than 255 characters.</summary>
    public const string EnvironmentNameLength = Rules.DefinitionRules.EnvironmentNameLength;

    /// <summary>
    /// An environment name has a character GitHub refuses or that cannot travel safely in a workflow file, a URL or a
    /// terminal (see <see cref="NameRules.CheckEnvironmentName"/>).
    /// </summary>
    public const string EnvironmentNameCharacters = Rules.DefinitionRules.EnvironmentNameCharacters;

    /// <summary>Two environments of a repository have the same name, compared without regard to case.</summary>
    public const string EnvironmentNameDuplicate = Rules.DefinitionRules.EnvironmentNameDuplicate;

    /// <summary>More than 6 reviewers (users and teams together).</summary>
    public const string ReviewersLimit = Rules.DefinitionRules.ReviewersLimit;

    /// <summary>The same reviewer twice.</summary>
    public const string ReviewerDuplicate = "reviewer-duplicate";

    /// <summary>A reviewer's login or slug is not a valid GitHub name.</summary>
    public const string ReviewerName = Rules.DefinitionRules.ReviewerName;

    /// <summary>A wait timer outside 0–43,200 minutes.</summary>
    public const string WaitTimerRange = Rules.DefinitionRules.WaitTimerRange;

    /// <summary>A wait timer that is not a whole number of minutes.</summary>
    public const string WaitTimerWholeMinutes = Rules.DefinitionRules.WaitTimerWholeMinutes;

    /// <summary>Prevent self-review without any reviewer.</summary>
    public const string PreventSelfReviewRequiresReviewer = Rules.DefinitionRules.PreventSelfReviewRequiresReviewer;

    /// <summary>An empty branch or tag pattern.</summary>
    public const string BranchPatternEmpty = "branch-pattern-empty";

    /// <summary>The same branch or tag pattern twice.</summary>
    public const string BranchPatternDuplicate = "branch-pattern-duplicate";

    /// <summary>A custom policy without any pattern (nothing could deploy).</summary>
    public const string BranchPolicyWithoutPatterns = "branch-policy-without-patterns";

    /// <summary>Patterns on a policy that is not a custom policy.</summary>
    public const string BranchPatternRequiresCustomPolicy = "branch-pattern-requires-custom-policy";

    /// <summary>A secret name that is not <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public const string SecretNameFormat = Rules.DefinitionRules.SecretNameFormat;

    /// <summary>A secret name that starts with <c>GITHUB_</c>.</summary>
    public const string SecretNameReserved = Rules.DefinitionRules.SecretNameReserved;

    /// <summary>Two secrets with the same name, compared without regard to case.</summary>
    public const string SecretNameDuplicate = "secret-name-duplicate";

    /// <summary>More than 100 secrets in one environment.</summary>
    public const string SecretsLimit = "secrets-limit";

    /// <summary>A secret value larger than 48 KB.</summary>
    public const string SecretValueSize = "secret-value-size";

    /// <summary>A secret reference with an empty variable name or configuration key.</summary>
    public const string SecretReferenceEmpty = "secret-reference-empty";

    /// <summary>A secret reference that could not be resolved when a plan was applied.</summary>
    public const string SecretReferenceUnresolved = "secret-reference-unresolved";

    /// <summary>A variable name that is not <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public const string VariableNameFormat = Rules.DefinitionRules.VariableNameFormat;

    /// <summary>A variable name that starts with <c>GITHUB_</c>.</summary>
    public const string VariableNameReserved = Rules.DefinitionRules.VariableNameReserved;

    /// <summary>Two variables with the same name, compared without regard to case (including those of the workspace binding).</summary>
    public const string VariableNameDuplicate = "variable-name-duplicate";

    /// <summary>More than 100 variables in one environment (including those of the workspace binding).</summary>
    public const string VariablesLimit = "variables-limit";

    /// <summary>A variable value larger than 48 KB.</summary>
    public const string VariableValueSize = "variable-value-size";

    /// <summary>A subscription id that is not a GUID.</summary>
    public const string WorkspaceSubscriptionId = Rules.DefinitionRules.WorkspaceSubscriptionId;

    /// <summary>A resource group name that breaks Azure's rules.</summary>
    public const string WorkspaceResourceGroup = Rules.DefinitionRules.WorkspaceResourceGroup;

    /// <summary>A workspace name that breaks Azure's rules.</summary>
    public const string WorkspaceName = Rules.DefinitionRules.WorkspaceName;

    /// <summary>An OIDC login's managed identity id breaks Azure's rules.</summary>
    public const string LoginIdentity = "login-identity";

    /// <summary>An OIDC login's role is neither a GUID nor a role definition's ARM id.</summary>
    public const string LoginRole = "login-role";

    /// <summary>A service principal login without a client id, tenant or secret source.</summary>
    public const string LoginServicePrincipal = "login-service-principal";

    /// <summary>A variable or secret that the login sets itself is declared too.</summary>
    public const string LoginReservedName = "login-reserved-name";

    /// <summary>A bound workspace that does not exist or is not ready (checked while planning).</summary>
    public const string WorkspaceNotReady = "workspace-not-ready";

    /// <summary>A managed identity that does not exist (checked while planning).</summary>
    public const string LoginIdentityNotFound = "login-identity-not-found";

    /// <summary>More than 20 federated credentials on one identity (existing and planned).</summary>
    public const string FederatedCredentialsLimit = "federated-credentials-limit";

    /// <summary>A repository without owner and name.</summary>
    public const string RepositoryRequired = "repository-required";

    /// <summary>The same repository twice in a set.</summary>
    public const string RepositoryDuplicate = "repository-duplicate";

    /// <summary>A reviewer that does not exist or cannot review deployments of the repository.</summary>
    public const string ReviewerCannotReview = "reviewer-cannot-review";

    /// <summary>A metric gate without a metric name.</summary>
    public const string GateMetricRequired = "gate-metric-required";

    /// <summary>A gate threshold or minimum change that is not a finite number.</summary>
    public const string GateValueFinite = "gate-value-finite";

    /// <summary>A negative minimum change in a champion gate.</summary>
    public const string GateChangeNegative = "gate-change-negative";

    /// <summary>A tag or property gate without a key.</summary>
    public const string GateKeyRequired = "gate-key-required";

    /// <summary>Two gates that contradict each other (e.g. auc ≥ 0.9 and auc ≤ 0.8).</summary>
    public const string GateContradiction = "gate-contradiction";

    /// <summary>A protection-rule App id that is not positive.</summary>
    public const string ProtectionRuleAppId = "protection-rule-app-id";

    /// <summary>
    /// More than 6 protection-rule Apps on one environment: declared, or (while planning) declared plus enabled
    /// ones that are left alone.
    /// </summary>
    public const string ProtectionRulesLimit = "protection-rules-limit";

    /// <summary>A registry id whose subscription, resource group or name breaks Azure's rules.</summary>
    public const string WorkspaceRegistry = "workspace-registry";

    /// <summary>A value of an enumeration that has no such member (e.g. <c>(MetricDirection)99</c>).</summary>
    public const string UndefinedValue = "undefined-value";

    /// <summary>A model name that Azure Machine Learning refuses (see <see cref="NameRules.CheckModelName"/>).</summary>
    public const string ModelName = "model-name";

    /// <summary>A model version that Azure Machine Learning refuses (see <see cref="NameRules.CheckModelVersion"/>).</summary>
    public const string ModelVersion = "model-version";

    /// <summary>A workflow file name that is not a plain <c>.yml</c>/<c>.yaml</c> file name (see <see cref="NameRules.CheckWorkflowFileName"/>).</summary>
    public const string WorkflowFileName = "workflow-file-name";

    /// <summary>
    /// A protection-rule App that is not installed on the repository, or cannot be a deployment protection rule
    /// (checked while planning, before any write).
    /// </summary>
    public const string ProtectionRuleAppNotInstalled = "protection-rule-app-not-installed";

    /// <summary>
    /// The repository's visibility and its owner's GitHub plan do not allow what the definition declares: a private
    /// repository on GitHub Free has no environments; on GitHub Pro and Team, required reviewers, wait timers,
    /// prevent self-review, administrator bypass settings and custom protection rules work only in public
    /// repositories (checked while planning, before any write).
    /// </summary>
    public const string GitHubPlanFeature = "github-plan-feature";
}
