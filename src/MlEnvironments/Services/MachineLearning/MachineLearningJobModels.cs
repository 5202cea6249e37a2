using System;
using System.Collections.Generic;

namespace MlEnvironments.MachineLearning;

/// <summary>The status of a job (named after the Azure SDK's extensible enum; unknown values are kept).</summary>
public readonly struct MachineLearningJobStatus : IEquatable<MachineLearningJobStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from the service's text.</summary>
    /// <param name="value">The text, e.g. <c>Completed</c>.</param>
    public MachineLearningJobStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Not started.</summary>
    public static MachineLearningJobStatus NotStarted { get; } = new("NotStarted");

    /// <summary>Starting.</summary>
    public static MachineLearningJobStatus Starting { get; } = new("Starting");

    /// <summary>Provisioning compute.</summary>
    public static MachineLearningJobStatus Provisioning { get; } = new("Provisioning");

    /// <summary>Preparing.</summary>
    public static MachineLearningJobStatus Preparing { get; } = new("Preparing");

    /// <summary>Queued.</summary>
    public static MachineLearningJobStatus Queued { get; } = new("Queued");

    /// <summary>Running.</summary>
    public static MachineLearningJobStatus Running { get; } = new("Running");

    /// <summary>Finalizing.</summary>
    public static MachineLearningJobStatus Finalizing { get; } = new("Finalizing");

    /// <summary>Cancellation requested.</summary>
    public static MachineLearningJobStatus CancelRequested { get; } = new("CancelRequested");

    /// <summary>Completed successfully.</summary>
    public static MachineLearningJobStatus Completed { get; } = new("Completed");

    /// <summary>Failed.</summary>
    public static MachineLearningJobStatus Failed { get; } = new("Failed");

    /// <summary>Canceled.</summary>
    public static MachineLearningJobStatus Canceled { get; } = new("Canceled");

    /// <summary>Not responding.</summary>
    public static MachineLearningJobStatus NotResponding { get; } = new("NotResponding");

    /// <summary>Paused.</summary>
    public static MachineLearningJobStatus Paused { get; } = new("Paused");

    /// <summary>Unknown.</summary>
    public static MachineLearningJobStatus Unknown { get; } = new("Unknown");

    /// <summary>Whether the job has finished (completed, failed or canceled).</summary>
    public bool IsTerminal => Equals(Completed) || Equals(Failed) || Equals(Canceled);

    /// <inheritdoc />
    public bool Equals(MachineLearningJobStatus other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MachineLearningJobStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);

    /// <summary>Returns the service's text.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Compares two statuses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(MachineLearningJobStatus left, MachineLearningJobStatus right) => left.Equals(right);

    /// <summary>Compares two statuses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(MachineLearningJobStatus left, MachineLearningJobStatus right) => !left.Equals(right);
}

/// <summary>A job of a workspace (named after the Azure SDK's type).</summary>
public sealed class MachineLearningJobData
{
    internal MachineLearningJobData(WorkspaceId workspace, string name, string jobType, MachineLearningJobStatus status, string? displayName, string? experimentName, IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> properties)
    {
        Workspace = workspace;
        Name = name;
        JobType = jobType;
        Status = status;
        DisplayName = displayName;
        ExperimentName = experimentName;
        Tags = tags;
        Properties = properties;
    }

    /// <summary>The workspace.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>The job's name (its MLflow run id).</summary>
    public string Name { get; }

    /// <summary>The job type, e.g. <c>Command</c>, <c>Pipeline</c>, <c>Sweep</c>.</summary>
    public string JobType { get; }

    /// <summary>The status.</summary>
    public MachineLearningJobStatus Status { get; }

    /// <summary>The display name.</summary>
    public string? DisplayName { get; }

    /// <summary>The experiment.</summary>
    public string? ExperimentName { get; }

    /// <summary>The tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Returns <c>name (status)</c>.</summary>
    public override string ToString() => $"{Name} ({Status})";
}

/// <summary>One recorded value of a run's metric (MLflow).</summary>
/// <param name="Key">The metric's name.</param>
/// <param name="Value">The value.</param>
/// <param name="Step">The step.</param>
/// <param name="Timestamp">When it was logged.</param>
public sealed record RunMetric(string Key, double Value, long Step, DateTimeOffset Timestamp);
