using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>
/// The conditional-request cache on disk (<see cref="FileGitHubResponseCache"/>), through the real client over HTTP:
/// a second client instance (fresh connection and HttpClient, as a second process has) with the same folder re-reads for 304s.
/// </summary>
public sealed class ResponseCacheOverHttpTests : IDisposable
{
    private const string OtherToken = "ghp_other_token_of_another_user_77";
    private const string SecretText = "cache-test-secret-value-never-stored-5150";
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mlenv-cache-tests", Guid.NewGuid().ToString("N"));

    private static RepositoryDefinition Definition() => Repository(Repo,
        Environment("dev")
            .WithVariable("MODEL_NAME", "credit-risk")
            .WithSecret("DEV_TOKEN", SecretValue.FromValue(SecretText + "-dev")),
        Environment("staging")
            .RequireReviewers(Team("ml-leads"))
            .AllowBranches("main", "release/*")
            .WithVariable("MODEL_NAME", "credit-risk"),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .AllowProtectedBranchesOnly()
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue("{\"clientSecret\":\"" + SecretText + "\"}")));

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

    private static async Task<GitHubEmulator> StartEmulatorAsync()
    {
        var state = new InMemoryGitHub();
        state.AddRepository(Repo).GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(EmulatedGitHub.Token);
        options.AcceptedTokens.Add(OtherToken);
        return await GitHubEmulator.StartAsync(state, options);
    }

    /// <summary>One "process": its own service provider, connection and HttpClient; the store on disk (or none).</summary>
    private static ServiceProvider Client(GitHubEmulator emulator, IGitHubResponseCache? cache, string token = EmulatedGitHub.Token)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(token)));
        if (cache is not null)
        {
            services.AddSingleton(cache);
        }

        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.WritePause = TimeSpan.Zero;
        });
        return services.BuildServiceProvider();
    }

    private static async Task<(RepositoryPlan Plan, List<EmulatorRequest> Requests)> PlanInNewProcessAsync(GitHubEmulator emulator, IGitHubResponseCache? cache, string token = EmulatedGitHub.Token)
    {
        await using var services = Client(emulator, cache, token);
        var before = emulator.Requests.Count;
        var plan = await services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Definition());
        return (plan, [.. emulator.Requests.Skip(before)]);
    }

    private static async Task ApplyAsync(GitHubEmulator emulator)
    {
        await using var services = Client(emulator, null);
        var plan = await services.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Definition());
        var result = await services.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);
        Assert.True(result.Succeeded, result.ToString());
    }

    private static double NotModifiedShare(List<EmulatorRequest> requests) =>
        requests.Count == 0 ? 0 : (double)requests.Count(r => r.StatusCode == 304) / requests.Count;

    [Fact]
    public async Task ASecondProcessWithTheSameFolder_IsAnsweredAtLeast90PercentBy304s()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);

        var (first, firstRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        var (second, secondRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));

        Assert.False(first.HasChanges, first.ToText());
        Assert.False(second.HasChanges, second.ToText());
        Assert.DoesNotContain(firstRequests, r => r.StatusCode == 304);
        Assert.True(secondRequests.Count >= 8, $"{secondRequests.Count} requests");
        Assert.True(NotModifiedShare(secondRequests) >= 0.9,
            $"{secondRequests.Count(r => r.StatusCode == 304)} of {secondRequests.Count} answered 304: " + string.Join(", ", secondRequests.Where(r => r.StatusCode != 304).Select(r => r.OperationId)));
        Assert.Empty(emulator.SchemaViolations);
    }

    [Fact]
    public async Task WithoutAStore_ASecondProcessStartsCold()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);

        await PlanInNewProcessAsync(emulator, null);
        var (_, secondRequests) = await PlanInNewProcessAsync(emulator, null);

        Assert.DoesNotContain(secondRequests, r => r.StatusCode == 304);
    }

    [Fact]
    public async Task AnotherToken_HasItsOwnPartition_AndIsNeverAnsweredFromTheFirstTokensCopies()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);

        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        var (plan, otherRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory), OtherToken);
        var (_, againRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory), OtherToken);

        Assert.False(plan.HasChanges, plan.ToText());
        Assert.DoesNotContain(otherRequests, r => r.StatusCode == 304);
        Assert.True(NotModifiedShare(againRequests) >= 0.9);
        var partitions = Directory.GetDirectories(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, partitions.Count);
        var host = emulator.BaseAddress;
        Assert.Equal(
            new[] { GitHubResponseCacheKey.PartitionFor(host, "Bearer " + EmulatedGitHub.Token), GitHubResponseCacheKey.PartitionFor(host, "Bearer " + OtherToken) }.Order(StringComparer.Ordinal),
            partitions);
    }

    [Fact]
    public async Task NoTokenAndNoSecretValue_IsWrittenAnywhere()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);
        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory), OtherToken);

        var files = Directory.GetFiles(_directory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var path in files.Append(_directory).Concat(Directory.GetDirectories(_directory)))
        {
            var text = File.Exists(path) ? Encoding.UTF8.GetString(File.ReadAllBytes(path)) : string.Empty;
            foreach (var needle in new[] { SecretText, EmulatedGitHub.Token, OtherToken })
            {
                Assert.DoesNotContain(needle, text, StringComparison.Ordinal);
                Assert.DoesNotContain(needle, path, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task FoldersAndFiles_AreCreatedForTheirOwnerOnly()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);
        var root = Path.Combine(_directory, "nested", "http");

        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(root));

        var directories = Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Append(root).ToList();
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        Assert.Equal(2, directories.Count);
        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => !f.EndsWith(".entry", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var directory in directories)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            }

            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task CorruptEntries_AreIgnoredAndReplaced()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);
        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        var files = Directory.GetFiles(_directory, "*.entry", SearchOption.AllDirectories);
        for (var i = 0; i < files.Length; i++)
        {
            // Garbage, a truncated copy, an empty file, a flipped body byte: each is a miss.
            var bytes = File.ReadAllBytes(files[i]);
            switch (i % 4)
            {
                case 0: File.WriteAllText(files[i], "not an entry"); break;
                case 1: File.WriteAllBytes(files[i], bytes[..(bytes.Length / 2)]); break;
                case 2: File.WriteAllBytes(files[i], []); break;
                default: bytes[^1] ^= 0x20; File.WriteAllBytes(files[i], bytes); break;
            }
        }

        var (plan, corruptRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        var (_, repairedRequests) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));

        Assert.False(plan.HasChanges, plan.ToText());
        Assert.DoesNotContain(corruptRequests, r => r.StatusCode == 304);
        Assert.True(NotModifiedShare(repairedRequests) >= 0.9);
    }

    [Fact]
    public async Task APartitionFolderOthersMayRead_IsNotUsed()
    {
        await using var emulator = await StartEmulatorAsync();
        await ApplyAsync(emulator);
        var partition = Path.Combine(_directory, GitHubResponseCacheKey.PartitionFor(emulator.BaseAddress, "Bearer " + EmulatedGitHub.Token));
        Directory.CreateDirectory(partition);
        if (!OperatingSystem.IsWindows())
        {
            // Restored by a tool that does not keep modes, say: readable by others, so the client does not trust it.
            File.SetUnixFileMode(partition, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));
        var (_, second) = await PlanInNewProcessAsync(emulator, new FileGitHubResponseCache(_directory));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.GetFiles(partition));
            Assert.DoesNotContain(second, r => r.StatusCode == 304);
        }
        else
        {
            Assert.NotEmpty(Directory.GetFiles(partition));
        }
    }
}
