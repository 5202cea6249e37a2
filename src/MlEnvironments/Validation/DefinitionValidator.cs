using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MlEnvironments.Rules;
using F = MlEnvironments.Serialization.DefinitionFormat;

namespace MlEnvironments;

/// <summary>Checks definitions against GitHub's and Azure's rules and reports every violation at once.</summary>
internal static class DefinitionValidator
{
    internal const int MaxEnvironmentNameLength = NameRules.MaxEnvironmentNameLength;
    internal const int MaxReviewers = DefinitionRules.MaxReviewers;
    internal const int MaxWaitTimerMinutes = DefinitionRules.MaxWaitTimerMinutes;
    internal const int MaxSecretsPerEnvironment = 100;
    internal const int MaxVariablesPerEnvironment = 100;
    internal const int MaxValueBytes = 48 * 1024;
    internal const int MaxProtectionRules = 6;

    public static ValidationResult Validate(RepositorySetDefinition set)
    {
        var errors = new List<ValidationError>();
        var seen = new Dictionary<RepositoryId, int>();
        for (var i = 0; i < set.Repositories.Length; i++)
        {
            var repository = set.Repositories[i];
            var path = $"repositories[{(repository.Repository.IsEmpty ? i.ToString(CultureInfo.InvariantCulture) : repository.Repository.ToString())}]";
            if (!repository.Repository.IsEmpty)
            {
                if (seen.TryGetValue(repository.Repository, out var first))
                {
                    errors.Add(new ValidationError(path, ValidationRules.RepositoryDuplicate,
                        $"Repository is declared twice (first at index {first}); declare each repository once.", repository.Repository.ToString()));
                }
                else
                {
                    seen.Add(repository.Repository, i);
                }
            }

            ValidateRepository(repository, path + ".", errors);
        }

        return ValidationResult.FromErrors(errors);
    }

    public static ValidationResult Validate(RepositoryDefinition repository)
    {
        var errors = new List<ValidationError>();
        ValidateRepository(repository, string.Empty, errors);
        return ValidationResult.FromErrors(errors);
    }

    public static ValidationResult Validate(EnvironmentDefinition environment)
    {
        var errors = new List<ValidationError>();
        ValidateEnvironment(environment, $"environments[{NameRules.Escape(environment.Name)}]", errors);
        return ValidationResult.FromErrors(errors);
    }

    private static void ValidateRepository(RepositoryDefinition repository, string prefix, List<ValidationError> errors)
    {
        if (repository.Repository.IsEmpty)
        {
            errors.Add(new ValidationError(prefix + "repository", ValidationRules.RepositoryRequired,
                "A repository definition needs a repository: 'owner/name'."));
        }

        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var environment in repository.Environments)
        {
            var path = $"{prefix}environments[{NameRules.Escape(environment.Name)}]";
            if (names.TryGetValue(environment.Name, out var existing))
            {
                errors.Add(new ValidationError(path + ".name", ValidationRules.EnvironmentNameDuplicate,
                    DefinitionRules.DuplicateEnvironmentNameMessage(environment.Name, existing), environment.Name));
            }
            else
            {
                names.Add(environment.Name, environment.Name);
            }

            ValidateEnvironment(environment, path, errors);
        }
    }

    private static void ValidateEnvironment(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        ValidateEnvironmentName(environment.Name, path + ".name", errors);
        ValidateEnumValues(environment, path, errors);
        ValidateReviewers(environment, path, errors);
        ValidateWaitTimer(environment.WaitTimer, path + "." + F.WaitTimerMinutes, errors);
        ValidateBranchPolicy(environment.BranchPolicy, path + ".branchPolicy", errors);
        if (environment.Binding is not null)
        {
            ValidateWorkspace(environment.Binding.Workspace, path + ".workspace", errors);
            if (environment.Binding.Registry is { } registry &&
                (!Guid.TryParseExact(registry.SubscriptionId, "D", out _) || !IsValidResourceGroup(registry.ResourceGroupName) || !IsValidWorkspaceName(registry.RegistryName)))
            {
                // Each part becomes a segment of ARM URLs.
                errors.Add(new ValidationError(path + ".workspace.registry", ValidationRules.WorkspaceRegistry,
                    "A registry is an Azure ML registry's ARM id: a subscription GUID, a valid resource group, and a name of 3 to 33 letters, digits, '-' or '_' starting with a letter or digit.",
                    NameRules.Escape(registry.ResourceId)));
            }

            if (environment.Binding.Login is { } login)
            {
                ValidateLogin(environment, login, path + ".workspace.login", errors);
            }
        }

        ValidateVariables(environment, path, errors);
        ValidateSecrets(environment, path, errors);
        ValidateGates(environment, path, errors);
        ValidateProtectionRules(environment, path, errors);
    }

    // Every enum a definition holds: a value cast from a number (e.g. (MetricDirection)99) is refused by name.
    private static void ValidateEnumValues(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        CheckDefined(environment.BranchPolicy.Kind, $"{path}.{F.BranchPolicy}.{F.Mode}", errors);
        for (var i = 0; i < environment.BranchPolicy.Patterns.Length; i++)
        {
            CheckDefined(environment.BranchPolicy.Patterns[i].Type, $"{path}.{F.BranchPolicy}.{F.Patterns}[{i}]", errors);
        }

        for (var i = 0; i < environment.Reviewers.Length; i++)
        {
            CheckDefined(environment.Reviewers[i].Kind, $"{path}.{F.Reviewers}[{i}]", errors);
        }

        for (var i = 0; i < environment.Gates.Length; i++)
        {
            CheckDefined(environment.Gates[i].Kind, $"{path}.{F.Gates}[{i}].{F.Type}", errors);
            CheckDefined(environment.Gates[i].Direction, $"{path}.{F.Gates}[{i}].{F.Direction}", errors);
        }

        if (environment.Binding?.Login is { } login)
        {
            CheckDefined(login.Kind, $"{path}.{F.Workspace}.{F.Login}", errors);
            if (login.ClientSecret is { } clientSecret)
            {
                CheckDefined(clientSecret.Source, $"{path}.{F.Workspace}.{F.Login}.{F.ServicePrincipal}.{F.ClientSecret}", errors);
            }
        }

        foreach (var secret in environment.Secrets)
        {
            CheckDefined(secret.Value.Source, $"{path}.{F.Secrets}[{NameRules.Escape(secret.Name)}]", errors);
        }
    }

    internal static bool CheckDefined<T>(T value, string path, List<ValidationError> errors)
        where T : struct, Enum
    {
        if (Enum.IsDefined(value))
        {
            return true;
        }

        errors.Add(new ValidationError(path, ValidationRules.UndefinedValue,
            $"{typeof(T).Name} has no member {value}; use one of: {string.Join(", ", Enum.GetNames<T>())}.", value.ToString()));
        return false;
    }

    private static void ValidateGates(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        for (var i = 0; i < environment.Gates.Length; i++)
        {
            var gate = environment.Gates[i];
            var itemPath = $"{path}.gates[{i}]";
            switch (gate.Kind)
            {
                case PromotionGateKind.MetricAtLeast or PromotionGateKind.MetricAtMost or PromotionGateKind.ImprovesOnChampion:
                    if (string.IsNullOrWhiteSpace(gate.Metric))
                    {
                        errors.Add(new ValidationError(itemPath + ".metric", ValidationRules.GateMetricRequired,
                            "A metric gate needs the metric's name, as the training run logged it (e.g. 'auc').", gate.Metric));
                    }

                    if (gate.Kind == PromotionGateKind.ImprovesOnChampion)
                    {
                        CheckChange(gate.MinAbsoluteChange, itemPath + ".minAbsoluteChange", errors);
                        CheckChange(gate.MinRelativeChange, itemPath + ".minRelativeChange", errors);
                    }
                    else if (!double.IsFinite(gate.Threshold))
                    {
                        errors.Add(new ValidationError(itemPath + ".threshold", ValidationRules.GateValueFinite,
                            "A threshold must be a finite number.", gate.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    break;
                case PromotionGateKind.RequiredTag or PromotionGateKind.RequiredProperty:
                    if (string.IsNullOrWhiteSpace(gate.Key))
                    {
                        errors.Add(new ValidationError(itemPath + ".key", ValidationRules.GateKeyRequired,
                            $"A required {(gate.Kind == PromotionGateKind.RequiredTag ? "tag" : "property")} gate needs a key.", gate.Key));
                    }

                    break;
            }
        }

        for (var i = 0; i < environment.Gates.Length; i++)
        {
            var low = environment.Gates[i];
            for (var j = 0; j < environment.Gates.Length; j++)
            {
                var high = environment.Gates[j];
                if (low.Kind == PromotionGateKind.MetricAtLeast && high.Kind == PromotionGateKind.MetricAtMost &&
                    string.Equals(low.Metric, high.Metric, StringComparison.Ordinal) && low.Threshold > high.Threshold)
                {
                    errors.Add(new ValidationError($"{path}.gates[{Math.Max(i, j)}]", ValidationRules.GateContradiction,
                        $"No value of '{low.Metric}' can pass both '{low}' and '{high}'.", low.Metric));
                }
            }
        }
    }

    private static void CheckChange(double value, string path, List<ValidationError> errors)
    {
        var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            errors.Add(new ValidationError(path, ValidationRules.GateValueFinite, "A minimum change must be a finite number.", text));
        }
        else if (value < 0)
        {
            errors.Add(new ValidationError(path, ValidationRules.GateChangeNegative,
                "A minimum change is 0 or more: the direction says which way is better.", text));
        }
    }

    private static void ValidateProtectionRules(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        for (var i = 0; i < environment.ProtectionRuleAppIds.Length; i++)
        {
            if (environment.ProtectionRuleAppIds[i] <= 0)
            {
                errors.Add(new ValidationError($"{path}.protectionRules[{i}]", ValidationRules.ProtectionRuleAppId,
                    "A protection rule is a GitHub App's numeric id (a positive number).",
                    environment.ProtectionRuleAppIds[i].ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (environment.ProtectionRuleAppIds.Length > MaxProtectionRules)
        {
            errors.Add(new ValidationError(path + ".protectionRules", ValidationRules.ProtectionRulesLimit,
                $"GitHub enables at most {MaxProtectionRules} custom protection rules per environment; this one has {environment.ProtectionRuleAppIds.Length}.",
                environment.ProtectionRuleAppIds.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    internal static void ValidateEnvironmentName(string name, string path, List<ValidationError> errors) =>
        errors.AddRange(NameRules.CheckEnvironmentName(name, path));

    private static void ValidateReviewers(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        var reviewers = environment.Reviewers;
        if (DefinitionRules.CheckReviewerCount(reviewers.Length) is { } tooMany)
        {
            errors.Add(new ValidationError(path + ".reviewers", tooMany.Rule, tooMany.Message, string.Join(", ", reviewers)));
        }

        var seen = new HashSet<Reviewer>();
        for (var i = 0; i < reviewers.Length; i++)
        {
            var reviewer = reviewers[i];
            var itemPath = $"{path}.reviewers[{i}]";
            if (!seen.Add(reviewer))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.ReviewerDuplicate,
                    $"Reviewer {reviewer} is declared more than once; declare each reviewer once.", reviewer.ToString()));
            }

            if (DefinitionRules.CheckReviewerName(reviewer.Name, isTeam: reviewer.Kind == ReviewerKind.Team) is { } badName)
            {
                errors.Add(new ValidationError(itemPath, badName.Rule, badName.Message, reviewer.Name));
            }
        }

        if (DefinitionRules.CheckPreventSelfReview(environment.PreventsSelfReview, reviewers.Length) is { } selfReview)
        {
            errors.Add(new ValidationError(path + ".preventSelfReview", selfReview.Rule, selfReview.Message, "true"));
        }
    }

    private static void ValidateWaitTimer(TimeSpan waitTimer, string path, List<ValidationError> errors)
    {
        var text = waitTimer.Ticks % TimeSpan.TicksPerMinute == 0
            ? EnvironmentDefinition.FormatMinutes(waitTimer)
            : waitTimer.ToString("c", CultureInfo.InvariantCulture);
        foreach (var finding in DefinitionRules.CheckWaitTimer(waitTimer.Ticks))
        {
            errors.Add(new ValidationError(path, finding.Rule, finding.Message, text));
        }
    }

    private static void ValidateBranchPolicy(DeploymentBranchPolicy policy, string path, List<ValidationError> errors)
    {
        if (policy.Kind != DeploymentBranchPolicyKind.CustomPatterns && !policy.Patterns.IsEmpty)
        {
            errors.Add(new ValidationError(path + ".patterns", ValidationRules.BranchPatternRequiresCustomPolicy,
                $"Branch and tag patterns apply only to a custom policy; this policy is '{policy.Kind}'. Use custom patterns or remove them.",
                string.Join(", ", policy.Patterns)));
        }

        if (policy.Kind == DeploymentBranchPolicyKind.CustomPatterns && policy.Patterns.IsEmpty)
        {
            errors.Add(new ValidationError(path + ".patterns", ValidationRules.BranchPolicyWithoutPatterns,
                "A custom deployment branch policy without any pattern lets no branch or tag deploy; add a pattern (AllowBranches, AllowTags) or choose all or protected branches."));
        }

        var seen = new HashSet<DeploymentRefPattern>();
        for (var i = 0; i < policy.Patterns.Length; i++)
        {
            var pattern = policy.Patterns[i];
            var itemPath = $"{path}.patterns[{i}]";
            if (string.IsNullOrWhiteSpace(pattern.Pattern))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.BranchPatternEmpty,
                    $"A {pattern.Type.ToString().ToLowerInvariant()} pattern must not be empty.", pattern.Pattern));
            }
            else if (!seen.Add(pattern))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.BranchPatternDuplicate,
                    $"The {pattern.Type.ToString().ToLowerInvariant()} pattern '{pattern.Pattern}' is declared more than once.", pattern.Pattern));
            }
        }
    }

    internal static void ValidateWorkspace(WorkspaceId workspace, string path, List<ValidationError> errors)
    {
        if (DefinitionRules.CheckSubscriptionId(workspace.SubscriptionId) is { } subscription)
        {
            errors.Add(new ValidationError(path + ".subscriptionId", subscription.Rule, subscription.Message, workspace.SubscriptionId));
        }

        if (DefinitionRules.CheckResourceGroup(workspace.ResourceGroupName) is { } resourceGroup)
        {
            errors.Add(new ValidationError(path + ".resourceGroup", resourceGroup.Rule, resourceGroup.Message, workspace.ResourceGroupName));
        }

        if (DefinitionRules.CheckWorkspaceName(workspace.WorkspaceName) is { } workspaceName)
        {
            errors.Add(new ValidationError(path + ".name", workspaceName.Rule, workspaceName.Message, workspace.WorkspaceName));
        }
    }

    private static void ValidateLogin(EnvironmentDefinition environment, WorkspaceLogin login, string path, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(login.Kind))
        {
            return;
        }

        if (login.Kind == WorkspaceLoginKind.Oidc)
        {
            var identity = login.Identity;
            if (!Guid.TryParseExact(identity.SubscriptionId, "D", out _) || !IsValidResourceGroup(identity.ResourceGroupName) ||
                identity.Name.Length is < 3 or > 128 || !char.IsAsciiLetterOrDigit(identity.Name[0]) ||
                !identity.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add(new ValidationError(path + ".oidc.identity", ValidationRules.LoginIdentity,
                    "An OIDC login needs a user-assigned managed identity: a subscription GUID, a valid resource group, and a name of 3 to 128 letters, digits, '-' or '_'.",
                    identity.ResourceId));
            }

            var role = login.RoleDefinitionId;
            if (!Identity.RoleAssignments.TryGetRoleGuid(role, out _))
            {
                errors.Add(new ValidationError(path + ".oidc.role", ValidationRules.LoginRole,
                    $"A role is a role definition GUID (AzureML Data Scientist is {WorkspaceLogin.AzureMLDataScientistRoleId}) or its ARM id.", role));
            }

            foreach (var reserved in new[] { WorkspaceLogin.ClientIdVariable, WorkspaceLogin.TenantIdVariable })
            {
                if (environment.Variables.Any(v => string.Equals(v.Name, reserved, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add(new ValidationError($"{path[..path.LastIndexOf(".workspace", StringComparison.Ordinal)]}.variables[{reserved}]", ValidationRules.LoginReservedName,
                        $"{reserved} is set by the OIDC login from the managed identity; do not declare it.", reserved));
                }
            }
        }
        else
        {
            if (login.ClientId == Guid.Empty || login.TenantId == Guid.Empty || login.ClientSecret is null ||
                login.ClientSecret.Source == SecretSource.Existing ||
                (login.ClientSecret.Source is SecretSource.EnvironmentVariable or SecretSource.Configuration && string.IsNullOrWhiteSpace(login.ClientSecret.Reference)))
            {
                errors.Add(new ValidationError(path + ".servicePrincipal", ValidationRules.LoginServicePrincipal,
                    "A service principal login needs its client id, its tenant, and where its secret comes from (an environment variable, a configuration key or a value).",
                    login.ToString()));
            }

            if (environment.Secrets.Any(s => string.Equals(s.Name, WorkspaceLogin.CredentialsSecretName, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new ValidationError($"{path[..path.LastIndexOf(".workspace", StringComparison.Ordinal)]}.secrets[{WorkspaceLogin.CredentialsSecretName}]", ValidationRules.LoginReservedName,
                    $"{WorkspaceLogin.CredentialsSecretName} is composed by the service principal login; do not declare it.", WorkspaceLogin.CredentialsSecretName));
            }
        }
    }

    private static void ValidateVariables(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (environment.Binding is not null)
        {
            foreach (var variable in environment.Binding.GetVariables())
            {
                names[variable.Name] = "the workspace binding";
            }
        }

        for (var i = 0; i < environment.Variables.Length; i++)
        {
            var variable = environment.Variables[i];
            var itemPath = $"{path}.variables[{NameRules.Escape(variable.Name)}]";
            ValidateName(variable.Name, itemPath, isSecret: false, errors);
            if (names.TryGetValue(variable.Name, out var owner))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.VariableNameDuplicate,
                    $"Variable names are not case-sensitive; '{variable.Name}' is already set by {owner}.", variable.Name));
            }
            else
            {
                names.Add(variable.Name, $"variable '{variable.Name}'");
            }

            var bytes = Encoding.UTF8.GetByteCount(variable.Value);
            if (bytes > MaxValueBytes)
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.VariableValueSize,
                    $"A variable value is at most 48 KB; this one is {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.", Truncate(variable.Value)));
            }
        }

        if (names.Count > MaxVariablesPerEnvironment)
        {
            errors.Add(new ValidationError(path + ".variables", ValidationRules.VariablesLimit,
                $"An environment holds at most {MaxVariablesPerEnvironment} variables (including the workspace binding's); {names.Count} are declared.",
                names.Count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void ValidateSecrets(EnvironmentDefinition environment, string path, List<ValidationError> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var secret in environment.Secrets)
        {
            var itemPath = $"{path}.secrets[{NameRules.Escape(secret.Name)}]";
            ValidateName(secret.Name, itemPath, isSecret: true, errors);
            if (!names.Add(secret.Name))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.SecretNameDuplicate,
                    $"Secret names are not case-sensitive; '{secret.Name}' is declared more than once.", secret.Name));
            }

            var value = secret.Value;
            if (value.Source is SecretSource.EnvironmentVariable or SecretSource.Configuration && string.IsNullOrWhiteSpace(value.Reference))
            {
                errors.Add(new ValidationError(itemPath, ValidationRules.SecretReferenceEmpty,
                    value.Source == SecretSource.EnvironmentVariable
                        ? "A secret read from an environment variable needs the variable's name."
                        : "A secret read from configuration needs the configuration key."));
            }

            ValidateSecretSize(value, itemPath, errors);
        }

        if (environment.Secrets.Length > MaxSecretsPerEnvironment)
        {
            errors.Add(new ValidationError(path + ".secrets", ValidationRules.SecretsLimit,
                $"An environment holds at most {MaxSecretsPerEnvironment} secrets; {environment.Secrets.Length} are declared.",
                environment.Secrets.Length.ToString(CultureInfo.InvariantCulture)));
        }
    }

    internal static void ValidateSecretSize(SecretValue value, string path, List<ValidationError> errors)
    {
        if (value.TryRevealLiteral(out var plaintext))
        {
            var bytes = Encoding.UTF8.GetByteCount(plaintext);
            if (bytes > MaxValueBytes)
            {
                // The offending value is the size only: the plaintext never goes into an error.
                errors.Add(new ValidationError(path, ValidationRules.SecretValueSize,
                    $"A secret value is at most 48 KB; this one is {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.", $"{SecretValue.Redacted}, {bytes} bytes"));
            }
        }
    }

    private static void ValidateName(string name, string path, bool isSecret, List<ValidationError> errors)
    {
        if (DefinitionRules.CheckSecretOrVariableName(name, isSecret) is { } finding)
        {
            errors.Add(new ValidationError(path, finding.Rule, finding.Message, name));
        }
    }

    internal static bool IsValidSecretOrVariableName(string name) => DefinitionRules.IsValidSecretOrVariableName(name);

    private static bool IsValidResourceGroup(string name) => DefinitionRules.IsValidResourceGroup(name);

    private static bool IsValidWorkspaceName(string name) => DefinitionRules.IsValidWorkspaceName(name);

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
