using System.Threading;

namespace MlEnvironments.GitHub;

/// <summary>Counts what the client sent, for diagnostics and request-counting benchmarks.</summary>
public sealed class GitHubRequestCounters
{
    private long _requests;
    private long _writes;
    private long _notModified;
    private long _retries;
    private long _rateLimited;

    /// <summary>Requests sent on the wire (retries included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Mutating requests sent on the wire.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Requests answered 304 Not Modified (free of rate limit).</summary>
    public long NotModified304 => Interlocked.Read(ref _notModified);

    /// <summary>Requests sent again after a rate limit, a 5xx or a network failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Responses that were primary or secondary rate limits.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    internal void Sent(bool write)
    {
        Interlocked.Increment(ref _requests);
        if (write)
        {
            Interlocked.Increment(ref _writes);
        }
    }

    internal void NotModified() => Interlocked.Increment(ref _notModified);

    internal void Retried() => Interlocked.Increment(ref _retries);

    internal void Limited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>Returns the counts on one line.</summary>
    public override string ToString() =>
        $"{Requests} requests ({Writes} writes, {NotModified304} answered 304, {Retries} retries, {RateLimited} rate-limited)";
}
