using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub.Http;

namespace MlEnvironments.GitHub.Tests;

/// <summary>The on-disk store of the conditional-request cache, on its own, and the rule of what is kept.</summary>
public sealed class FileResponseCacheTests : IDisposable
{
    private static readonly string Partition = GitHubResponseCacheKey.PartitionFor(new Uri("https://api.github.com/"), "Bearer ghp_unit");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mlenv-cache-unit", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static GitHubResponseCacheKey Key(int i) => new(Partition, new Uri($"https://api.github.com/repos/o/r/environments?page={i}"), "application/vnd.github+json\n2022-11-28");

    private static GitHubCachedResponse Response(int i, int size = 100) =>
        new($"W/\"{i}\"", Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), size)), "application/json; charset=utf-8",
            [new("Link", $"<https://api.github.com/x?page={i + 1}>; rel=\"next\""), new("ETag", $"W/\"{i}\"")]);

    private long StoredBytes() => Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    [Fact]
    public async Task AnEntry_RoundTrips_WithItsHeaders_AndNothingIsCreatedBeforeTheFirstWrite()
    {
        var cache = new FileGitHubResponseCache(_directory);
        Assert.False(Directory.Exists(_directory));
        Assert.Null(await cache.GetAsync(Key(1)));
        Assert.False(Directory.Exists(_directory));

        await cache.SetAsync(Key(1), Response(1));
        var read = await new FileGitHubResponseCache(_directory).GetAsync(Key(1));

        Assert.NotNull(read);
        Assert.Equal("W/\"1\"", read.ETag);
        Assert.Equal(Response(1).Body.ToArray(), read.Body.ToArray());
        Assert.Equal("application/json; charset=utf-8", read.ContentType);
        Assert.Equal(Response(1).Headers, read.Headers);
        Assert.Null(await cache.GetAsync(Key(2)));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AnEntryOfAnotherRequest_IsNotAnsweredForThisOne()
    {
        var cache = new FileGitHubResponseCache(_directory);
        await cache.SetAsync(Key(1), Response(1));
        var path = Directory.GetFiles(_directory, "*.entry", SearchOption.AllDirectories).Single();
        var other = new GitHubResponseCacheKey(Partition, Key(1).RequestUri, "application/vnd.github.raw\n2022-11-28");

        // The file of another variant copied over this one's name: its header says whose it is.
        File.Copy(path, Path.Combine(Path.GetDirectoryName(path)!, other.EntryName + ".entry"));

        Assert.Null(await cache.GetAsync(other));
        Assert.NotNull(await cache.GetAsync(Key(1)));
    }

    [Fact]
    public async Task TheTotalSize_StaysWithinTheBound_AndTheLeastRecentlyUsedGoFirst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new FileGitHubResponseCache(_directory, maxBytes: FileGitHubResponseCache.MinMaxBytes, time);
        for (var i = 0; i < 10; i++)
        {
            await cache.SetAsync(Key(i), Response(i, 1000));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Entry 0 is read (used) again; then more entries push the total over the bound.
        Assert.NotNull(await cache.GetAsync(Key(0)));
        time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 10; i < 40; i++)
        {
            await cache.SetAsync(Key(i), Response(i, 1000));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(StoredBytes() <= FileGitHubResponseCache.MinMaxBytes, $"{StoredBytes()} bytes");
        Assert.NotNull(await cache.GetAsync(Key(39)));
        Assert.Null(await cache.GetAsync(Key(1)));
        Assert.Null(await cache.GetAsync(Key(10)));

        // Another instance (another process) measures what is there and keeps to the same bound.
        var other = new FileGitHubResponseCache(_directory, maxBytes: FileGitHubResponseCache.MinMaxBytes, time);
        for (var i = 40; i < 60; i++)
        {
            await other.SetAsync(Key(i), Response(i, 1000));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(StoredBytes() <= FileGitHubResponseCache.MinMaxBytes, $"{StoredBytes()} bytes");
        Assert.NotNull(await other.GetAsync(Key(59)));
    }

    [Fact]
    public async Task TheLeastRecentlyUsed_SurvivesWhenReadAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new FileGitHubResponseCache(_directory, maxBytes: FileGitHubResponseCache.MinMaxBytes, time);
        for (var i = 0; i < 30; i++)
        {
            await cache.SetAsync(Key(i), Response(i, 1000));
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.NotNull(await cache.GetAsync(Key(0)));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.NotNull(await cache.GetAsync(Key(0)));
        Assert.Null(await cache.GetAsync(Key(1)));
    }

    [Fact]
    public async Task AnEntryLargerThanHalfTheBound_IsNotKept()
    {
        var cache = new FileGitHubResponseCache(_directory, maxBytes: FileGitHubResponseCache.MinMaxBytes);
        await cache.SetAsync(Key(1), Response(1, (int)FileGitHubResponseCache.MinMaxBytes));
        Assert.Null(await cache.GetAsync(Key(1)));
    }

    [Fact]
    public async Task ConcurrentWritersAndReaders_NeverSeeATornEntry()
    {
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var cache = new FileGitHubResponseCache(_directory);
            for (var round = 0; round < 50; round++)
            {
                await cache.SetAsync(Key(1), Response(w, 20_000 + w));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var cache = new FileGitHubResponseCache(_directory);
            for (var round = 0; round < 200; round++)
            {
                if (await cache.GetAsync(Key(1)) is { } read)
                {
                    // A whole entry of one writer: its length and its bytes belong together.
                    var writer = read.Body.Length - 20_000;
                    Assert.InRange(writer, 0, 3);
                    Assert.Equal(Response(writer, 20_000 + writer).Body.ToArray(), read.Body.ToArray());
                }
            }
        }));

        await Task.WhenAll(writers.Concat(readers));

        Assert.NotNull(await new FileGitHubResponseCache(_directory).GetAsync(Key(1)));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void BadArguments_AreRefusedNamingTheParameter()
    {
        Assert.Equal("directory", Assert.Throws<ArgumentException>(() => new FileGitHubResponseCache("relative/path")).ParamName);
        Assert.Equal("maxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new FileGitHubResponseCache(_directory, 1024)).ParamName);
        Assert.Equal("partition", Assert.Throws<ArgumentException>(() => new GitHubResponseCacheKey("../../etc", new Uri("https://api.github.com/"), string.Empty)).ParamName);
        Assert.Equal("partition", Assert.Throws<ArgumentException>(() => new GitHubResponseCacheKey(Partition.ToUpperInvariant(), new Uri("https://api.github.com/"), string.Empty)).ParamName);
        Assert.Equal("requestUri", Assert.Throws<ArgumentException>(() => new GitHubResponseCacheKey(Partition, new Uri("/repos", UriKind.Relative), string.Empty)).ParamName);
    }

    [Fact]
    public void Partitions_DifferPerTokenAndHost_AndNeverHoldTheToken()
    {
        var api = new Uri("https://api.github.com/repos/o/r");
        var a = GitHubResponseCacheKey.PartitionFor(api, "Bearer ghp_one");
        Assert.NotEqual(a, GitHubResponseCacheKey.PartitionFor(api, "Bearer ghp_two"));
        Assert.NotEqual(a, GitHubResponseCacheKey.PartitionFor(new Uri("https://ghes.example.com/api/v3/repos/o/r"), "Bearer ghp_one"));
        Assert.NotEqual(a, GitHubResponseCacheKey.PartitionFor(api, null));
        Assert.Equal(a, GitHubResponseCacheKey.PartitionFor(new Uri("https://API.github.com/other"), "Bearer ghp_one"));
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.DoesNotContain("ghp_one", new GitHubResponseCacheKey(a, api, string.Empty).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/repos/o/r/environments", 200, true, null, true)]
    [InlineData("GET", "/repos/o/r/environments/prod/secrets/public-key", 200, true, null, true)]
    [InlineData("GET", "/repos/o/r/environments/prod/secrets", 200, true, null, true)]
    [InlineData("GET", "/repos/o/r/environments", 200, false, null, false)]
    [InlineData("GET", "/repos/o/r/environments", 404, true, null, false)]
    [InlineData("GET", "/repos/o/r/environments", 200, true, "no-store", false)]
    [InlineData("POST", "/app/installations/1/access_tokens", 200, true, null, false)]
    [InlineData("GET", "/app/installations/1/access_tokens", 200, true, null, false)]
    [InlineData("GET", "/orgs/o/actions/runners/registration-token", 200, true, null, false)]
    [InlineData("PUT", "/repos/o/r/environments/prod", 200, true, null, false)]
    public void OnlyGet200sWithAnETag_AndNoCredentialEndpoint_AreKept(string method, string path, int status, bool etag, string? cacheControl, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(new Uri("https://api.github.com/"), path));
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (etag)
        {
            response.Headers.ETag = new EntityTagHeaderValue("\"abc\"", isWeak: true);
        }

        if (cacheControl is not null)
        {
            response.Headers.CacheControl = CacheControlHeaderValue.Parse(cacheControl);
        }

        Assert.Equal(expected, GitHubConditionalRequestHandler.IsStorable(request, response));
    }
}
