using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Environments, their deployment branch and tag policies, and custom deployment protection rules, over GitHub's
/// REST API (raw calls through Octokit's connection: Octokit 14 only lists environments, without their rules).
/// </summary>
public sealed class GitHubEnvironmentClient :
    IGitHubEnvironmentReader,
    IGitHubEnvironmentWriter,
    IGitHubProtectionRuleReader,
    IGitHubProtectionRuleWriter
{
    private readonly GitHubConnection _github;

    internal GitHubEnvironmentClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubEnvironment>> ListEnvironmentsAsync(RepositoryId repository, CancellationToken cancellationToken = default)
    {
        var environments = await _github.GetAllAsync<EnvironmentListDto, EnvironmentDto>(
            "repos/get-all-environments", repository, GitHubPath.Repository(repository).Literal("environments"), 100,
            page => page.Environments, cancellationToken).ConfigureAwait(false);
        return environments.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<GitHubEnvironment?> GetEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var dto = await GitHubConnection.RunOrNullAsync("repos/get-environment", repository,
            () => _github.GetAsync<EnvironmentDto>("repos/get-environment", repository, GitHubPath.Environment(repository, environmentName), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return dto is null ? null : ToModel(dto);
    }

    /// <inheritdoc />
    public async Task<GitHubEnvironment> CreateOrUpdateEnvironmentAsync(RepositoryId repository, string environmentName, GitHubEnvironmentSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(settings);
        var body = new EnvironmentPutDto
        {
            DeploymentBranchPolicy = settings.BranchPolicy switch
            {
                DeploymentBranchPolicyKind.ProtectedBranches => new BranchPolicySettingsDto { ProtectedBranches = true, CustomBranchPolicies = false },
                DeploymentBranchPolicyKind.CustomPatterns => new BranchPolicySettingsDto { ProtectedBranches = false, CustomBranchPolicies = true },
                _ => null,
            },
        };
        var clear = settings.ClearUnsetRules;
        if (settings.WaitTimer > TimeSpan.Zero || clear)
        {
            body.WaitTimer = (int)settings.WaitTimer.TotalMinutes;
        }

        if (settings.Reviewers.Count > 0 || clear)
        {
            body.Reviewers = [.. settings.Reviewers.Select(r => new ReviewerReferenceDto { Type = r.Kind == ReviewerKind.User ? "User" : "Team", Id = r.Id })];
        }

        if (settings.PreventSelfReview || clear)
        {
            body.PreventSelfReview = settings.PreventSelfReview;
        }

        if (!settings.CanAdminsBypass || clear)
        {
            body.CanAdminsBypass = settings.CanAdminsBypass;
        }

        const string operation = "repos/create-or-update-environment";
        try
        {
            var dto = await _github.PutAsync<EnvironmentPutDto, EnvironmentDto>(operation, repository,
                GitHubPath.Environment(repository, environmentName), body, cancellationToken).ConfigureAwait(false);
            return ToModel(dto);
        }
        catch (GitHubException e) when (e.StatusCode == 422)
        {
            throw ExplainProtectionRefusal(e, repository, environmentName, body);
        }
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return _github.DeleteAsync("repos/delete-an-environment", repository, GitHubPath.Environment(repository, environmentName), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubDeploymentBranchPolicy>> ListDeploymentBranchPoliciesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var policies = await _github.GetAllAsync<BranchPolicyListDto, BranchPolicyDto>(
            "repos/list-deployment-branch-policies", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment-branch-policies"), 100,
            page => page.BranchPolicies, cancellationToken).ConfigureAwait(false);
        return policies.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<GitHubDeploymentBranchPolicy> CreateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, DeploymentRefPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(pattern);

        // A duplicate answers 303 See Other; Octokit follows it with a GET, so the existing policy comes back.
        var dto = await _github.PostAsync<BranchPolicyCreateDto, BranchPolicyDto>(
            "repos/create-deployment-branch-policy", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment-branch-policies"),
            new BranchPolicyCreateDto { Name = pattern.Pattern, Type = pattern.Type == DeploymentRefType.Tag ? "tag" : "branch" },
            cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <inheritdoc />
    public async Task<GitHubDeploymentBranchPolicy> UpdateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, string pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(pattern);
        var dto = await _github.PutAsync<BranchPolicyUpdateDto, BranchPolicyDto>(
            "repos/update-deployment-branch-policy", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment-branch-policies").Id(policyId),
            new BranchPolicyUpdateDto { Name = pattern }, cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <inheritdoc />
    public Task DeleteDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return _github.DeleteAsync("repos/delete-deployment-branch-policy", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment-branch-policies").Id(policyId), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubProtectionRule>> ListProtectionRulesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var list = await _github.GetAsync<ProtectionRuleListDto>("repos/get-all-deployment-protection-rules", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment_protection_rules"), cancellationToken).ConfigureAwait(false);
        return (list?.CustomDeploymentProtectionRules ?? []).Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubProtectionRuleApp>> ListAvailableProtectionRuleAppsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var apps = await _github.GetAllAsync<ProtectionRuleAppListDto, ProtectionRuleAppDto>(
            "repos/list-custom-deployment-rule-integrations", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment_protection_rules/apps"), 100,
            page => page.AvailableCustomDeploymentProtectionRuleIntegrations, cancellationToken).ConfigureAwait(false);
        return apps.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<GitHubProtectionRule> EnableProtectionRuleAsync(RepositoryId repository, string environmentName, long appId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var dto = await _github.PostAsync<ProtectionRuleCreateDto, CustomProtectionRuleDto>(
            "repos/create-deployment-protection-rule", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment_protection_rules"),
            new ProtectionRuleCreateDto { IntegrationId = appId }, cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <inheritdoc />
    public Task DisableProtectionRuleAsync(RepositoryId repository, string environmentName, long ruleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        return _github.DeleteAsync("repos/disable-deployment-protection-rule", repository,
            GitHubPath.Environment(repository, environmentName).Literal("deployment_protection_rules").Id(ruleId), cancellationToken);
    }

    internal static GitHubEnvironment ToModel(EnvironmentDto dto)
    {
        var timer = TimeSpan.Zero;
        var preventSelfReview = false;
        var reviewers = new List<GitHubReviewer>();
        foreach (var rule in dto.ProtectionRules ?? [])
        {
            switch (rule.Type)
            {
                case "wait_timer":
                    timer = TimeSpan.FromMinutes(rule.WaitTimer ?? 0);
                    break;
                case "required_reviewers":
                    preventSelfReview = rule.PreventSelfReview ?? false;
                    foreach (var entry in rule.Reviewers ?? [])
                    {
                        if (entry.Reviewer is not { } reviewer)
                        {
                            continue;
                        }

                        var kind = string.Equals(entry.Type, "Team", StringComparison.OrdinalIgnoreCase) ? ReviewerKind.Team : ReviewerKind.User;
                        var name = kind == ReviewerKind.Team ? reviewer.Slug : reviewer.Login;
                        reviewers.Add(MlEnvironmentsModelFactory.GitHubReviewer(kind, reviewer.Id, name ?? reviewer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    break;
            }
        }

        var policy = dto.DeploymentBranchPolicy switch
        {
            null => DeploymentBranchPolicyKind.AllBranches,
            { CustomBranchPolicies: true } => DeploymentBranchPolicyKind.CustomPatterns,
            { ProtectedBranches: true } => DeploymentBranchPolicyKind.ProtectedBranches,
            _ => DeploymentBranchPolicyKind.AllBranches,
        };
        return MlEnvironmentsModelFactory.GitHubEnvironment(
            dto.Id, dto.Name, timer, preventSelfReview, dto.CanAdminsBypass ?? true, reviewers, policy, dto.CreatedAt, dto.UpdatedAt);
    }

    private static GitHubDeploymentBranchPolicy ToModel(BranchPolicyDto dto) =>
        MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(dto.Id, dto.Name,
            string.Equals(dto.Type, "tag", StringComparison.OrdinalIgnoreCase) ? DeploymentRefType.Tag : DeploymentRefType.Branch);

    private static GitHubProtectionRuleApp ToModel(ProtectionRuleAppDto dto) =>
        MlEnvironmentsModelFactory.GitHubProtectionRuleApp(dto.Id, dto.Slug,
            Uri.TryCreate(dto.IntegrationUrl, UriKind.Absolute, out var url) ? url : null);

    private static GitHubProtectionRule ToModel(CustomProtectionRuleDto dto) =>
        MlEnvironmentsModelFactory.GitHubProtectionRule(dto.Id,
            dto.App is null ? MlEnvironmentsModelFactory.GitHubProtectionRuleApp(0, "(unknown)") : ToModel(dto.App), dto.Enabled);

    private static GitHubException ExplainProtectionRefusal(GitHubException e, RepositoryId repository, string environmentName, EnvironmentPutDto body)
    {
        var message = e.Message;
        string? explanation = null;
        if (message.Contains("not a permitted key", StringComparison.OrdinalIgnoreCase))
        {
            var field = message.Contains("can_admins_bypass", StringComparison.Ordinal) ? "can_admins_bypass (admins bypass)"
                : message.Contains("prevent_self_review", StringComparison.Ordinal) ? "prevent_self_review (prevent self-review)"
                : "a protection field";
            explanation = $"This GitHub server does not accept {field}: older GitHub Enterprise Server versions lack it. " +
                          "Leave the setting at its default in the definition, or upgrade the server.";
        }
        else if (message.Contains("protection rule", StringComparison.OrdinalIgnoreCase) ||
                 message.Contains("billing", StringComparison.OrdinalIgnoreCase) ||
                 message.Contains("plan", StringComparison.OrdinalIgnoreCase))
        {
            var asked = new List<string>();
            if (body.Reviewers is { Count: > 0 })
            {
                asked.Add("required reviewers");
            }

            if (body.WaitTimer is > 0)
            {
                asked.Add("a wait timer");
            }

            if (body.CanAdminsBypass is false)
            {
                asked.Add("no admin bypass");
            }

            explanation = $"GitHub's plan for {repository} does not allow {(asked.Count > 0 ? string.Join(", ", asked) : "these protection rules")} on environment '{environmentName}': " +
                          "on private or internal repositories, required reviewers, wait timers and admin bypass need GitHub Enterprise (on Free, Pro and Team they work only in public repositories), " +
                          "and deployment branch policies need GitHub Pro, Team or Enterprise.";
        }

        return explanation is null
            ? e
            : new GitHubException(e.Operation, e.StatusCode, explanation + " GitHub said: " + message, e.DocumentationUrl, e.RequestId, e);
    }
}
