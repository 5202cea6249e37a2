using System.Diagnostics;

namespace MlEnvironments;

/// <summary>The names under which MlEnvironments reports traces, for <c>AddSource(...)</c> in OpenTelemetry.</summary>
public static class MlEnvironmentsDiagnostics
{
    /// <summary>The activity source of the core package: one activity per plan and per apply.</summary>
    public const string ActivitySourceName = "MlEnvironments";

    internal static ActivitySource Source { get; } = new(ActivitySourceName, typeof(MlEnvironmentsDiagnostics).Assembly.GetName().Version?.ToString());
}
