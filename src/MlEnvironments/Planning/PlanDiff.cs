using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>The structural diff of a definition against observed state: a pure function, no I/O.</summary>
internal static class PlanDiff
{
    public static RepositoryPlan Diff(RepositoryDefinition desired, RepositoryState observed, PlanOptions options)
    {
        var changes = ImmutableArray.CreateBuilder<PlannedChange>();
        var notes = ImmutableArray.CreateBuilder<PlanNote>();

        foreach (var environment in desired.Environments)
        {
            var state = observed.FindEnvironment(environment.Name);
            if (state is null)
            {
                PlanNewEnvironment(environment, changes, notes);
            }
            else
            {
                PlanExistingEnvironment(environment, state, options, changes, notes);
            }
        }

        foreach (var state in observed.Environments)
        {
            if (desired.FindEnvironment(state.Environment.Name) is not null)
            {
                continue;
            }

            if (options.Prune)
            {
                changes.Add(new PlannedChange(ChangeAction.Delete, ChangeKind.Environment, state.Environment.Name, null, Summarize(state.Definition), null));
            }
            else
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, state.Environment.Name,
                    "exists on GitHub but is not declared; left alone (prune to delete it)."));
            }
        }

        var reviewerIds = new Dictionary<Reviewer, long>();
        foreach (var state in observed.Environments)
        {
            foreach (var reviewer in state.Environment.Reviewers)
            {
                reviewerIds[reviewer.ToReviewer()] = reviewer.Id;
            }
        }

        return new RepositoryPlan(desired, observed, options, changes.ToImmutable(), notes.ToImmutable()) { ReviewerIds = reviewerIds };
    }

    private static void PlanNewEnvironment(EnvironmentDefinition environment, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        var name = environment.Name;
        changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.Environment, name, null, null, Summarize(environment)));
        if (environment.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns)
        {
            foreach (var pattern in environment.BranchPolicy.Patterns)
            {
                changes.Add(PatternChange(ChangeAction.Create, name, pattern, null));
            }
        }

        // GitHub lists rules only once the environment exists: every declared App is enabled after its creation.
        foreach (var appId in environment.ProtectionRuleAppIds)
        {
            changes.Add(ProtectionRuleChange(ChangeAction.Create, name, appId, null, null));
        }

        foreach (var variable in environment.GetEffectiveVariables())
        {
            changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.Variable, name, variable.Name, null, Quote(variable.Value)) { VariableValue = variable.Value });
        }

        foreach (var secret in environment.Secrets)
        {
            PlanMissingSecret(name, secret, changes, notes);
        }
    }

    private static void PlanExistingEnvironment(
        EnvironmentDefinition desired,
        EnvironmentState state,
        PlanOptions options,
        ImmutableArray<PlannedChange>.Builder changes,
        ImmutableArray<PlanNote>.Builder notes)
    {
        // GitHub keeps the case an environment was created with, and names cannot be changed: use GitHub's spelling.
        var name = state.Environment.Name;
        var observed = state.Definition;
        if (!string.Equals(name, desired.Name, StringComparison.Ordinal))
        {
            notes.Add(new PlanNote(PlanNoteSeverity.Warning, name,
                $"is declared as \"{desired.Name}\"; GitHub names are not case-sensitive and cannot be renamed, so \"{name}\" is managed. OIDC subjects use GitHub's spelling."));
        }

        if (!SameReviewers(desired.Reviewers, observed.Reviewers))
        {
            changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.Reviewers, name, null, FormatReviewers(observed.Reviewers), FormatReviewers(desired.Reviewers)));
        }

        if (desired.WaitTimer != observed.WaitTimer)
        {
            changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.WaitTimer, name, null,
                EnvironmentDefinition.FormatMinutes(observed.WaitTimer), EnvironmentDefinition.FormatMinutes(desired.WaitTimer)));
        }

        if (desired.PreventsSelfReview != observed.PreventsSelfReview)
        {
            changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.PreventSelfReview, name, null, OnOff(observed.PreventsSelfReview), OnOff(desired.PreventsSelfReview)));
        }

        if (desired.CanAdminsBypass != observed.CanAdminsBypass)
        {
            changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.AdminsBypass, name, null, OnOff(observed.CanAdminsBypass), OnOff(desired.CanAdminsBypass)));
        }

        var desiredKind = desired.BranchPolicy.Kind;
        var observedKind = observed.BranchPolicy.Kind;
        if (desiredKind != observedKind)
        {
            changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.BranchPolicy, name, null, PolicyName(observedKind), PolicyName(desiredKind)));
        }

        PlanPatterns(desired, state, options, changes, notes);
        PlanProtectionRules(desired, state, options, changes, notes);
        PlanVariables(desired, state, options, changes, notes);
        PlanSecrets(desired, state, options, changes, notes);
    }

    private static void PlanPatterns(EnvironmentDefinition desired, EnvironmentState state, PlanOptions options, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        if (desired.BranchPolicy.Kind != DeploymentBranchPolicyKind.CustomPatterns)
        {
            // Leaving the custom mode drops GitHub's patterns with it: nothing to delete one by one.
            return;
        }

        var name = state.Environment.Name;
        var observed = state.Environment.BranchPolicy == DeploymentBranchPolicyKind.CustomPatterns
            ? state.BranchPolicies
            : [];
        var existing = new HashSet<DeploymentRefPattern>(observed.Select(p => p.ToPattern()));
        foreach (var pattern in desired.BranchPolicy.Patterns)
        {
            if (!existing.Contains(pattern))
            {
                changes.Add(PatternChange(ChangeAction.Create, name, pattern, null));
            }
        }

        var wanted = new HashSet<DeploymentRefPattern>(desired.BranchPolicy.Patterns);
        foreach (var policy in observed)
        {
            if (wanted.Contains(policy.ToPattern()))
            {
                continue;
            }

            if (options.Prune)
            {
                changes.Add(PatternChange(ChangeAction.Delete, name, policy.ToPattern(), policy.Id));
            }
            else
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Warning, name,
                    $"{policy.ToPattern()} exists but is not declared, so it still lets matching refs deploy; left alone (prune to delete it)."));
            }
        }
    }

    private static void PlanProtectionRules(EnvironmentDefinition desired, EnvironmentState state, PlanOptions options, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        var name = state.Environment.Name;
        if (!state.ProtectionRulesRead)
        {
            if (state.ProtectionRulesUnreadable is { } reason)
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, name,
                    $"custom deployment protection rules could not be read ({reason}); rules that are not declared are not checked."));
            }
            else if (!desired.ProtectionRuleAppIds.IsEmpty)
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Warning, name,
                    "custom deployment protection rules were not read, so the declared ones are not planned; plan with a protection-rule reader (IGitHubProtectionRuleReader)."));
            }

            return;
        }

        var enabled = new HashSet<long>(state.ProtectionRules.Select(r => r.App.Id));
        var creates = desired.ProtectionRuleAppIds.Where(id => !enabled.Contains(id))
            .Select(id => ProtectionRuleChange(ChangeAction.Create, name, id, null, null))
            .ToList();
        var deletes = new List<PlannedChange>();
        var declared = new HashSet<long>(desired.ProtectionRuleAppIds);
        foreach (var rule in state.ProtectionRules)
        {
            if (declared.Contains(rule.App.Id))
            {
                continue;
            }

            if (options.Prune)
            {
                deletes.Add(ProtectionRuleChange(ChangeAction.Delete, name, rule.App.Id, rule.App.Slug, rule.Id));
            }
            else
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, name,
                    $"protection rule {PlannedChange.AppDisplay(rule.App.Id, rule.App.Slug)} is enabled but not declared; left alone (prune to disable it)."));
            }
        }

        // Enabling first never leaves the environment less protected than before, but GitHub enables at most 6
        // rules: when the new ones would not fit next to the old ones, the undeclared ones are disabled first.
        var fits = state.ProtectionRules.Length + creates.Count <= DefinitionValidator.MaxProtectionRules;
        changes.AddRange(fits ? creates.Concat(deletes) : deletes.Concat(creates));
    }

    private static void PlanVariables(EnvironmentDefinition desired, EnvironmentState state, PlanOptions options, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        var name = state.Environment.Name;
        var observed = state.Variables.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in desired.GetEffectiveVariables())
        {
            declared.Add(variable.Name);
            if (!observed.TryGetValue(variable.Name, out var current))
            {
                changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.Variable, name, variable.Name, null, Quote(variable.Value)) { VariableValue = variable.Value });
            }
            else if (!string.Equals(current.Value, variable.Value, StringComparison.Ordinal))
            {
                changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.Variable, name, current.Name, Quote(current.Value), Quote(variable.Value)) { VariableValue = variable.Value });
            }
        }

        foreach (var variable in state.Variables)
        {
            if (declared.Contains(variable.Name))
            {
                continue;
            }

            if (options.Prune)
            {
                changes.Add(new PlannedChange(ChangeAction.Delete, ChangeKind.Variable, name, variable.Name, Quote(variable.Value), null));
            }
            else
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, name, $"variable {variable.Name} exists but is not declared; left alone (prune to delete it)."));
            }
        }
    }

    private static void PlanSecrets(EnvironmentDefinition desired, EnvironmentState state, PlanOptions options, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        var name = state.Environment.Name;
        var observed = state.Secrets.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var secret in desired.Secrets)
        {
            declared.Add(secret.Name);
            if (!observed.TryGetValue(secret.Name, out var current))
            {
                PlanMissingSecret(name, secret, changes, notes);
            }
            else if (options.UpdateSecrets && secret.Value.Source != SecretSource.Existing)
            {
                changes.Add(new PlannedChange(ChangeAction.Update, ChangeKind.Secret, name, current.Name, SecretValue.Redacted, SecretValue.Redacted) { SecretValue = secret.Value });
            }
            else if (secret.Value.Source != SecretSource.Existing)
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, name,
                    $"secret {current.Name} exists (last set {current.UpdatedAt:yyyy-MM-dd HH:mm} UTC); values cannot be compared, so it is left alone (update secrets to set it again)."));
            }
        }

        foreach (var secret in state.Secrets)
        {
            if (declared.Contains(secret.Name))
            {
                continue;
            }

            if (options.Prune)
            {
                changes.Add(new PlannedChange(ChangeAction.Delete, ChangeKind.Secret, name, secret.Name, SecretValue.Redacted, null));
            }
            else
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, name, $"secret {secret.Name} exists but is not declared; left alone (prune to delete it)."));
            }
        }
    }

    private static void PlanMissingSecret(string environmentName, SecretDefinition secret, ImmutableArray<PlannedChange>.Builder changes, ImmutableArray<PlanNote>.Builder notes)
    {
        if (secret.Value.Source == SecretSource.Existing)
        {
            notes.Add(new PlanNote(PlanNoteSeverity.Warning, environmentName,
                $"secret {secret.Name} is declared as existing (managed elsewhere) but GitHub does not have it; set it, or declare where its value comes from."));
            return;
        }

        changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.Secret, environmentName, secret.Name, null, SecretValue.Redacted) { SecretValue = secret.Value });
    }

    private static PlannedChange PatternChange(ChangeAction action, string environmentName, DeploymentRefPattern pattern, long? policyId) =>
        new(action, ChangeKind.BranchPattern, environmentName, pattern.ToString(), action == ChangeAction.Delete ? pattern.Pattern : null, action == ChangeAction.Create ? pattern.Pattern : null)
        {
            Pattern = pattern,
            PolicyId = policyId,
        };

    private static PlannedChange ProtectionRuleChange(ChangeAction action, string environmentName, long appId, string? slug, long? ruleId)
    {
        var display = PlannedChange.AppDisplay(appId, slug);
        return new(action, ChangeKind.ProtectionRule, environmentName, appId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            action == ChangeAction.Delete ? display : null, action == ChangeAction.Create ? display : null)
        {
            AppId = appId,
            RuleId = ruleId,
        };
    }

    internal static bool SameReviewers(ImmutableArray<Reviewer> left, ImmutableArray<Reviewer> right) =>
        left.Length == right.Length && new HashSet<Reviewer>(left).SetEquals(right);

    private static string FormatReviewers(ImmutableArray<Reviewer> reviewers) =>
        reviewers.IsEmpty ? "(none)" : "[" + string.Join(", ", reviewers) + "]";

    private static string OnOff(bool value) => value ? "on" : "off";

    // Values are shown on one line: control characters are escaped so that a value cannot forge extra plan lines.
    private static string Quote(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }

    internal static string PolicyName(DeploymentBranchPolicyKind kind) => kind switch
    {
        DeploymentBranchPolicyKind.AllBranches => "all branches",
        DeploymentBranchPolicyKind.ProtectedBranches => "protected branches",
        _ => "custom patterns",
    };

    private static string Summarize(EnvironmentDefinition environment)
    {
        var parts = new List<string>
        {
            "reviewers " + FormatReviewers(environment.Reviewers),
            "wait timer " + EnvironmentDefinition.FormatMinutes(environment.WaitTimer),
            "prevent self-review " + OnOff(environment.PreventsSelfReview),
            "admins bypass " + OnOff(environment.CanAdminsBypass),
            "branches: " + PolicyName(environment.BranchPolicy.Kind),
        };
        return "{ " + string.Join("; ", parts) + " }";
    }
}
