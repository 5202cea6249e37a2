using System;
using System.Threading;

namespace MlEnvironments.GitHub.Http;

/// <summary>
/// Carries the repository and the caller's cancellation token down to the HTTP handlers for the duration of one
/// call: Octokit's PUT, PATCH and DELETE take no token, and App authentication needs the repository.
/// </summary>
internal static class GitHubCallScope
{
    private static readonly AsyncLocal<Frame?> CurrentFrame = new();

    public static RepositoryId? Repository => CurrentFrame.Value?.Repository;

    public static CancellationToken CancellationToken => CurrentFrame.Value?.CancellationToken ?? CancellationToken.None;

    /// <summary>The <c>X-GitHub-Request-Id</c> of the last response of this call, for error reports.</summary>
    public static string? LastRequestId
    {
        get => CurrentFrame.Value?.LastRequestId;
        set
        {
            if (CurrentFrame.Value is { } frame)
            {
                frame.LastRequestId = value;
            }
        }
    }

    public static IDisposable Begin(RepositoryId? repository, CancellationToken cancellationToken, string? operation = null)
    {
        var previous = CurrentFrame.Value;
        CurrentFrame.Value = new Frame(repository, cancellationToken) { Operation = operation };
        return new Restore(previous);
    }

    /// <summary>The GitHub operation of the call (e.g. <c>repos/get-environment</c>), for errors raised inside the handlers.</summary>
    public static string? Operation => CurrentFrame.Value?.Operation;

    /// <summary>When the primary rate limit resets, from the last response that exhausted it.</summary>
    public static DateTimeOffset? LastRateLimitReset
    {
        get => CurrentFrame.Value?.LastRateLimitReset;
        set
        {
            if (CurrentFrame.Value is { } frame)
            {
                frame.LastRateLimitReset = value;
            }
        }
    }

    private sealed class Frame(RepositoryId? repository, CancellationToken cancellationToken)
    {
        public DateTimeOffset? LastRateLimitReset { get; set; }

        public RepositoryId? Repository { get; } = repository;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public string? LastRequestId { get; set; }

        public string? Operation { get; init; }
    }

    private sealed class Restore(Frame? previous) : IDisposable
    {
        public void Dispose() => CurrentFrame.Value = previous;
    }
}
