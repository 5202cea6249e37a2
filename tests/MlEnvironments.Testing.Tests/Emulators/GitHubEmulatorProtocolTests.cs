using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

public class GitHubEmulatorProtocolTests : EmulatorTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    protected override GitHubEmulatorOptions Options => new() { TimeProvider = _time };

    private void SeedEnvironments(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            GitHub.Seed(Repo, Environment($"env-{i:D2}"));
        }
    }

    [Fact]
    public async Task Paging_FollowsGitHub_PerPageAndPage_WithLinkHeaderFromTheRequestUrl()
    {
        SeedEnvironments(5);
        var path = $"repos/{Repo}/environments";

        var first = await GetAsync(path + "?per_page=2");
        var firstBody = await ReadConformingAsync(first, "repos/get-all-environments");
        Assert.Equal(5, firstBody.GetProperty("total_count").GetInt32());
        Assert.Equal(["env-01", "env-02"], firstBody.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var url = Emulator.BaseAddress + path;
        Assert.Equal($"<{url}?per_page=2&page=2>; rel=\"next\", <{url}?per_page=2&page=3>; rel=\"last\"", Header(first, "Link"));

        var middle = await GetAsync(path + "?page=2&per_page=2");
        Assert.Equal(["env-03", "env-04"], (await ReadConformingAsync(middle, "repos/get-all-environments")).GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(
            $"<{url}?per_page=2&page=1>; rel=\"prev\", <{url}?per_page=2&page=3>; rel=\"next\", <{url}?per_page=2&page=3>; rel=\"last\", <{url}?per_page=2&page=1>; rel=\"first\"",
            Header(middle, "Link"));

        var last = await GetAsync(path + "?per_page=2&page=3");
        Assert.Single((await ReadConformingAsync(last, "repos/get-all-environments")).GetProperty("environments").EnumerateArray());
        Assert.Equal($"<{url}?per_page=2&page=2>; rel=\"prev\", <{url}?per_page=2&page=1>; rel=\"first\"", Header(last, "Link"));

        var everything = await GetAsync(path);
        Assert.Equal(5, (await ReadConformingAsync(everything, "repos/get-all-environments")).GetProperty("environments").GetArrayLength());
        Assert.Empty(Header(everything, "Link"));
    }

    [Fact]
    public async Task Paging_CapsPerPageAt100()
    {
        SeedEnvironments(3);

        var response = await GetAsync($"repos/{Repo}/environments?per_page=1000");

        Assert.Equal(3, (await ReadConformingAsync(response, "repos/get-all-environments")).GetProperty("environments").GetArrayLength());
    }

    [Fact]
    public async Task ETags_OnEveryGet_IfNoneMatchAnswers304WithoutBody_AndDoesNotCountAgainstTheLimit()
    {
        GitHub.Seed(Repo, Environment("prod"));

        var first = await GetAsync(EnvPath("prod"));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var remaining = int.Parse(Header(first, "x-ratelimit-remaining"), CultureInfo.InvariantCulture);

        var conditional = new HttpRequestMessage(HttpMethod.Get, EnvPath("prod"));
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await Http.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal(remaining, int.Parse(Header(notModified, "x-ratelimit-remaining"), CultureInfo.InvariantCulture));

        // A change gives a new ETag and a full answer.
        await GitHub.CreateOrUpdateEnvironmentAsync(Repo, "prod", new GitHubEnvironmentSettings { WaitTimer = TimeSpan.FromMinutes(1) });
        var changed = new HttpRequestMessage(HttpMethod.Get, EnvPath("prod"));
        changed.Headers.IfNoneMatch.Add(etag);
        var modified = await Http.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.NotEqual(etag, modified.Headers.ETag);
        Assert.Equal(remaining - 1, int.Parse(Header(modified, "x-ratelimit-remaining"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RateLimitHeaders_OnEveryResponse_RemainingDecreases()
    {
        var a = await GetAsync($"repos/{Repo}/environments");
        var b = await GetAsync("no/such/path");
        var c = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"bogus": 1}""");

        foreach (var response in new[] { a, b, c })
        {
            Assert.Equal("5000", Header(response, "x-ratelimit-limit"));
            Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Header(response, "x-ratelimit-reset"));
            Assert.Equal("core", Header(response, "x-ratelimit-resource"));
            Assert.NotEmpty(Header(response, "X-GitHub-Request-Id"));
        }

        Assert.Equal(["4999", "4998", "4997"], new[] { a, b, c }.Select(r => Header(r, "x-ratelimit-remaining")));
        Assert.Equal("3", Header(c, "x-ratelimit-used"));
        Assert.Equal(3, new[] { a, b, c }.Select(r => Header(r, "X-GitHub-Request-Id")).Distinct().Count());
        Assert.Equal(4997, Emulator.RateLimits.Remaining);
    }

    [Fact]
    public async Task RateLimitEndpoint_ReportsTheCoreLimit_AndDoesNotCount()
    {
        await GetAsync($"repos/{Repo}/environments");

        var body = await ReadConformingAsync(await GetAsync("rate_limit"), "rate-limit/get");
        var again = await GetAsync("rate_limit");

        var core = body.GetProperty("resources").GetProperty("core");
        Assert.Equal((5000, 4999, 1), (core.GetProperty("limit").GetInt32(), core.GetProperty("remaining").GetInt32(), core.GetProperty("used").GetInt32()));
        Assert.Equal(4999, body.GetProperty("rate").GetProperty("remaining").GetInt32());
        Assert.Equal("4999", Header(again, "x-ratelimit-remaining"));
    }

    [Fact]
    public async Task InjectedPrimaryLimit_Answers403Or429_WithRemainingZeroAndReset()
    {
        Emulator.RateLimits.ExceedPrimaryLimit(count: 1).ExceedPrimaryLimit(count: 1, statusCode: 429);

        var forbidden = await GetAsync($"repos/{Repo}/environments");
        var tooMany = await GetAsync($"repos/{Repo}/environments");
        var fine = await GetAsync($"repos/{Repo}/environments");

        Assert.Contains("API rate limit exceeded", await ReadErrorAsync(forbidden, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Contains("rate limit exceeded", await ReadErrorAsync(tooMany, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        foreach (var response in new[] { forbidden, tooMany })
        {
            Assert.Equal("0", Header(response, "x-ratelimit-remaining"));
            Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Header(response, "x-ratelimit-reset"));
            Assert.Empty(Header(response, "Retry-After"));
        }

        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal("4999", Header(fine, "x-ratelimit-remaining"));
        Assert.Equal([403, 429, 200], Emulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task InjectedSecondaryLimit_MatchingAPredicate_AnswersRetryAfterAndTheDocumentedMessage()
    {
        GitHub.Seed(Repo, Environment("prod"));
        Emulator.RateLimits.ExceedSecondaryLimit(count: 2, statusCode: 429, retryAfterSeconds: 30, when: r => r.Method == "POST");

        var read = await GetAsync(EnvPath("prod"));
        var write = await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "A", "value": "b"}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var message = await ReadErrorAsync(write, HttpStatusCode.TooManyRequests);
        Assert.StartsWith("You have exceeded a secondary rate limit", message, StringComparison.Ordinal);
        Assert.Contains(Header(write, "X-GitHub-Request-Id"), message, StringComparison.Ordinal);
        Assert.Equal("30", Header(write, "Retry-After"));
        Assert.NotEqual("0", Header(write, "x-ratelimit-remaining"));
        Assert.Empty(await GitHub.ListEnvironmentVariablesAsync(Repo, "prod"));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "A", "value": "b"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "A", "value": "b"}""")).StatusCode);
    }

    [Fact]
    public async Task SchemaViolation_Answers422_AndIsRecorded()
    {
        GitHub.Seed(Repo, Environment("prod"));

        var unknownKey = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"wait_timer": 5, "reviewer": []}""");
        var wrongType = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"wait_timer": "5"}""");
        var badEnum = await SendAsync(HttpMethod.Put, EnvPath("prod"), """{"reviewers": [{"type": "Bot", "id": 1}]}""");
        var missing = await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"), """{"name": "A"}""");
        var noBody = await SendAsync(HttpMethod.Post, EnvPath("prod", "/variables"));

        Assert.Contains("\"reviewer\" is not a permitted key", await ReadErrorAsync(unknownKey, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("/wait_timer", await ReadErrorAsync(wrongType, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("/reviewers/0/type", await ReadErrorAsync(badEnum, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("\"value\" wasn't supplied", await ReadErrorAsync(missing, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noBody.StatusCode);

        var violations = Emulator.SchemaViolations;
        Assert.Equal(5, violations.Count);
        Assert.All(violations, v => Assert.False(v.BodyValid));
        Assert.Equal("repos/create-or-update-environment", violations[0].OperationId);
        Assert.Equal(TimeSpan.Zero, (await GitHub.GetEnvironmentAsync(Repo, "prod"))!.WaitTimer);
        Assert.DoesNotContain(GitHub.Calls, c => c.IsWrite);
    }

    [Fact]
    public async Task InvalidJson_Answers400ProblemsParsingJson()
    {
        var response = await SendAsync(HttpMethod.Put, EnvPath("prod"), "{not json");

        Assert.Equal("Problems parsing JSON", await ReadErrorAsync(response, HttpStatusCode.BadRequest));
        Assert.False(Assert.Single(Emulator.Requests).BodyValid);
    }

    [Fact]
    public async Task UnmatchedPathsAndMethods_Answer404_AndAreRecordedAsUnmatched()
    {
        var path = await GetAsync($"repos/{Repo}/environments/prod/unknown");
        var method = await SendAsync(HttpMethod.Post, $"repos/{Repo}/environments");
        var legacy = await GetAsync("repositories/1/environments/prod/secrets");
        var matched = await GetAsync($"repos/{Repo}/environments");

        foreach (var response in new[] { path, method, legacy })
        {
            Assert.Equal("Not Found", await ReadErrorAsync(response, HttpStatusCode.NotFound));
        }

        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
        Assert.Equal(
            [("GET", $"/repos/{Repo}/environments/prod/unknown"), ("POST", $"/repos/{Repo}/environments"), ("GET", "/repositories/1/environments/prod/secrets")],
            Emulator.UnmatchedRequests.Select(r => (r.Method, r.Path)));
        Assert.Equal("repos/get-all-environments", Emulator.Requests[^1].OperationId);
    }

    [Fact]
    public async Task IntegerPathParameters_ThatAreNotIntegers_Answer404_WithASchemaError()
    {
        GitHub.Seed(Repo, Environment("prod").AllowBranches("main"));

        var response = await GetAsync(EnvPath("prod", "/deployment-branch-policies/abc"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var request = Assert.Single(Emulator.SchemaViolations);
        Assert.Equal("repos/get-deployment-branch-policy", request.OperationId);
        Assert.True(request.BodyValid);
        Assert.Contains("branch_policy_id", Assert.Single(request.SchemaErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperationsOfTheSpecTheEmulatorDoesNotServe_Answer501()
    {
        var response = await GetAsync($"repos/{Repo}/actions/runs/1/jobs");

        Assert.Contains("actions/list-jobs-for-workflow-run", await ReadErrorAsync(response, HttpStatusCode.NotImplemented), StringComparison.Ordinal);
        Assert.Equal("actions/list-jobs-for-workflow-run", Assert.Single(Emulator.Requests).OperationId);
    }

    [Fact]
    public async Task AnotherApiVersion_Answers400()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"repos/{Repo}/environments");
        request.Headers.Add("X-GitHub-Api-Version", "2026-03-10");
        var explicitDefault = new HttpRequestMessage(HttpMethod.Get, $"repos/{Repo}/environments");
        explicitDefault.Headers.Add("X-GitHub-Api-Version", "2022-11-28");

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(explicitDefault)).StatusCode);
    }

    [Fact]
    public async Task ErrorBodies_HaveMessageAndDocumentationUrl_FromTheOperation()
    {
        var response = await GetAsync(EnvPath("missing"));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not Found", body.GetProperty("message").GetString());
        Assert.Equal("https://docs.github.com/rest/deployments/environments#get-an-environment", body.GetProperty("documentation_url").GetString());
        Assert.NotEmpty(Header(response, "X-GitHub-Request-Id"));
    }

    [Fact]
    public async Task NaturalExhaustion_AnswersPrimaryLimit_UntilTheWindowResets()
    {
        await using var emulator = await GitHubEmulator.StartAsync(options: new GitHubEmulatorOptions { TimeProvider = _time, PrimaryRateLimit = 2 });
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync("users/nobody")).StatusCode);
        }

        _time.Advance(TimeSpan.FromHours(1));
        var afterReset = await client.GetAsync("users/nobody");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Forbidden], statuses);
        Assert.Equal(HttpStatusCode.NotFound, afterReset.StatusCode);
        Assert.Equal("1", Header(afterReset, "x-ratelimit-remaining"));
    }

    [Fact]
    public async Task ReadmeExample_Works()
    {
        await using var github = await GitHubEmulator.StartAsync();
        github.State.Seed(RepositoryId.Parse("octo-org/credit-risk"), Environment("prod"));
        using var http = new HttpClient { BaseAddress = github.BaseAddress };
        var prod = await http.GetStringAsync("repos/octo-org/credit-risk/environments/prod");
        Assert.Empty(github.SchemaViolations);

        Assert.Equal("prod", JsonDocument.Parse(prod).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Server_ListensOn127001Only()
    {
        Assert.Equal("127.0.0.1", Emulator.BaseAddress.Host);
        Assert.Equal("http", Emulator.BaseAddress.Scheme);
        Assert.Equal("/", Emulator.BaseAddress.AbsolutePath);
        var port = Emulator.BaseAddress.Port;

        using (var loopback = new TcpClient(AddressFamily.InterNetwork))
        {
            await loopback.ConnectAsync(IPAddress.Loopback, port);
            Assert.True(loopback.Connected);
        }

        var others = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
            .Append(IPAddress.IPv6Loopback)
            .ToList();
        foreach (var address in others)
        {
            using var client = new TcpClient(address.AddressFamily);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Assert.ThrowsAnyAsync<Exception>(async () => await client.ConnectAsync(address, port, guard.Token));
        }
    }
}
