using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// The default store: the copies in memory, for the connection's lifetime, at most <see cref="MaxEntries"/> of them
/// (beyond, the oldest go first, so that a large organisation keeps most of its 304s).
/// </summary>
internal sealed class InMemoryGitHubResponseCache : IGitHubResponseCache
{
    internal const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<GitHubResponseCacheKey, GitHubCachedResponse> _entries = new();
    private readonly ConcurrentQueue<GitHubResponseCacheKey> _order = new();

    public ValueTask<GitHubCachedResponse?> GetAsync(GitHubResponseCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(_entries.TryGetValue(key, out var response) ? response : null);
    }

    public ValueTask SetAsync(GitHubResponseCacheKey key, GitHubCachedResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        while (_entries.Count >= MaxEntries && _order.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }

        if (!_entries.ContainsKey(key))
        {
            _order.Enqueue(key);
        }

        _entries[key] = response;
        return ValueTask.CompletedTask;
    }
}
