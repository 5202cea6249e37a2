using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Promotion;

/// <summary>
/// The run title that carries a promotion's model and version: generated workflows set
/// <c>run-name: "mlenv promote ${{ inputs.model }}@${{ inputs.version }}"</c>, because GitHub's REST API does not return a
/// run's <c>workflow_dispatch</c> inputs.
/// </summary>
public static partial class PromotionRunTitle
{
    /// <summary>The title's prefix.</summary>
    public const string Prefix = "mlenv promote ";

    /// <summary>Formats a title.</summary>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <returns><c>mlenv promote model@version</c>.</returns>
    public static string Format(string modelName, string version)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return Prefix + modelName + "@" + version;
    }

    /// <summary>Reads the model and version from a run title.</summary>
    /// <param name="title">The title (<see cref="GitHubWorkflowRun.DisplayTitle"/>).</param>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <returns>Whether the title follows the convention.</returns>
    public static bool TryParse(string? title, out string modelName, out string version)
    {
        modelName = version = string.Empty;
        var match = title is null ? Match.Empty : Pattern().Match(title);
        if (!match.Success)
        {
            return false;
        }

        modelName = match.Groups["model"].Value;
        version = match.Groups["version"].Value;
        return true;
    }

    [GeneratedRegex(@"mlenv promote (?<model>[A-Za-z0-9][A-Za-z0-9._-]*)@(?<version>[A-Za-z0-9][A-Za-z0-9._-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>A workflow run waiting for reviewers, with what they would approve.</summary>
public sealed class PendingPromotion
{
    internal PendingPromotion(GitHubWorkflowRun run, IReadOnlyList<GitHubPendingDeployment> deployments, string? modelName, string? version, IReadOnlyList<PromotionEvaluation> evaluations, IReadOnlyList<string> problems)
    {
        Run = run;
        Deployments = deployments;
        ModelName = modelName;
        Version = version;
        Evaluations = evaluations;
        Problems = problems;
    }

    /// <summary>The run.</summary>
    public GitHubWorkflowRun Run { get; }

    /// <summary>The environments it waits on.</summary>
    public IReadOnlyList<GitHubPendingDeployment> Deployments { get; }

    /// <summary>The model, from the run's title; <see langword="null"/> when the title does not follow <see cref="PromotionRunTitle"/>.</summary>
    public string? ModelName { get; }

    /// <summary>The version, from the run's title.</summary>
    public string? Version { get; }

    /// <summary>The evaluation of the promotion into each waiting environment.</summary>
    public IReadOnlyList<PromotionEvaluation> Evaluations { get; }

    /// <summary>What could not be evaluated, and why.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Renders what a reviewer is approving, as text.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("Run ").Append(Run.Id).Append(" \"").Append(Run.DisplayTitle ?? Run.Name).Append('"')
            .Append(Run.TriggeringActorLogin is null ? string.Empty : " started by " + Run.TriggeringActorLogin).AppendLine();
        foreach (var deployment in Deployments)
        {
            text.Append("  waits on ").Append(deployment.EnvironmentName).Append(" (reviewers: ")
                .Append(deployment.Reviewers.Count == 0 ? "none" : string.Join(", ", deployment.Reviewers.Select(r => r.Name)))
                .Append(deployment.CurrentUserCanApprove ? "; you can approve" : "; you cannot approve").AppendLine(")");
        }

        foreach (var evaluation in Evaluations)
        {
            text.Append(PromotionReport.ToText(evaluation)).AppendLine();
        }

        foreach (var problem in Problems)
        {
            text.Append("  ! ").AppendLine(problem);
        }

        return text.ToString();
    }

    /// <summary>Renders what a reviewer is approving, as Markdown.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("## Run ").Append(Run.HtmlUrl is null ? Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{Run.Id}]({Run.HtmlUrl})")
            .Append(": ").AppendLine(PromotionReport.Escape(Run.DisplayTitle ?? Run.Name ?? string.Empty));
        md.AppendLine();
        foreach (var deployment in Deployments)
        {
            md.Append("- waits on **").Append(PromotionReport.Escape(deployment.EnvironmentName)).Append("**, reviewers: ")
                .AppendLine(deployment.Reviewers.Count == 0 ? "none" : string.Join(", ", deployment.Reviewers.Select(r => "@" + r.Name)));
        }

        md.AppendLine();
        foreach (var evaluation in Evaluations)
        {
            md.AppendLine(PromotionReport.ToMarkdown(evaluation));
        }

        foreach (var problem in Problems)
        {
            md.Append("> ⚠️ ").AppendLine(PromotionReport.Escape(problem));
        }

        return md.ToString();
    }

    /// <summary>Returns the run and what it waits on.</summary>
    public override string ToString() => $"run {Run.Id}: {ModelName}@{Version} waits on {string.Join(", ", Deployments.Select(d => d.EnvironmentName))}";
}

/// <summary>
/// Helps reviewers with GitHub's required-reviewer gate: lists runs waiting for review with the candidate's metrics
/// next to the champion's and every gate's verdict, approves or rejects, and starts promotion runs.
/// </summary>
public interface IPromotionReviewService
{
    /// <summary>Lists the repository's runs that wait for review, each with what it would promote.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The pending promotions, newest run first.</returns>
    Task<IReadOnlyList<PendingPromotion>> ListPendingAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Shows one run's pending promotion.</summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The pending promotion, or <see langword="null"/> when the run waits on nothing.</returns>
    Task<PendingPromotion?> GetPendingAsync(RepositoryDefinition definition, long runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Approves the run's wait on environments, as the token's user. GitHub requires that user to be one of the
    /// environment's required reviewers (and not the run's author when self-review is prevented); a GitHub App's
    /// installation token cannot approve.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="comment">The comment GitHub records.</param>
    /// <param name="environments">The environments; <see langword="null"/> for every one the run waits on.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The environments approved.</returns>
    /// <exception cref="PromotionException">The run waits on none of them, or the token's user may not review one.</exception>
    Task<IReadOnlyList<string>> ApproveAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default);

    /// <summary>Rejects the run's wait on environments, as the token's user (same rules as <see cref="ApproveAsync"/>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run.</param>
    /// <param name="comment">The comment GitHub records.</param>
    /// <param name="environments">The environments; <see langword="null"/> for every one the run waits on.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The environments rejected.</returns>
    Task<IReadOnlyList<string>> RejectAsync(RepositoryId repository, long runId, string comment, IReadOnlyCollection<string>? environments = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a promotion run through the workflow's <c>workflow_dispatch</c> trigger with the model and version as inputs.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="workflow">The workflow file name, e.g. <c>promote.yml</c>.</param>
    /// <param name="ref">The branch to run on.</param>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <param name="stopAt">The last environment to promote into; <see langword="null"/> for the workflow's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when GitHub accepted the request.</returns>
    Task DispatchAsync(RepositoryId repository, string workflow, string @ref, string modelName, string version, string? stopAt = null, CancellationToken cancellationToken = default);
}

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
