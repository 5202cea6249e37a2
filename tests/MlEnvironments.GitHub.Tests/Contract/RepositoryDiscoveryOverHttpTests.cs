using MlEnvironments.Planning;
using MlEnvironments.Testing;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>Repositories of an organization or user, filtered and paged, through the real client over HTTP.</summary>
public class RepositoryDiscoveryOverHttpTests
{
    [Fact]
    public async Task OrganizationRepositories_AreReadOverEveryPage_AndFilteredByTopicNameArchivedAndFork()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        for (var i = 0; i < 120; i++)
        {
            github.State.SeedRepository(RepositoryId.Create("octo-org", $"svc-{i:000}"), topics: i % 10 == 0 ? ["ml"] : ["web"]);
        }

        github.State.SeedRepository(RepositoryId.Parse("octo-org/credit-risk"), GitHubRepositoryVisibility.Private, ["ML", "finance"]);
        github.State.SeedRepository(RepositoryId.Parse("octo-org/old-model"), topics: ["ml"], archived: true);
        github.State.SeedRepository(RepositoryId.Parse("octo-org/forked-model"), topics: ["ml"], fork: true);
        github.State.SeedRepository(RepositoryId.Parse("other-org/ml-elsewhere"), topics: ["ml"]);
        var discovery = new RepositoryDiscovery(new GitHubAccountClient(github.Connection));

        var ml = await discovery.RepositoriesFromOrganizationAsync("octo-org", new RepositoryFilter { Topics = ["ml"] });
        var all = await discovery.RepositoriesFromOrganizationAsync("octo-org", new RepositoryFilter { Topics = ["ml"], IncludeArchived = true, IncludeForks = true });
        var named = await discovery.RepositoriesFromOrganizationAsync("octo-org", new RepositoryFilter { NamePattern = "SVC-0?0" });
        var both = await discovery.RepositoriesFromOrganizationAsync("octo-org", new RepositoryFilter { Topics = ["ml", "finance"] });

        Assert.Equal(13, ml.Count);
        Assert.Contains(RepositoryId.Parse("octo-org/credit-risk"), ml);
        Assert.DoesNotContain(RepositoryId.Parse("octo-org/old-model"), ml);
        Assert.DoesNotContain(RepositoryId.Parse("octo-org/forked-model"), ml);
        Assert.Equal(15, all.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"octo-org/svc-0{i}0"), named.Select(r => r.ToString()));
        Assert.Equal([RepositoryId.Parse("octo-org/credit-risk")], both);

        // 123 repositories at 100 per page: two requests per listing.
        Assert.Equal(8, github.Emulator.Requests.Count(r => r.OperationId == "repos/list-for-org"));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task UserRepositories_AreListed_AndAnUnknownOwnerIsNotFound()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.ConfigureOwner("ana", isOrganization: false);
        github.State.SeedRepository(RepositoryId.Parse("ana/experiments"), topics: ["ml"]);
        var client = new GitHubAccountClient(github.Connection);

        var listed = await client.ListUserRepositoriesAsync("ana");
        var error = await Assert.ThrowsAnyAsync<RemoteServiceException>(() => client.ListOrganizationRepositoriesAsync("nobody"));

        var repository = Assert.Single(listed);
        Assert.Equal("ana/experiments", repository.Repository.ToString());
        Assert.Equal(["ml"], repository.Topics.ToArray());
        Assert.Equal(404, error.StatusCode);
    }
}
