using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using MlEnvironments.Azure.Http;
using MlEnvironments.Azure.Wire;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Azure;

/// <summary>
/// Run metrics through the MLflow REST API a workspace exposes: the workspace's <c>mlFlowTrackingUri</c>
/// (<c>azureml://{region}.api.azureml.ms/mlflow/v1.0/subscriptions/…/workspaces/{name}</c>) with <c>https://</c>,
/// then <c>api/2.0/mlflow/runs/get</c> and <c>api/2.0/mlflow/metrics/get-history</c>, with the same
/// Azure Resource Manager token as every other call. The tracking URI is read once per workspace, and used only when
/// its host is an Azure Machine Learning API host of the configured cloud
/// (<see cref="AzureOptions.MachineLearningApiHostSuffixes"/>) or the <see cref="AzureOptions.Endpoint"/>'s host:
/// the token never goes where a workspace property alone points.
/// </summary>
public sealed class AzureMlflowClient : IRunMetricsReader
{
    private const int MaxPages = 1_000;

    private readonly ArmConnection _arm;
    private readonly AzureMachineLearningClient _workspaces;
    private readonly ConcurrentDictionary<WorkspaceId, Uri> _bases = new();

    internal AzureMlflowClient(ArmConnection arm, AzureMachineLearningClient workspaces)
    {
        _arm = arm;
        _workspaces = workspaces;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, RunMetric>> GetLatestMetricsAsync(WorkspaceId workspace, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        const string operation = "MLflow_GetRun";
        var root = await TrackingBaseAsync(operation, workspace, cancellationToken).ConfigureAwait(false);
        var response = await _arm.SendAsync(operation, RequestMethod.Get,
            new Uri($"{root}/api/2.0/mlflow/runs/get?run_id={Uri.EscapeDataString(runId)}"), null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw ArmConnection.Error(operation, response, $"run {runId}");
        }

        var run = ArmConnection.Read(operation, response, ArmJsonContext.Default.MlflowRunResponseDto);
        var latest = new Dictionary<string, RunMetric>(StringComparer.Ordinal);
        foreach (var metric in Map(run.Run?.Data?.Metrics))
        {
            if (!latest.TryGetValue(metric.Key, out var current) ||
                metric.Step > current.Step || (metric.Step == current.Step && metric.Timestamp >= current.Timestamp))
            {
                latest[metric.Key] = metric;
            }
        }

        return latest;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunMetric>> GetMetricHistoryAsync(WorkspaceId workspace, string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(metricKey);
        const string operation = "MLflow_GetMetricHistory";
        var root = await TrackingBaseAsync(operation, workspace, cancellationToken).ConfigureAwait(false);
        var history = new List<RunMetric>();
        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var uri = $"{root}/api/2.0/mlflow/metrics/get-history?run_id={Uri.EscapeDataString(runId)}&metric_key={Uri.EscapeDataString(metricKey)}" +
                      (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            var response = await _arm.SendAsync(operation, RequestMethod.Get, new Uri(uri), null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw ArmConnection.Error(operation, response, $"run {runId}, metric {metricKey}");
            }

            var body = ArmConnection.Read(operation, response, ArmJsonContext.Default.MlflowMetricHistoryDto);
            history.AddRange(Map(body.Metrics).Select(m => m with { Key = m.Key.Length == 0 ? metricKey : m.Key }));
            if (string.IsNullOrEmpty(body.NextPageToken) || body.NextPageToken == pageToken)
            {
                return [.. history.OrderBy(m => m.Step).ThenBy(m => m.Timestamp)];
            }

            pageToken = body.NextPageToken;
        }

        throw new AzureException(operation, 200, $"MLflow answered {operation} with more than {MaxPages} pages; stopping.", "InvalidResponse");
    }

    /// <summary>Turns a tracking URI into the MLflow REST base: <c>azureml://</c> becomes <c>https://</c>, without a trailing slash.</summary>
    internal static Uri? ToRestBase(Uri trackingUri)
    {
        var text = trackingUri.OriginalString;
        if (text.StartsWith("azureml://", StringComparison.OrdinalIgnoreCase))
        {
            text = "https://" + text["azureml://".Length..];
        }

        return Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var rest) && rest.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(rest.Query)
            ? rest
            : null;
    }

    private static IEnumerable<RunMetric> Map(List<MlflowMetricDto?>? metrics) =>
        (metrics ?? []).Where(m => m?.Value is not null).Select(m => new RunMetric(
            m!.Key ?? string.Empty,
            m.Value!.Value,
            m.Step ?? 0,
            DateTimeOffset.FromUnixTimeMilliseconds(m.Timestamp ?? 0)));

    private async Task<string> TrackingBaseAsync(string operation, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (!_bases.TryGetValue(workspace, out var root))
        {
            var data = await _workspaces.GetWorkspaceAsync(workspace, cancellationToken).ConfigureAwait(false)
                       ?? throw new AzureException(operation, 404, $"Workspace {workspace.ResourceGroupName}/{workspace.WorkspaceName} does not exist, so its MLflow runs cannot be read.", "ResourceNotFound");
            if (data.MlFlowTrackingUri is null)
            {
                throw new AzureException(operation, 0, $"Workspace {workspace.WorkspaceName} reports no mlFlowTrackingUri, so its MLflow runs cannot be read.", "NoTrackingUri");
            }

            root = ToRestBase(data.MlFlowTrackingUri)
                   ?? throw new AzureException(operation, 0, $"Workspace {workspace.WorkspaceName} reports an mlFlowTrackingUri that is neither azureml:// nor https:// ({data.MlFlowTrackingUri.Scheme}).", "InvalidTrackingUri");
            if (!_arm.IsMachineLearningApiHost(root))
            {
                // The token goes only where Azure ML lives: never to a host a workspace property names.
                var suffixes = _arm.Options.GetMachineLearningApiHostSuffixes();
                throw new AzureException(operation, 0,
                    $"Workspace {workspace.WorkspaceName} reports an mlFlowTrackingUri at host '{root.Authority}', which is not an Azure Machine Learning API host of this cloud " +
                    $"({(suffixes.Count == 0 ? "no suffix applies to Endpoint " + _arm.Endpoint.Host : "*." + string.Join(", *.", suffixes))}, https on port 443) nor the Endpoint's host; " +
                    $"the client does not send the Azure token there. If that host serves this cloud's Azure ML API (a sovereign or private cloud), add its suffix to " +
                    $"{AzureOptions.SectionName}:{nameof(AzureOptions.MachineLearningApiHostSuffixes)} (AzureOptions.{nameof(AzureOptions.MachineLearningApiHostSuffixes)}).",
                    "UntrustedTrackingHost");
            }

            _bases.TryAdd(workspace, root);
        }

        return root.AbsoluteUri.TrimEnd('/');
    }
}
