using System.Diagnostics;

namespace MlEnvironments.GitHub;

/// <summary>The names under which the GitHub provider reports traces, for <c>AddSource(...)</c> in OpenTelemetry.</summary>
public static class GitHubDiagnostics
{
    /// <summary>The activity source of the GitHub provider: one activity per GitHub operation (retries included).</summary>
    public const string ActivitySourceName = "MlEnvironments.GitHub";

    internal static ActivitySource Source { get; } = new(ActivitySourceName, typeof(GitHubDiagnostics).Assembly.GetName().Version?.ToString());
}
