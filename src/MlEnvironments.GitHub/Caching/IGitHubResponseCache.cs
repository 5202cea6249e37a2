using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Where the conditional-request cache keeps the last 200 OK answer of each GET (body, <c>ETag</c> and headers), so
/// that a re-read can send <c>If-None-Match</c> and, when GitHub answers 304, be answered from the copy. By default the
/// client keeps the copies in memory, per connection; register an implementation (e.g.
/// <see cref="FileGitHubResponseCache"/>) as a service to keep them elsewhere.
/// </summary>
/// <remarks>
/// The client asks for and hands over only what may be kept: answers to <c>GET</c> with status 200 and an
/// <c>ETag</c>, never an answer marked <c>Cache-Control: no-store</c> or from an endpoint that issues credentials.
/// GitHub returns no secret value on any read (a secret's value is write-only). Keys are partitioned per API host and
/// per <c>Authorization</c> value (GitHub answers <c>Vary: Accept, Authorization, Cookie</c>): an implementation must
/// never answer a key with an entry stored under another <see cref="GitHubResponseCacheKey.Partition"/>. A failing
/// cache must not fail requests: the client treats an exception from <see cref="GetAsync"/> as a miss and from
/// <see cref="SetAsync"/> as nothing stored.
/// </remarks>
public interface IGitHubResponseCache
{
    /// <summary>The copy kept for the key, or <see langword="null"/> when there is none (or it cannot be read).</summary>
    /// <param name="key">The request's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The copy, or <see langword="null"/>.</returns>
    ValueTask<GitHubCachedResponse?> GetAsync(GitHubResponseCacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Keeps (or replaces) the copy for the key.</summary>
    /// <param name="key">The request's key.</param>
    /// <param name="response">The 200 OK answer to keep.</param>
    /// <param name="cancellationToken">Cancels the write (nothing half-written is left to read).</param>
    /// <returns>A task that completes when the copy is kept, or given up.</returns>
    ValueTask SetAsync(GitHubResponseCacheKey key, GitHubCachedResponse response, CancellationToken cancellationToken = default);
}

/// <summary>
/// What identifies a kept answer: the partition (API host and credential, hashed), the request's URI, and the request
/// headers the answer varies on besides the credential (<c>Accept</c>, <c>X-GitHub-Api-Version</c>).
/// </summary>
public sealed class GitHubResponseCacheKey : IEquatable<GitHubResponseCacheKey>
{
    /// <summary>Creates a key.</summary>
    /// <param name="partition">64 lowercase hexadecimal digits: see <see cref="Partition"/> and <see cref="PartitionFor"/>.</param>
    /// <param name="requestUri">The request's absolute URI.</param>
    /// <param name="variant">The request headers the answer varies on, as one string (may be empty).</param>
    /// <exception cref="ArgumentException">The partition is not 64 lowercase hexadecimal digits, or the URI is not absolute.</exception>
    public GitHubResponseCacheKey(string partition, Uri requestUri, string variant)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(variant);
        if (partition.Length != 64 || !IsLowerHex(partition))
        {
            throw new ArgumentException($"{nameof(partition)} must be 64 lowercase hexadecimal digits (a SHA-256 hash); it is {partition.Length} characters long.", nameof(partition));
        }

        if (!requestUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"{nameof(requestUri)} must be an absolute URI.", nameof(requestUri));
        }

        Partition = partition;
        RequestUri = requestUri;
        Variant = variant;
        EntryName = Hash(requestUri.AbsoluteUri + "\n" + variant);
    }

    /// <summary>
    /// The hexadecimal SHA-256 hash of the API host (scheme, host, port) and the request's <c>Authorization</c> value:
    /// one partition per host and credential, which a store can use as a folder name. The credential itself is never
    /// part of a key.
    /// </summary>
    public string Partition { get; }

    /// <summary>The request's absolute URI (query included).</summary>
    public Uri RequestUri { get; }

    /// <summary>The request headers the answer varies on besides the credential, as one string.</summary>
    public string Variant { get; }

    /// <summary>The hexadecimal SHA-256 hash of <see cref="RequestUri"/> and <see cref="Variant"/>: a file name for the entry within its partition.</summary>
    public string EntryName { get; }

    /// <summary>The partition of a request: the hash of its URI's scheme, host and port and of its <c>Authorization</c> value.</summary>
    /// <param name="requestUri">The request's absolute URI.</param>
    /// <param name="authorization">The request's <c>Authorization</c> header value, or <see langword="null"/> when it has none.</param>
    /// <returns>64 lowercase hexadecimal digits.</returns>
    public static string PartitionFor(Uri requestUri, string? authorization)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        return Hash(requestUri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + "\n" + (authorization ?? string.Empty));
    }

    /// <inheritdoc />
    public bool Equals(GitHubResponseCacheKey? other) =>
        other is not null && Partition == other.Partition && EntryName == other.EntryName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GitHubResponseCacheKey);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Partition, EntryName);

    /// <summary>The URI and the partition's first digits (the partition is a hash; it reveals no credential).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{RequestUri.AbsolutePath} (partition {Partition[..8]}…)";

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static bool IsLowerHex(string text)
    {
        foreach (var c in text)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A kept 200 OK answer: its <c>ETag</c>, body, content type and the response headers to replay (<c>Link</c>, …).</summary>
public sealed class GitHubCachedResponse
{
    /// <summary>Creates a kept answer.</summary>
    /// <param name="etag">The <c>ETag</c> as GitHub sent it (with quotes, and <c>W/</c> when weak).</param>
    /// <param name="body">The body, as received.</param>
    /// <param name="contentType">The body's <c>Content-Type</c>, or <see langword="null"/>.</param>
    /// <param name="headers">The response headers to replay (name, value; a name may repeat). Rate-limit headers are not kept.</param>
    /// <exception cref="ArgumentException">The <c>ETag</c> is empty.</exception>
    public GitHubCachedResponse(string etag, ReadOnlyMemory<byte> body, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(etag);
        ArgumentNullException.ThrowIfNull(headers);
        ETag = etag;
        Body = body;
        ContentType = contentType;
        Headers = headers;
    }

    /// <summary>The <c>ETag</c> as GitHub sent it.</summary>
    public string ETag { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body's <c>Content-Type</c>, or <see langword="null"/>.</summary>
    public string? ContentType { get; }

    /// <summary>The response headers to replay.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The <c>ETag</c> and the body's size (never the body).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{ETag} ({Body.Length} bytes)";
}
