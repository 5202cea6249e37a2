using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads a run's metrics through the workspace's MLflow REST endpoint.</summary>
public interface IRunMetricsReader
{
    /// <summary>Gets the latest value of every metric of a run (MLflow <c>runs/get</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="runId">The run id (the job's name).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The metrics by name.</returns>
    Task<IReadOnlyDictionary<string, RunMetric>> GetLatestMetricsAsync(WorkspaceId workspace, string runId, CancellationToken cancellationToken = default);

    /// <summary>Gets every value of one metric (MLflow <c>metrics/get-history</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The values in order.</returns>
    Task<IReadOnlyList<RunMetric>> GetMetricHistoryAsync(WorkspaceId workspace, string runId, string metricKey, CancellationToken cancellationToken = default);
}
