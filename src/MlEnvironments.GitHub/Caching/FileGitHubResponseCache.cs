using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.GitHub;

/// <summary>
/// Keeps the conditional-request copies on disk, so that another process with the same credential re-reads for
/// 304s: one folder per partition (API host and credential, hashed: the credential is never written), one file per
/// request. Folders are created <c>0700</c> and files <c>0600</c> on Unix (with those modes, not changed afterwards),
/// and a partition folder that others may read or write is not used. Every file is written to a temporary file and
/// renamed, so that a concurrent process never reads half a file; a file that cannot be read or does not check out
/// (format, URI, length, SHA-256 of the body) is ignored, deleted and written again on the next 200. The total size is
/// bounded by <see cref="MaxBytes"/>: beyond it, the least recently used files go first.
/// </summary>
/// <remarks>Creating one does no I/O; the folder is created on the first write.</remarks>
public sealed class FileGitHubResponseCache : IGitHubResponseCache
{
    /// <summary>The default bound on the files' total size: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    /// <summary>The smallest bound accepted: 16 KiB.</summary>
    public const long MinMaxBytes = 16 * 1024;

    private const string EntryExtension = ".entry";
    private const string TemporaryExtension = ".tmp";
    private static readonly byte[] Magic = "MLENV-HTTP-CACHE 1\n"u8.ToArray();
    private static readonly TimeSpan AbandonedTemporaryAge = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, bool> _usablePartitions = new(StringComparer.Ordinal);
    private readonly object _sizeLock = new();
    private long _bytes = -1;
    private int _evicting;

    /// <summary>Creates a store in a folder (created on the first write).</summary>
    /// <param name="directory">An absolute path; one folder per partition is made inside it.</param>
    /// <param name="maxBytes">The bound on the files' total size. <value>Default <see cref="DefaultMaxBytes"/> (100 MiB); at least <see cref="MinMaxBytes"/>.</value></param>
    /// <param name="timeProvider">The clock that marks use (for least-recently-used eviction). <value>Default <see cref="TimeProvider.System"/>.</value></param>
    /// <exception cref="ArgumentException">The path is empty or not absolute.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is below <see cref="MinMaxBytes"/>.</exception>
    public FileGitHubResponseCache(string directory, long maxBytes = DefaultMaxBytes, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new ArgumentException($"{nameof(directory)} must be an absolute path; it is '{directory}'.", nameof(directory));
        }

        if (maxBytes < MinMaxBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"{nameof(maxBytes)} must be at least {MinMaxBytes} bytes.");
        }

        Directory = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The folder that holds one folder per partition.</summary>
    public string Directory { get; }

    /// <summary>The bound on the files' total size, in bytes.</summary>
    public long MaxBytes { get; }

    /// <inheritdoc />
    public async ValueTask<GitHubCachedResponse?> GetAsync(GitHubResponseCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var partition = Path.Combine(Directory, key.Partition);
        var path = Path.Combine(partition, key.EntryName + EntryExtension);
        byte[] bytes;
        try
        {
            if (!File.Exists(path) || !IsUsable(partition, create: false))
            {
                return null;
            }

            if (new FileInfo(path).Length > MaxBytes)
            {
                TryDelete(path);
                return null;
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (Decode(bytes, key) is not { } response)
        {
            // Corrupt, truncated or not this request's: ignored, and replaced by the next 200.
            TryDelete(path);
            return null;
        }

        try
        {
            // Marks use, for the least-recently-used eviction.
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return response;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(GitHubResponseCacheKey key, GitHubCachedResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        var bytes = Encode(key, response);
        if (bytes.Length > MaxBytes / 2)
        {
            return;
        }

        var partition = Path.Combine(Directory, key.Partition);
        var path = Path.Combine(partition, key.EntryName + EntryExtension);
        var temporary = Path.Combine(partition, $"{key.EntryName}.{Guid.NewGuid():N}{TemporaryExtension}");
        var moved = false;
        try
        {
            if (!IsUsable(partition, create: true))
            {
                return;
            }

            EnsureMeasured();
            var stream = new FileStream(temporary, CreateOptions());
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            var previous = File.Exists(path) ? new FileInfo(path).Length : 0;
            File.Move(temporary, path, overwrite: true);
            moved = true;
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            Account(bytes.Length - previous);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder went away meanwhile (deleted by hand): made again on the next write.
            _usablePartitions.TryRemove(partition, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A store that cannot write loses 304s, never requests.
        }
        finally
        {
            if (!moved)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>Files are created readable and writable by their owner only (Unix), for writing once.</summary>
    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Creates the partition's folder (and the store's) with mode <c>0700</c> on Unix when missing; a partition folder
    /// that group or others may use is never used. Windows: the folder inherits the per-user profile's access rules.
    /// </summary>
    private bool IsUsable(string partition, bool create)
    {
        if (_usablePartitions.TryGetValue(partition, out var usable))
        {
            return usable;
        }

        if (OperatingSystem.IsWindows())
        {
            if (!System.IO.Directory.Exists(partition))
            {
                if (!create)
                {
                    return false;
                }

                System.IO.Directory.CreateDirectory(partition);
            }

            return _usablePartitions[partition] = true;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (!System.IO.Directory.Exists(partition))
        {
            if (!create)
            {
                return false;
            }

            if (!System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.CreateDirectory(Directory, OwnerOnly);
            }

            System.IO.Directory.CreateDirectory(partition, OwnerOnly);
        }

        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                    UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return _usablePartitions[partition] = (File.GetUnixFileMode(partition) & Others) == 0;
    }

    /// <summary>Measures the store once, on the first write of this instance (other processes may have filled it).</summary>
    private void EnsureMeasured()
    {
        if (Interlocked.Read(ref _bytes) >= 0)
        {
            return;
        }

        lock (_sizeLock)
        {
            if (_bytes < 0)
            {
                _bytes = Entries().Sum(e => e.Length);
            }
        }

        Account(0);
    }

    private void Account(long delta)
    {
        var total = Interlocked.Add(ref _bytes, delta);
        if (total > MaxBytes && Interlocked.Exchange(ref _evicting, 1) == 0)
        {
            try
            {
                Evict();
            }
            finally
            {
                Volatile.Write(ref _evicting, 0);
            }
        }
    }

    /// <summary>Deletes the least recently used files until the total is at most three quarters of the bound.</summary>
    private void Evict()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var abandoned in Files("*" + TemporaryExtension).Where(f => now - f.LastWriteTimeUtc > AbandonedTemporaryAge))
        {
            TryDelete(abandoned.FullName);
        }

        var entries = Entries().OrderBy(e => e.LastWriteTimeUtc).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        var total = entries.Sum(e => e.Length);
        var target = MaxBytes / 4 * 3;
        foreach (var entry in entries)
        {
            if (total <= target)
            {
                break;
            }

            if (TryDelete(entry.FullName))
            {
                total -= entry.Length;
            }
        }

        Interlocked.Exchange(ref _bytes, total);
    }

    private List<FileInfo> Entries() => Files("*" + EntryExtension);

    private List<FileInfo> Files(string pattern)
    {
        var files = new List<FileInfo>();
        try
        {
            var root = new DirectoryInfo(Directory);
            if (!root.Exists)
            {
                return files;
            }

            foreach (var partition in root.EnumerateDirectories())
            {
                if (partition.Name.Length != 64)
                {
                    continue;
                }

                try
                {
                    files.AddRange(partition.EnumerateFiles(pattern));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return files;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // ----- the file format: a magic line, one line of JSON (what the entry is and checks), then the body ----------

    internal static byte[] Encode(GitHubResponseCacheKey key, GitHubCachedResponse response)
    {
        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteString("uri", key.RequestUri.AbsoluteUri);
            json.WriteString("variant", key.Variant);
            json.WriteString("etag", response.ETag);
            if (response.ContentType is { } contentType)
            {
                json.WriteString("contentType", contentType);
            }

            json.WriteStartArray("headers");
            foreach (var (name, value) in response.Headers)
            {
                json.WriteStartArray();
                json.WriteStringValue(name);
                json.WriteStringValue(value);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteNumber("length", response.Body.Length);
            json.WriteString("sha256", Convert.ToHexString(SHA256.HashData(response.Body.Span)));
            json.WriteEndObject();
        }

        var bytes = new byte[Magic.Length + header.WrittenCount + 1 + response.Body.Length];
        Magic.CopyTo(bytes, 0);
        header.WrittenSpan.CopyTo(bytes.AsSpan(Magic.Length));
        bytes[Magic.Length + header.WrittenCount] = (byte)'\n';
        response.Body.Span.CopyTo(bytes.AsSpan(Magic.Length + header.WrittenCount + 1));
        return bytes;
    }

    internal static GitHubCachedResponse? Decode(byte[] bytes, GitHubResponseCacheKey key)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var end = bytes.AsSpan(Magic.Length).IndexOf((byte)'\n');
        if (end < 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(Magic.Length, end));
            var root = document.RootElement;
            var body = bytes.AsMemory(Magic.Length + end + 1);
            if (root.GetProperty("uri").GetString() != key.RequestUri.AbsoluteUri ||
                root.GetProperty("variant").GetString() != key.Variant ||
                root.GetProperty("length").GetInt64() != body.Length ||
                !string.Equals(root.GetProperty("sha256").GetString(), Convert.ToHexString(SHA256.HashData(body.Span)), StringComparison.Ordinal) ||
                root.GetProperty("etag").GetString() is not { Length: > 0 } etag)
            {
                return null;
            }

            var headers = new List<KeyValuePair<string, string>>();
            foreach (var pair in root.GetProperty("headers").EnumerateArray())
            {
                if (pair.GetArrayLength() != 2 || pair[0].GetString() is not { } name || pair[1].GetString() is not { } value)
                {
                    return null;
                }

                headers.Add(new(name, value));
            }

            var contentType = root.TryGetProperty("contentType", out var type) ? type.GetString() : null;
            return new GitHubCachedResponse(etag, body, contentType, headers);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
