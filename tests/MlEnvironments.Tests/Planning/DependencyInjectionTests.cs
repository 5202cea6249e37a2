using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

public class DependencyInjectionTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task AddMlEnvironmentsUseInMemory_ResolvesPlannerApplierAndFakes_ThatWorkTogether()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory((github, azure) =>
        {
            github.GrantAccess(github.AddRepository(RepositoryName), User("ana"));
            azure.AddWorkspace(ProdWorkspace);
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var github = provider.GetRequiredService<InMemoryGitHub>();
        var azure = provider.GetRequiredService<InMemoryAzureMachineLearning>();
        Assert.Same(github, provider.GetRequiredService<IGitHubEnvironmentReader>());
        Assert.Same(github, provider.GetRequiredService<IGitHubEnvironmentWriter>());
        Assert.Same(github, provider.GetRequiredService<IGitHubSecretReader>());
        Assert.Same(github, provider.GetRequiredService<IGitHubSecretWriter>());
        Assert.Same(github, provider.GetRequiredService<IGitHubVariableReader>());
        Assert.Same(github, provider.GetRequiredService<IGitHubVariableWriter>());
        Assert.Same(github, provider.GetRequiredService<IGitHubIdentityResolver>());
        Assert.Same(azure, provider.GetRequiredService<IMachineLearningWorkspaceReader>());
        Assert.Same(azure, provider.GetRequiredService<IModelVersionReader>());
        Assert.Same(azure, provider.GetRequiredService<IModelVersionWriter>());
        Assert.IsType<DefaultSecretValueResolver>(provider.GetRequiredService<ISecretValueResolver>());
        Assert.NotNull(await azure.GetWorkspaceAsync(ProdWorkspace));

        var planner = provider.GetRequiredService<IEnvironmentPlanner>();
        var applier = provider.GetRequiredService<IEnvironmentApplier>();
        var definition = Repository(RepositoryName, Environment("prod").RequireReviewers(User("ana")).WithVariable("MODEL", "credit"));
        var result = await applier.ApplyAsync(await planner.PlanAsync(definition));

        Assert.True(result.Succeeded, result.ToString());
        Assert.False((await planner.PlanAsync(definition)).HasChanges);
        Assert.Equal("prod", Assert.Single(github.Snapshot(RepositoryId.Parse(RepositoryName)).Environments).Name);
    }

    [Fact]
    public void AddMlEnvironmentsTwice_IsHarmless()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory();
        services.AddMlEnvironments().UseInMemory();

        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IEnvironmentPlanner)));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IEnvironmentApplier)));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(ISecretValueResolver)));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IValidateOptions<MlEnvironmentsOptions>)));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IGitHubEnvironmentReader)));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.Single(provider.GetServices<IEnvironmentPlanner>());
        Assert.Equal(TimeSpan.Zero, provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value.WritePause);
    }

    [Fact]
    public void Options_AreBoundFromTheRegisteredConfiguration()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("MlEnvironments:Prune", "true"), ("MlEnvironments:UpdateSecrets", "True"), ("MlEnvironments:WritePause", "00:00:02")));
        services.AddMlEnvironments().UseInMemory();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value;

        Assert.Equal((true, true, TimeSpan.FromSeconds(2)), (options.Prune, options.UpdateSecrets, options.WritePause));
    }

    [Fact]
    public void Options_AreBoundFromAGivenSection_ThenConfigured()
    {
        var configuration = Configuration(("MlEnvironments:Prune", "true"), ("MlEnvironments:WritePause", "00:00:05"));
        var services = new ServiceCollection();
        services.AddMlEnvironments(configuration.GetSection(MlEnvironmentsOptions.SectionName)).UseInMemory();
        services.AddMlEnvironments(o => o.UpdateSecrets = true);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value;

        Assert.Equal((true, true, TimeSpan.FromSeconds(5)), (options.Prune, options.UpdateSecrets, options.WritePause));
    }

    [Fact]
    public async Task ConfiguredOptions_AreThePlanDefaults_AndExplicitOptionsWin()
    {
        var github = new InMemoryGitHub();
        var repository = github.AddRepository(RepositoryName);
        github.Seed(repository, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("old")));
        github.Seed(repository, Environment("sandbox"));
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("MlEnvironments:Prune", "true"), ("MlEnvironments:UpdateSecrets", "true")));
        services.AddMlEnvironments().UseInMemory(github);
        using var provider = services.BuildServiceProvider();
        var planner = provider.GetRequiredService<IEnvironmentPlanner>();
        var definition = Repository(RepositoryName, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("new")));

        var byDefault = await planner.PlanAsync(definition);
        var explicitly = await planner.PlanAsync(definition, PlanOptions.Default);

        Assert.Equal((true, true), (byDefault.Options.Prune, byDefault.Options.UpdateSecrets));
        Assert.Equal(
            [
                (ChangeAction.Update, ChangeKind.Secret, "prod", "TOKEN"),
                (ChangeAction.Delete, ChangeKind.Environment, "sandbox", null),
            ],
            Shape(byDefault));
        Assert.False(explicitly.HasChanges);
        Assert.Equal(2, explicitly.Notes.Length);
    }

    [Fact]
    public async Task ConfiguredWritePause_AndRegisteredTimeProvider_PaceTheApplier()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMlEnvironments(o => o.WritePause = TimeSpan.FromSeconds(3)).UseInMemory((g, _) => g.AddRepository(RepositoryName));
        using var provider = services.BuildServiceProvider();
        var github = provider.GetRequiredService<InMemoryGitHub>();
        var plan = await provider.GetRequiredService<IEnvironmentPlanner>().PlanAsync(Repository(RepositoryName, Environment("prod").WithVariable("A", "1")));

        var apply = provider.GetRequiredService<IEnvironmentApplier>().ApplyAsync(plan);

        Assert.Single(github.Writes);
        Assert.False(apply.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await apply).Succeeded);
        Assert.Equal(2, github.Writes.Count);
    }

    [Theory]
    [InlineData("00:05:00")]
    [InlineData("-00:00:01")]
    public async Task OutOfRangeWritePause_FailsAtStart_NamingTheKey(string pause)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("MlEnvironments:WritePause", pause)));
        services.AddMlEnvironments().UseInMemory();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var atStart = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync());
        var onUse = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value);

        Assert.Contains("MlEnvironments:WritePause", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("MlEnvironments:WritePause", onUse.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WritePause", "soon")]
    [InlineData("Prune", "yes")]
    [InlineData("UpdateSecrets", "1")]
    public void UnparsableOption_FailsNamingTheKey(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments(Configuration(("MlEnvironments:" + key, value)).GetSection("MlEnvironments"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value);

        Assert.Contains("MlEnvironments:" + key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_DoesNoIO()
    {
        var github = new InMemoryGitHub();
        var azure = new InMemoryAzureMachineLearning();
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory(github, azure);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _ = provider.GetRequiredService<IEnvironmentPlanner>();
        _ = provider.GetRequiredService<IEnvironmentApplier>();
        _ = provider.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value;
        await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync();

        Assert.Empty(github.Calls);
        Assert.Empty(azure.Calls);
    }

    [Fact]
    public void WithoutAProvider_TheContainerBuilds_AndResolvingThePlannerNamesTheCallThatRegistersGitHub()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var planner = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IEnvironmentPlanner>());
        var applier = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IEnvironmentApplier>());
        var set = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IRepositorySetPlanner>());

        Assert.Equal(
            "IEnvironmentPlanner needs IGitHubEnvironmentReader, which no GitHub provider registered: call services.AddMlEnvironments()" +
            ".AddGitHub(...) (package MlEnvironments.GitHub) or .UseInMemory() (package MlEnvironments.Testing).",
            planner.Message);
        Assert.StartsWith("IEnvironmentApplier needs IGitHubEnvironmentWriter, ", applier.Message, StringComparison.Ordinal);
        Assert.Equal(planner.Message, set.Message);
    }

    [Fact]
    public void WithoutAProvider_ThePromotionServicesNameTheCallThatRegistersAzure()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var promoter = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<MlEnvironments.Promotion.IModelPromoter>());
        var ledger = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<MlEnvironments.Promotion.IPromotionLedger>());

        Assert.Equal(
            "IModelPromoter needs IModelVersionReader, which no Azure provider registered: call services.AddMlEnvironments()" +
            ".AddAzureMachineLearning(...) (package MlEnvironments.Azure) or .UseInMemory() (package MlEnvironments.Testing).",
            promoter.Message);
        Assert.Contains(".AddGitHub(...)", ledger.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProviderRegisteredBeforeAddMlEnvironments_IsUsed()
    {
        var github = new InMemoryGitHub();
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubEnvironmentReader>(github);
        services.AddSingleton<IGitHubSecretReader>(github);
        services.AddSingleton<IGitHubVariableReader>(github);
        services.AddMlEnvironments();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<EnvironmentPlanner>(provider.GetRequiredService<IEnvironmentPlanner>());
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IEnvironmentApplier>());
    }
}
