using MlEnvironments.GitHub;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary><c>mlenv plan|apply --org</c> as a separate process against a seeded loopback GitHub emulator.</summary>
public class DiscoveryCommandTests
{
    private const string GitHubToken = "ghp_cli_discovery_token_5c03aa";

    private static async Task<(GitHubEmulator GitHub, Mlenv Mlenv)> StartAsync()
    {
        var state = new InMemoryGitHub();
        state.SeedRepository(RepositoryId.Parse("octo-org/credit-risk"), topics: ["ml", "finance"]);
        state.SeedRepository(RepositoryId.Parse("octo-org/churn"), GitHubRepositoryVisibility.Private, ["ml"]);
        state.SeedRepository(RepositoryId.Parse("octo-org/old-model"), topics: ["ml"], archived: true);
        state.SeedRepository(RepositoryId.Parse("octo-org/forked-model"), topics: ["ml"], fork: true);
        state.SeedRepository(RepositoryId.Parse("octo-org/website"), topics: ["web"]);
        state.SeedRepository(RepositoryId.Parse("other-org/ml-elsewhere"), topics: ["ml"]);
        state.ConfigureOwner("octo-org", plan: GitHubPlan.Enterprise);
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(GitHubToken);
        var github = await GitHubEmulator.StartAsync(state, options);
        var mlenv = new Mlenv();
        mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/template",
            Environment("dev").WithVariable("MODEL_NAME", "from-template"),
            Environment("prod").WithWaitTimer(TimeSpan.FromMinutes(5)).WithVariable("MODEL_NAME", "from-template"))));
        return (github, mlenv);
    }

    [Fact]
    public async Task PlanByOrganizationAndTopic_PlansExactlyTheMatchingRepositories_AndWritesNothing()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;

        var plan = await mlenv.RunAsync("plan", "--org", "octo-org", "--topic", "ml");

        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("Plan for octo-org/churn:", plan.Output);
        Assert.Contains("Plan for octo-org/credit-risk:", plan.Output);
        Assert.Equal(2, plan.Output.Split("Plan for ").Length - 1);
        Assert.Contains("2 repositories of octo-org matched; 2 with changes.", plan.Output);
        Assert.DoesNotContain("octo-org/template", plan.Output);
        Assert.All(github.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(github.Requests, r => r.OperationId == "repos/list-for-org");
        Assert.Empty(github.UnmatchedRequests);
        Assert.Empty(github.SchemaViolations);
    }

    [Fact]
    public async Task ApplyByOrganization_WithMatchAndArchivedAndForks_AppliesEachMatchingRepository_ThenPlansNoChanges()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;

        var apply = await mlenv.RunAsync("apply", "--org", "octo-org", "--topic", "ml", "--match", "*-model", "--include-archived", "--include-forks", "--auto-approve");
        var again = await mlenv.RunAsync("plan", "--org", "octo-org", "--topic", "ml", "--match", "*-model", "--include-archived", "--include-forks", "--output", "json");

        Assert.True(apply.ExitCode == 0, apply.ToString());
        foreach (var name in new[] { "octo-org/old-model", "octo-org/forked-model" })
        {
            Assert.Equal(["dev", "prod"], github.State.Snapshot(RepositoryId.Parse(name)).Environments.Select(e => e.Name));
        }

        Assert.Empty(github.State.Snapshot(RepositoryId.Parse("octo-org/credit-risk")).Environments);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(again.Output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task OrgAndUserTogether_OrInMemory_AreRefusedWithAHint()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;

        var both = await mlenv.RunAsync("plan", "--org", "octo-org", "--user", "ana");
        var inMemory = await mlenv.RunAsync("plan", "--org", "octo-org", "--in-memory");

        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--org and --user were both given", both.Error);
        Assert.Equal(1, inMemory.ExitCode);
        Assert.Contains("--in-memory has none to list", inMemory.Error);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task DriftByOrganization_ChecksEveryMatchingRepository_AndExitsFourWhileAnyDrifts()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;
        var churn = RepositoryId.Parse("octo-org/churn");

        var missing = await mlenv.RunAsync("drift", "--org", "octo-org", "--topic", "ml", "--output", "json");
        Assert.True(missing.ExitCode == 4, missing.ToString());
        var reports = System.Text.Json.JsonDocument.Parse(missing.Output).RootElement;
        Assert.Equal(["octo-org/churn", "octo-org/credit-risk"],
            reports.EnumerateArray().Select(r => r.GetProperty("repository").GetString()).Order(StringComparer.Ordinal));
        Assert.All(reports.EnumerateArray(), r => Assert.True(r.GetProperty("hasDrift").GetBoolean()));
        Assert.All(github.Requests, r => Assert.Equal("GET", r.Method));

        Assert.Equal(0, (await mlenv.RunAsync("apply", "--org", "octo-org", "--topic", "ml", "--auto-approve")).ExitCode);
        var clean = await mlenv.RunAsync("drift", "--org", "octo-org", "--topic", "ml");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("2 repositories of octo-org checked; 0 with drift.", clean.Output);

        github.State.Seed(churn, Environment("preview"));
        var writes = github.Requests.Count(r => r.Method != "GET");
        var one = await mlenv.RunAsync("drift", "--org", "octo-org", "--topic", "ml", "--output", "json");

        Assert.True(one.ExitCode == 4, one.ToString());
        var drifting = System.Text.Json.JsonDocument.Parse(one.Output).RootElement.EnumerateArray()
            .Where(r => r.GetProperty("hasDrift").GetBoolean()).Select(r => r.GetProperty("repository").GetString());
        Assert.Equal(["octo-org/churn"], drifting);
        Assert.Equal(writes, github.Requests.Count(r => r.Method != "GET"));
        Assert.Empty(github.SchemaViolations);
    }

    [Fact]
    public async Task DriftByOrganization_WithTwoOwners_IsRefusedBeforeAnyRequest()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;

        var both = await mlenv.RunAsync("drift", "--org", "octo-org", "--user", "ana");

        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--org and --user were both given", both.Error);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task DriftWithModel_RefusesAnInvalidName_AndSaysWhenAzureIsNotConfigured()
    {
        var (github, mlenv) = await StartAsync();
        await using var _ = github;
        using var __ = mlenv;

        var invalid = await mlenv.RunAsync("drift", "--repository", "octo-org/churn", "--model", "../fraud");
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("--model '../fraud' is not a model name", invalid.Error);
        Assert.Empty(github.Requests);

        var noAzure = await mlenv.RunAsync("drift", "--repository", "octo-org/churn", "--model", "fraud");
        Assert.Equal(1, noAzure.ExitCode);
        Assert.Contains("--model compares stage pointers in the bound workspaces, and no Azure provider is configured.", noAzure.Error);
    }
}
