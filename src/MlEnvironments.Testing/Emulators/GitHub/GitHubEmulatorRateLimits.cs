using System;
using System.Collections.Generic;

namespace MlEnvironments.Testing;

/// <summary>
/// The emulator's primary rate limit (one hourly window for every caller, reported in the <c>x-ratelimit-*</c>
/// headers of every response) and injected rate-limit failures: the next N requests, or the next N that match a
/// predicate, answer a primary-limit or secondary-limit error as GitHub does.
/// </summary>
/// <remarks>
/// A request counts against the primary limit unless it is answered 304 Not Modified, is <c>GET /rate_limit</c>, or
/// is itself an injected rate-limit failure. When the window's requests are used up, requests answer the
/// primary-limit 403 until the window resets.
/// </remarks>
public sealed class GitHubEmulatorRateLimits
{
    private const string PrimaryDocs = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-primary-rate-limits";
    private const string SecondaryDocs = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<Injection> _injections = [];
    private DateTimeOffset _windowStart;
    private int _used;

    internal GitHubEmulatorRateLimits(TimeProvider time, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _time = time;
        Limit = limit;
        _windowStart = time.GetUtcNow();
    }

    /// <summary>Requests allowed per hourly window (<c>x-ratelimit-limit</c>).</summary>
    public int Limit { get; }

    /// <summary>Requests left in the current window (<c>x-ratelimit-remaining</c>).</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                Roll();
                return Limit - _used;
            }
        }
    }

    /// <summary>When the current window ends (<c>x-ratelimit-reset</c>).</summary>
    public DateTimeOffset Reset
    {
        get
        {
            lock (_gate)
            {
                Roll();
                return _windowStart.AddHours(1);
            }
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests (that match <paramref name="when"/>, if given) answer as if the
    /// primary rate limit were exhausted: 403 or 429 with <c>x-ratelimit-remaining: 0</c>, <c>x-ratelimit-reset</c>
    /// and GitHub's "API rate limit exceeded" message.
    /// </summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="statusCode">403 (the default) or 429.</param>
    /// <param name="when">Which requests count; the request it receives has its method, path and operation, and status 0.</param>
    /// <returns>These rate limits.</returns>
    public GitHubEmulatorRateLimits ExceedPrimaryLimit(int count = 1, int statusCode = 403, Func<EmulatorRequest, bool>? when = null) =>
        Add(new Injection(false, CheckStatus(statusCode), 0, when, CheckCount(count)));

    /// <summary>
    /// Makes the next <paramref name="count"/> requests (that match <paramref name="when"/>, if given) answer a
    /// secondary rate limit: 403 or 429 with <c>retry-after</c> and GitHub's "You have exceeded a secondary rate
    /// limit" message; the primary-limit headers keep their values.
    /// </summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="statusCode">403 (the default) or 429.</param>
    /// <param name="retryAfterSeconds">The <c>retry-after</c> value, in seconds; default 60.</param>
    /// <param name="when">Which requests count; the request it receives has its method, path and operation, and status 0.</param>
    /// <returns>These rate limits.</returns>
    public GitHubEmulatorRateLimits ExceedSecondaryLimit(int count = 1, int statusCode = 403, int retryAfterSeconds = 60, Func<EmulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        return Add(new Injection(true, CheckStatus(statusCode), retryAfterSeconds, when, CheckCount(count)));
    }

    /// <summary>Removes every injected failure that has not happened yet.</summary>
    public void ClearInjected()
    {
        lock (_gate)
        {
            _injections.Clear();
        }
    }

    /// <summary>The injected failure for a request, if one applies (and uses it up).</summary>
    internal RateLimitFailure? TakeInjected(EmulatorRequest pending)
    {
        lock (_gate)
        {
            for (var i = 0; i < _injections.Count; i++)
            {
                var injection = _injections[i];
                if (injection.When is not null && !injection.When(pending))
                {
                    continue;
                }

                if (injection.Remaining <= 1)
                {
                    _injections.RemoveAt(i);
                }
                else
                {
                    _injections[i] = injection with { Remaining = injection.Remaining - 1 };
                }

                return injection.Secondary
                    ? new RateLimitFailure(injection.StatusCode, true, injection.RetryAfterSeconds,
                        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
                        "If you reach out to GitHub Support for help, please include the request ID {0}.", SecondaryDocs)
                    : PrimaryFailure(injection.StatusCode);
            }

            return null;
        }
    }

    /// <summary>The primary-limit failure when the window is used up, else <see langword="null"/>.</summary>
    internal RateLimitFailure? Exhausted()
    {
        lock (_gate)
        {
            Roll();
            return _used >= Limit ? PrimaryFailure(403) : null;
        }
    }

    /// <summary>Counts a request against the window.</summary>
    internal void Count()
    {
        lock (_gate)
        {
            Roll();
            if (_used < Limit)
            {
                _used++;
            }
        }
    }

    /// <summary>The header values: limit, remaining, used and reset (epoch seconds).</summary>
    internal (int Limit, int Remaining, int Used, long Reset) Snapshot()
    {
        lock (_gate)
        {
            Roll();
            return (Limit, Limit - _used, _used, _windowStart.AddHours(1).ToUnixTimeSeconds());
        }
    }

    private static RateLimitFailure PrimaryFailure(int statusCode) => new(statusCode, false, 0,
        "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID {0}.",
        PrimaryDocs);

    private static int CheckStatus(int statusCode) => statusCode is 403 or 429
        ? statusCode
        : throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "GitHub answers rate limits with 403 or 429.");

    private static int CheckCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return count;
    }

    private GitHubEmulatorRateLimits Add(Injection injection)
    {
        lock (_gate)
        {
            _injections.Add(injection);
        }

        return this;
    }

    private void Roll()
    {
        var now = _time.GetUtcNow();
        if (now >= _windowStart.AddHours(1))
        {
            _windowStart = now;
            _used = 0;
        }
    }

    private sealed record Injection(bool Secondary, int StatusCode, int RetryAfterSeconds, Func<EmulatorRequest, bool>? When, int Remaining);
}

/// <summary>A rate-limit answer: status, kind, retry-after, message (with <c>{0}</c> for the request id) and documentation URL.</summary>
internal sealed record RateLimitFailure(int StatusCode, bool Secondary, int RetryAfterSeconds, string MessageFormat, string DocumentationUrl);
