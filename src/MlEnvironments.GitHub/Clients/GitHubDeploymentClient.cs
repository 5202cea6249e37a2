using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Deployments and deployment statuses, over GitHub's REST API (raw calls through Octokit's connection: Octokit 14's
/// typed deployment methods cannot filter by environment or task, flatten the payload to strings, and read the 202
/// auto-merge answer as an empty deployment).
/// </summary>
public sealed class GitHubDeploymentClient : IGitHubDeploymentReader, IGitHubDeploymentWriter
{
    /// <summary>The longest status description GitHub accepts.</summary>
    internal const int MaxStatusDescription = 140;

    private readonly GitHubConnection _github;

    internal GitHubDeploymentClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubDeployment>> ListDeploymentsAsync(RepositoryId repository, string? environment, string? task, CancellationToken cancellationToken = default)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environment is not null)
        {
            query["environment"] = environment;
        }

        if (task is not null)
        {
            query["task"] = task;
        }

        var deployments = await _github.GetAllAsync<List<DeploymentDto>, DeploymentDto>(
            "repos/list-deployments", repository, GitHubPath.Repository(repository).Literal("deployments"), 100,
            page => page, query, cancellationToken).ConfigureAwait(false);
        return deployments.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubDeploymentStatus>> ListDeploymentStatusesAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken = default)
    {
        var statuses = await _github.GetAllAsync<List<DeploymentStatusDto>, DeploymentStatusDto>(
            "repos/list-deployment-statuses", repository, DeploymentPath(repository, deploymentId).Literal("statuses"), 100,
            page => page, cancellationToken).ConfigureAwait(false);
        return statuses.Select(ToModel).ToList();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><see cref="GitHubNewDeployment.PayloadJson"/> is not a JSON object.</exception>
    /// <exception cref="GitHubException">
    /// GitHub answered 202: it merged the default branch into the ref (<see cref="GitHubNewDeployment.AutoMerge"/>)
    /// and made no deployment.
    /// </exception>
    public Task<GitHubDeployment> CreateDeploymentAsync(RepositoryId repository, GitHubNewDeployment deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        const string operation = "repos/create-deployment";
        var body = new DeploymentCreateDto
        {
            Ref = deployment.Ref,
            Task = deployment.Task,
            AutoMerge = deployment.AutoMerge,
            RequiredContexts = deployment.RequiredContexts?.ToList(),
            Payload = ParsePayload(deployment.PayloadJson, nameof(deployment)),
            Environment = deployment.Environment,
            Description = deployment.Description,
            TransientEnvironment = deployment.TransientEnvironment,
            ProductionEnvironment = deployment.ProductionEnvironment,
        };
        return _github.PostAsync<DeploymentCreateDto, DeploymentDto, GitHubDeployment>(operation, repository,
            GitHubPath.Repository(repository).Literal("deployments"), body,
            (status, dto) => status == HttpStatusCode.Accepted || dto is null || dto.Id == 0
                ? throw new GitHubException(operation, (int)status,
                    $"GitHub made no deployment of '{deployment.Ref}' to '{deployment.Environment}' in {repository}: it answered {(int)status}" +
                    (string.IsNullOrEmpty(dto?.Message) ? "." : $" (\"{dto.Message}\").") +
                    " With auto_merge GitHub merges the default branch into the ref when the ref is behind it, instead of deploying; " +
                    "create the deployment again for the merged ref, or set AutoMerge = false.",
                    null, GitHubCallScope.LastRequestId)
                : ToModel(dto),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<GitHubDeploymentStatus> CreateDeploymentStatusAsync(RepositoryId repository, long deploymentId, GitHubNewDeploymentStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        var body = new DeploymentStatusCreateDto
        {
            State = StateText(status.State),
            LogUrl = status.LogUrl?.AbsoluteUri,
            Description = status.Description is null ? null : Cut(status.Description, MaxStatusDescription),
            EnvironmentUrl = status.EnvironmentUrl?.AbsoluteUri,
            AutoInactive = status.AutoInactive,
        };
        var dto = await _github.PostAsync<DeploymentStatusCreateDto, DeploymentStatusDto>("repos/create-deployment-status", repository,
            DeploymentPath(repository, deploymentId).Literal("statuses"), body, cancellationToken).ConfigureAwait(false);
        return ToModel(dto);
    }

    /// <summary>The wire name of a state: <c>error</c>, <c>failure</c>, <c>inactive</c>, <c>in_progress</c>, <c>queued</c>, <c>pending</c>, <c>success</c>.</summary>
    internal static string StateText(GitHubDeploymentState state) => state switch
    {
        GitHubDeploymentState.Error => "error",
        GitHubDeploymentState.Failure => "failure",
        GitHubDeploymentState.Inactive => "inactive",
        GitHubDeploymentState.InProgress => "in_progress",
        GitHubDeploymentState.Queued => "queued",
        GitHubDeploymentState.Pending => "pending",
        GitHubDeploymentState.Success => "success",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown deployment state."),
    };

    /// <summary>The state of a wire name (without regard to case); <see cref="GitHubDeploymentState.Pending"/> for one GitHub adds later.</summary>
    internal static GitHubDeploymentState ParseState(string? text) => text?.ToLowerInvariant() switch
    {
        "error" => GitHubDeploymentState.Error,
        "failure" => GitHubDeploymentState.Failure,
        "inactive" => GitHubDeploymentState.Inactive,
        "in_progress" => GitHubDeploymentState.InProgress,
        "queued" => GitHubDeploymentState.Queued,
        "success" => GitHubDeploymentState.Success,
        _ => GitHubDeploymentState.Pending,
    };

    /// <summary>Cuts text to at most <paramref name="max"/> characters, ending with an ellipsis when cut (never inside a surrogate pair).</summary>
    internal static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }

    /// <summary>
    /// The payload as JSON text: an object as its JSON (<see langword="null"/> when empty); a string that holds JSON as
    /// that JSON; another non-empty string as a JSON string; nothing, <c>""</c> or <c>{}</c> as <see langword="null"/>.
    /// </summary>
    internal static string? PayloadText(JsonElement payload)
    {
        switch (payload.ValueKind)
        {
            case JsonValueKind.Object:
                return payload.EnumerateObject().Any() ? payload.GetRawText() : null;
            case JsonValueKind.String:
                var text = payload.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                try
                {
                    using var inner = JsonDocument.Parse(text);
                    return inner.RootElement.ValueKind == JsonValueKind.Object && !inner.RootElement.EnumerateObject().Any() ? null : text.Trim();
                }
                catch (JsonException)
                {
                    return "\"" + JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
                }

            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                return null;
            default:
                return payload.GetRawText();
        }
    }

    internal static GitHubDeployment ToModel(DeploymentDto dto) =>
        MlEnvironmentsModelFactory.GitHubDeployment(
            dto.Id,
            dto.Environment ?? string.Empty,
            dto.Ref ?? string.Empty,
            dto.Sha,
            dto.Task ?? "deploy",
            PayloadText(dto.Payload),
            string.IsNullOrEmpty(dto.Description) ? null : dto.Description,
            dto.Creator?.Login,
            dto.ProductionEnvironment ?? false,
            dto.TransientEnvironment ?? false,
            dto.CreatedAt,
            dto.UpdatedAt);

    private static GitHubDeploymentStatus ToModel(DeploymentStatusDto dto) =>
        MlEnvironmentsModelFactory.GitHubDeploymentStatus(
            dto.Id,
            ParseState(dto.State),
            string.IsNullOrEmpty(dto.Description) ? null : dto.Description,
            dto.Creator?.Login,
            Url(dto.LogUrl) ?? Url(dto.TargetUrl),
            Url(dto.EnvironmentUrl),
            dto.CreatedAt);

    private static Uri? Url(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;

    private static JsonElement? ParsePayload(string? payloadJson, string parameterName)
    {
        if (payloadJson is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new ArgumentException($"PayloadJson must be a JSON object; it is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.", parameterName);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("PayloadJson is not valid JSON: " + e.Message, parameterName, e);
        }
    }

    private static GitHubPath DeploymentPath(RepositoryId repository, long deploymentId) =>
        GitHubPath.Repository(repository).Literal("deployments").Id(deploymentId);
}
