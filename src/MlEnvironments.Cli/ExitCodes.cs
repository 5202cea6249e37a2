namespace MlEnvironments.Cli;

/// <summary>The exit codes of <c>mlenv</c> (listed in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>plan</c>: no changes; for <c>workflow lint</c>: no errors; for <c>promote</c>: promoted or already promoted.</summary>
    public const int Success = 0;

    /// <summary>An error: bad flags, a bad or invalid definition file, a failed call, an apply that failed or was declined, lint errors.</summary>
    public const int Error = 1;

    /// <summary><c>plan</c> only: the plan has changes.</summary>
    public const int Changes = 2;

    /// <summary>
    /// <c>promote</c> (also <c>--dry-run</c>) and <c>rollback</c>: a gate failed, so nothing was promoted (the ledger
    /// records the refused attempt). Not 0, so that the workflow step that runs it fails.
    /// </summary>
    public const int GateFailed = 3;

    /// <summary><c>drift</c> only: drift was found (the report says what; with <c>--open-issues</c>, the issue was filed).</summary>
    public const int Drift = 4;

    /// <summary>Interrupted (Ctrl+C) before the command finished.</summary>
    public const int Interrupted = 130;
}
