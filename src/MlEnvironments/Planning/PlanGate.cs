using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>
/// GitHub's plan gate, checked while planning: in private and internal repositories, environments need GitHub Pro,
/// Team or Enterprise, and protection settings (required reviewers, wait timer, prevent self-review, administrator
/// bypass, custom protection rules) need GitHub Enterprise. A known plan that does not allow what the plan writes
/// fails the plan; an unknown one adds a warning and marks the plan so that the applier writes protected settings first.
/// </summary>
internal static class PlanGate
{
    /// <summary>The protected settings an environment declares, by name; empty when it declares none.</summary>
    internal static List<string> ProtectedSettings(EnvironmentDefinition environment)
    {
        var names = new List<string>();
        if (!environment.Reviewers.IsEmpty)
        {
            names.Add("required reviewers");
        }

        if (environment.WaitTimer > TimeSpan.Zero)
        {
            names.Add("wait timer");
        }

        if (environment.PreventsSelfReview)
        {
            names.Add("prevent self-review");
        }

        if (!environment.CanAdminsBypass)
        {
            names.Add("no administrator bypass");
        }

        if (!environment.ProtectionRuleAppIds.IsEmpty)
        {
            names.Add("custom protection rules");
        }

        return names;
    }

    internal static async Task<RepositoryPlan> CheckAsync(
        RepositoryPlan plan,
        IGitHubRepositoryReader repositories,
        IGitHubAccountPlanReader? accountPlans,
        ConcurrentDictionary<string, GitHubPlan?> knownPlans,
        CancellationToken cancellationToken)
    {
        // Only environments the plan writes matter; a plan without changes writes nothing.
        var written = plan.Changes.Where(c => c.Kind is not (ChangeKind.FederatedCredential or ChangeKind.RoleAssignment) &&
                !(c.Kind == ChangeKind.Environment && c.Action == ChangeAction.Delete))
            .Select(c => c.EnvironmentName).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(plan.Desired.FindEnvironment).OfType<EnvironmentDefinition>().ToList();
        if (written.Count == 0)
        {
            return plan;
        }

        var info = await repositories.GetRepositoryAsync(plan.Repository, cancellationToken).ConfigureAwait(false);
        if (info.Visibility == GitHubRepositoryVisibility.Public)
        {
            return plan;
        }

        var owner = plan.Repository.Owner;
        GitHubPlan? ownerPlan = null;
        if (accountPlans is not null)
        {
            if (!knownPlans.TryGetValue(owner, out ownerPlan))
            {
                ownerPlan = await accountPlans.GetOwnerPlanAsync(owner, cancellationToken).ConfigureAwait(false);
                knownPlans[owner] = ownerPlan;
            }
        }

        var visibility = info.Visibility.ToString().ToLowerInvariant();
        var protectedEnvironments = written.Select(e => (Environment: e, Settings: ProtectedSettings(e))).Where(x => x.Settings.Count > 0).ToList();
        var errors = new List<ValidationError>();
        switch (ownerPlan)
        {
            case GitHubPlan.Enterprise:
                return plan;

            case GitHubPlan.Free:
                errors.Add(new ValidationError("repository", ValidationRules.GitHubPlanFeature,
                    $"{plan.Repository} is {visibility} and {owner} is on GitHub Free, where private repositories have no environments: nothing can be written. " +
                    "Make the repository public, or move the owner to GitHub Pro or Team (environments, secrets, variables, branch policies) or GitHub Enterprise (also reviewers, wait timers and protection rules).",
                    visibility));
                break;

            case GitHubPlan.Pro or GitHubPlan.Team:
                foreach (var (environment, settings) in protectedEnvironments)
                {
                    errors.Add(new ValidationError($"environments[{environment.Name}]", ValidationRules.GitHubPlanFeature,
                        $"'{environment.Name}' declares {string.Join(", ", settings)}, which GitHub allows in {visibility} repositories only on GitHub Enterprise; " +
                        $"{owner} is on GitHub {ownerPlan}. Remove them from the definition, make {plan.Repository} public, or move the owner to GitHub Enterprise. " +
                        "Secrets, variables and branch policies work on this plan.",
                        string.Join(", ", settings)));
                }

                break;

            default:
                if (protectedEnvironments.Count == 0)
                {
                    return plan;
                }

                var names = string.Join(", ", protectedEnvironments.Select(x => $"'{x.Environment.Name}' ({string.Join(", ", x.Settings)})"));
                var warning = new PlanNote(PlanNoteSeverity.Warning, null,
                    $"{plan.Repository} is {visibility} and the token cannot see {owner}'s GitHub plan: {names} need GitHub Enterprise in {visibility} repositories " +
                    "(on GitHub Free a private repository has no environments at all). Apply writes these protected settings first, so that if GitHub refuses them nothing else is written.");
                return Reorder(plan, protectedEnvironments.Select(x => x.Environment.Name), warning);
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();
        return plan;
    }

    /// <summary>
    /// Puts each protected environment's settings and protection-rule changes first (in promotion order), then the
    /// rest in its order, and marks the plan so that the applier keeps that order.
    /// </summary>
    private static RepositoryPlan Reorder(RepositoryPlan plan, IEnumerable<string> protectedEnvironments, PlanNote warning)
    {
        var names = new HashSet<string>(protectedEnvironments, StringComparer.OrdinalIgnoreCase);
        var first = plan.Changes.Where(c => names.Contains(c.EnvironmentName) && IsProtectedWrite(c)).ToList();
        var changes = first.Concat(plan.Changes.Where(c => !first.Contains(c))).ToImmutableArray();
        return new RepositoryPlan(plan.Desired, plan.Observed, plan.Options, changes, plan.Notes.Add(warning))
        {
            ReviewerIds = plan.ReviewerIds,
            ProtectedSettingsFirst = true,
        };
    }

    /// <summary>Whether a change is written by an environment's settings write, or enables a protection rule.</summary>
    internal static bool IsProtectedWrite(PlannedChange change) =>
        change.Kind is ChangeKind.Reviewers or ChangeKind.WaitTimer or ChangeKind.PreventSelfReview or ChangeKind.AdminsBypass or ChangeKind.BranchPolicy ||
        (change.Kind == ChangeKind.Environment && change.Action == ChangeAction.Create) ||
        (change.Kind == ChangeKind.ProtectionRule && change.Action == ChangeAction.Create);
}
