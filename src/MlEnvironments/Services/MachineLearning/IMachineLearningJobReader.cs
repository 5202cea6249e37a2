using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.MachineLearning;

/// <summary>Reads jobs of a workspace.</summary>
public interface IMachineLearningJobReader
{
    /// <summary>Gets a job.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="jobName">The job's name (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or <see langword="null"/>.</returns>
    Task<MachineLearningJobData?> GetJobAsync(WorkspaceId workspace, string jobName, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs (following <c>nextLink</c>).</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<MachineLearningJobData>> ListJobsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);
}
