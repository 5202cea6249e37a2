using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Promotion;

/// <summary>The review helpers on the service interfaces.</summary>
public sealed class PromotionReviewService : IPromotionReviewService
{
    private readonly IGitHubWorkflowRunReader _runs;
    private readonly IGitHubDeploymentReviewClient _reviews;
    private readonly IModelPromoter _promoter;
    private readonly IGitHubWorkflowDispatcher? _dispatcher;

    /// <summary>Creates the service.</summary>
    /// <param name="runs">Reads runs.</param>
    /// <param name="reviews">Reads and reviews pending deployments.</param>
    /// <param name="promoter">Evaluates promotions (reads only).</param>
    /// <param name="dispatcher">Starts workflows.</param>
    public PromotionReviewService(IGitHubWorkflowRunReader runs, IGitHubDeploymentReviewClient reviews, IModelPromoter promoter, IGitHubWorkflowDispatcher? dispatcher = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(promoter);
        _runs = runs;
        _reviews = reviews;
        _promoter = promoter;
        _dispatcher = dispatcher;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingPromotion>> ListPendingAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var runs = await _runs.ListWorkflowRunsAsync(definition.Repository, "waiting", cancellationToken).ConfigureAwait(false);
        var pending = new List<PendingPromotion>();
        foreach (var run in runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id))
        {
            if (await DescribeAsync(definition, run, cancellationToken).ConfigureAwait(false) is { } item)
            {
                pending.Add(item);
            }
        }

        return pending;
    }

    /// <inheritdoc />
    public async Task<PendingPromotion?> GetPendingAsync(RepositoryDefinition definition, long runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var run = await _runs.GetWorkflowRunAsync(definition.Repository, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new PromotionException(PromotionErrors.RunNotFound, $"{definition.Repository} has no workflow run {runId}.");
        return await DescribeAsync(definition, run, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ApproveAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(repository, runId, GitHubReviewState.Approved, comment, environments, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RejectAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(repository, runId, GitHubReviewState.Rejected, comment, environments, cancellationToken);

    /// <inheritdoc />
    public Task DispatchAsync(RepositoryId repository, string workflow, string @ref, string modelName, string version, string? stopAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflow);
        ArgumentException.ThrowIfNullOrWhiteSpace(@ref);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var dispatcher = _dispatcher ?? throw new InvalidOperationException("No IGitHubWorkflowDispatcher is registered (AddGitHub registers one).");
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { ["model"] = modelName, ["version"] = version };
        if (stopAt is not null)
        {
            inputs["stop_at"] = stopAt;
        }

        return dispatcher.DispatchWorkflowAsync(repository, workflow, @ref, inputs, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ReviewAsync(RepositoryId repository, long runId, GitHubReviewState state, string comment, IReadOnlyCollection<string>? environments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var pending = await _reviews.GetPendingDeploymentsAsync(repository, runId, cancellationToken).ConfigureAwait(false);
        var chosen = environments is null
            ? pending.ToList()
            : pending.Where(p => environments.Contains(p.EnvironmentName, StringComparer.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
        {
            throw new PromotionException(PromotionErrors.NothingPending, pending.Count == 0
                ? $"Run {runId} of {repository} waits on no environment: nothing to {(state == GitHubReviewState.Approved ? "approve" : "reject")}."
                : $"Run {runId} of {repository} waits on {string.Join(", ", pending.Select(p => p.EnvironmentName))}, not on {string.Join(", ", environments!)}.");
        }

        var refused = chosen.Where(p => !p.CurrentUserCanApprove).ToList();
        if (refused.Count > 0)
        {
            throw new PromotionException(PromotionErrors.NotAReviewer,
                $"The token's user may not review {string.Join(", ", refused.Select(p => $"'{p.EnvironmentName}' (reviewers: {(p.Reviewers.Count == 0 ? "none" : string.Join(", ", p.Reviewers.Select(r => r.Name)))})"))}. " +
                "GitHub lets only a required reviewer approve or reject, with a user token (a GitHub App's installation token cannot), and not the run's author when self-review is prevented.");
        }

        await _reviews.ReviewPendingDeploymentsAsync(repository, runId, chosen.Select(p => p.EnvironmentId).ToList(), state, comment, cancellationToken).ConfigureAwait(false);
        return chosen.Select(p => p.EnvironmentName).ToList();
    }

    private async Task<PendingPromotion?> DescribeAsync(RepositoryDefinition definition, GitHubWorkflowRun run, CancellationToken cancellationToken)
    {
        var deployments = await _reviews.GetPendingDeploymentsAsync(definition.Repository, run.Id, cancellationToken).ConfigureAwait(false);
        if (deployments.Count == 0)
        {
            return null;
        }

        var problems = new List<string>();
        var evaluations = new List<PromotionEvaluation>();
        if (!PromotionRunTitle.TryParse(run.DisplayTitle, out var model, out var version))
        {
            problems.Add($"The run's title \"{run.DisplayTitle}\" does not name a model: promotion workflows set run-name to \"{PromotionRunTitle.Prefix}<model>@<version>\".");
            return new PendingPromotion(run, deployments, null, null, evaluations, problems);
        }

        foreach (var deployment in deployments)
        {
            var index = definition.Environments.IndexOf(definition.Environments.FirstOrDefault(e => string.Equals(e.Name, deployment.EnvironmentName, StringComparison.OrdinalIgnoreCase))!);
            if (index < 0)
            {
                problems.Add($"'{deployment.EnvironmentName}' is not declared in the definition of {definition.Repository}.");
                continue;
            }

            if (index == 0)
            {
                problems.Add($"'{deployment.EnvironmentName}' is the first environment: models arrive there by training, not promotion.");
                continue;
            }

            try
            {
                evaluations.Add(await _promoter.EvaluateAsync(
                    new PromotionRequest(definition, model, version, definition.Environments[index - 1].Name, definition.Environments[index].Name) { WorkflowRunId = run.Id },
                    cancellationToken).ConfigureAwait(false));
            }
            catch (PromotionException e)
            {
                problems.Add(e.Message);
            }
        }

        return new PendingPromotion(run, deployments, model, version, evaluations, problems);
    }
}
