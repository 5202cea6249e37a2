using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Reviews of the environments workflow runs wait on (required reviewers), and answers to custom deployment
/// protection rules, over GitHub's REST API. Raw calls: Octokit 14 has no pending-deployments read, types the review
/// answer as one deployment (it is an array), and cannot read a <c>pending</c> history entry.
/// </summary>
public sealed class GitHubDeploymentReviewClient : IGitHubDeploymentReviewClient, IGitHubCustomGateReviewer
{
    /// <summary>The longest custom-gate comment GitHub accepts.</summary>
    internal const int MaxGateComment = 1024;

    private readonly GitHubConnection _github;

    internal GitHubDeploymentReviewClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubPendingDeployment>> GetPendingDeploymentsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        var list = await _github.GetAsync<List<PendingDeploymentDto>>("actions/get-pending-deployments-for-run", repository,
            GitHubWorkflowClient.RunPath(repository, runId).Literal("pending_deployments"), cancellationToken).ConfigureAwait(false);
        return (list ?? []).Select(ToModel).ToList();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No environment ids, or a state other than approved or rejected.</exception>
    public async Task ReviewPendingDeploymentsAsync(RepositoryId repository, long runId, IReadOnlyList<long> environmentIds, GitHubReviewState state, string comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentIds);
        ArgumentNullException.ThrowIfNull(comment);
        if (environmentIds.Count == 0)
        {
            throw new ArgumentException("Name at least one environment to review.", nameof(environmentIds));
        }

        var body = new PendingDeploymentReviewDto { EnvironmentIds = [.. environmentIds], State = DecisionText(state, nameof(state)), Comment = comment };
        await _github.PostAsync<PendingDeploymentReviewDto, List<DeploymentDto>>("actions/review-pending-deployments-for-run", repository,
            GitHubWorkflowClient.RunPath(repository, runId).Literal("pending_deployments"), body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubDeploymentReview>> ListReviewsAsync(RepositoryId repository, long runId, CancellationToken cancellationToken = default)
    {
        var list = await _github.GetAsync<List<EnvironmentApprovalDto>>("actions/get-reviews-for-run", repository,
            GitHubWorkflowClient.RunPath(repository, runId).Literal("approvals"), cancellationToken).ConfigureAwait(false);
        return (list ?? []).Select(a => MlEnvironmentsModelFactory.GitHubDeploymentReview(
            ParseDecision(a.State),
            a.User?.Login,
            a.Comment,
            (a.Environments ?? []).Select(e => e.Name ?? e.Id.ToString(CultureInfo.InvariantCulture)))).ToList();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A state other than approved or rejected.</exception>
    public async Task ReviewCustomGateAsync(RepositoryId repository, long runId, string environmentName, GitHubReviewState state, string? comment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(environmentName);
        var body = new CustomGateReviewDto
        {
            EnvironmentName = environmentName,
            State = DecisionText(state, nameof(state)),
            Comment = comment is null ? null : GitHubDeploymentClient.Cut(comment, MaxGateComment),
        };
        await _github.PostAsync<CustomGateReviewDto, object>("actions/review-custom-gates-for-run", repository,
            GitHubWorkflowClient.RunPath(repository, runId).Literal("deployment_protection_rule"), body, cancellationToken).ConfigureAwait(false);
    }

    private static string DecisionText(GitHubReviewState state, string parameter) => state switch
    {
        GitHubReviewState.Approved => "approved",
        GitHubReviewState.Rejected => "rejected",
        _ => throw new ArgumentException($"A review approves or rejects; {state} is not a decision.", parameter),
    };

    private static GitHubReviewState ParseDecision(string? text) => text?.ToLowerInvariant() switch
    {
        "approved" => GitHubReviewState.Approved,
        "rejected" => GitHubReviewState.Rejected,
        _ => GitHubReviewState.Pending,
    };

    private static GitHubPendingDeployment ToModel(PendingDeploymentDto dto)
    {
        var reviewers = new List<GitHubReviewer>();
        foreach (var entry in dto.Reviewers ?? [])
        {
            if (entry.Reviewer is not { } reviewer)
            {
                continue;
            }

            var kind = string.Equals(entry.Type, "Team", StringComparison.OrdinalIgnoreCase) ? ReviewerKind.Team : ReviewerKind.User;
            var name = kind == ReviewerKind.Team ? reviewer.Slug : reviewer.Login;
            reviewers.Add(MlEnvironmentsModelFactory.GitHubReviewer(kind, reviewer.Id, name ?? reviewer.Id.ToString(CultureInfo.InvariantCulture)));
        }

        return MlEnvironmentsModelFactory.GitHubPendingDeployment(
            dto.Environment?.Id ?? 0,
            dto.Environment?.Name ?? string.Empty,
            dto.CurrentUserCanApprove,
            reviewers,
            TimeSpan.FromMinutes(dto.WaitTimer),
            dto.WaitTimerStartedAt);
    }
}
