using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MlEnvironments.Azure.Http;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;

namespace MlEnvironments.Azure.Tests;

public class OptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        before?.Invoke(services);
        services.AddMlEnvironments().AddAzureMachineLearning();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Options_BindFromTheMlEnvironmentsAzureSection()
    {
        using var provider = Build(new()
        {
            ["MlEnvironments:Azure:Endpoint"] = "https://management.chinacloudapi.cn/",
            ["MlEnvironments:Azure:MachineLearningApiVersion"] = "2025-09-01",
            ["MlEnvironments:Azure:ApiVersions:Microsoft.MachineLearningServices/registries/models/versions"] = "2025-07-01-preview",
            ["MlEnvironments:Azure:MaxRetries"] = "5",
            ["MlEnvironments:Azure:MaxRetryDelay"] = "00:02:00",
            ["MlEnvironments:Azure:PollingInterval"] = "00:00:20",
            ["MlEnvironments:Azure:LongRunningOperationTimeout"] = "00:30:00",
            ["MlEnvironments:Azure:RoleAssignmentPrincipalType"] = "Group",
            ["MlEnvironments:Azure:MachineLearningApiHostSuffixes:0"] = "api.ml.example.sovereign",
        });

        var options = provider.GetRequiredService<IOptions<AzureOptions>>().Value;

        Assert.Equal(("https://management.chinacloudapi.cn/.default", 5, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(30), "Group"),
            (options.GetTokenScope(), options.MaxRetries, options.MaxRetryDelay, options.PollingInterval, options.LongRunningOperationTimeout, options.RoleAssignmentPrincipalType));
        Assert.Equal("2025-09-01", options.GetApiVersion("Microsoft.MachineLearningServices/workspaces"));
        Assert.Equal("2025-07-01-preview", options.GetApiVersion("microsoft.machinelearningservices/REGISTRIES/models/versions"));
        Assert.Equal("2024-11-30", options.GetApiVersion("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Equal("2022-04-01", options.GetApiVersion("Microsoft.Authorization/roleAssignments"));
        Assert.Equal(["api.ml.example.sovereign"], options.MachineLearningApiHostSuffixes);
    }

    [Fact]
    public void Defaults_ArePublicArm_AndItsScope()
    {
        var options = new AzureOptions();

        Assert.Equal(("https://management.azure.com/", "https://management.azure.com/.default", "2025-12-01"),
            (options.Endpoint.AbsoluteUri, options.GetTokenScope(), options.GetApiVersion("Microsoft.MachineLearningServices/workspaces/jobs")));
        Assert.Equal("https://management.core.windows.net/.default", new AzureOptions { Audience = "https://management.core.windows.net/" }.GetTokenScope());
        Assert.Throws<ArgumentException>(() => options.GetApiVersion("Microsoft.Storage/storageAccounts"));
    }

    [Fact]
    public void InvalidOptions_ReportEveryProblemWithItsKey_AtStart()
    {
        using var provider = Build(new()
        {
            ["MlEnvironments:Azure:Endpoint"] = "http://management.azure.com/",
            ["MlEnvironments:Azure:MachineLearningApiVersion"] = "latest",
            ["MlEnvironments:Azure:ApiVersions:Microsoft.Storage/storageAccounts"] = "2023-01-01",
            ["MlEnvironments:Azure:MaxRetries"] = "99",
            ["MlEnvironments:Azure:PollingInterval"] = "00:00:00",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureOptions>>().Value);

        foreach (var key in new[] { "Endpoint", "MachineLearningApiVersion", "ApiVersions:Microsoft.Storage/storageAccounts", "MaxRetries", "PollingInterval" })
        {
            Assert.Contains(error.Failures, f => f.Contains("MlEnvironments:Azure:" + key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void UnparsableValues_NameTheirKey()
    {
        using var provider = Build(new() { ["MlEnvironments:Azure:MaxRetries"] = "many" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureOptions>>().Value);

        Assert.Contains("MlEnvironments:Azure:MaxRetries must be a whole number", Assert.Single(error.Failures));
    }

    [Fact]
    public void Registration_ResolvesEveryAzureInterface_WithoutCreatingACredentialOrSendingAnything()
    {
        using var provider = Build(new());

        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IMachineLearningWorkspaceReader>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IMachineLearningWorkspaceLister>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IModelContainerReader>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IModelVersionReader>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IModelVersionWriter>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IModelVersionArchiver>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IRegistryModelVersionClient>());
        Assert.IsType<AzureMachineLearningClient>(provider.GetRequiredService<IMachineLearningJobReader>());
        Assert.IsType<AzureMlflowClient>(provider.GetRequiredService<IRunMetricsReader>());
        Assert.IsType<AzureManagedIdentityClient>(provider.GetRequiredService<IUserAssignedIdentityReader>());
        Assert.IsType<AzureManagedIdentityClient>(provider.GetRequiredService<IFederatedIdentityCredentialReader>());
        Assert.IsType<AzureManagedIdentityClient>(provider.GetRequiredService<IFederatedIdentityCredentialWriter>());
        Assert.IsType<AzureRoleAssignmentClient>(provider.GetRequiredService<IRoleAssignmentReader>());
        Assert.IsType<AzureRoleAssignmentClient>(provider.GetRequiredService<IRoleAssignmentWriter>());
        Assert.Same(provider.GetRequiredService<IModelVersionReader>(), provider.GetRequiredService<IRegistryModelVersionClient>());

        // No TokenCredential registered: DefaultAzureCredential, but only once a token is needed (never here).
        var credential = Assert.IsType<LazyDefaultAzureCredential>(provider.GetRequiredService<ArmConnection>().Credential);
        Assert.False(credential.IsCreated);
    }

    [Fact]
    public async Task TheDefaultCredential_IsCreatedOnTheFirstTokenRequestOnly()
    {
        var created = 0;
        var lazy = new LazyDefaultAzureCredential(() =>
        {
            created++;
            return new FakeTokenCredential("t");
        });

        Assert.Equal((0, false), (created, lazy.IsCreated));
        var token = await lazy.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), CancellationToken.None);
        lazy.GetToken(new TokenRequestContext(["https://management.azure.com/.default"]), CancellationToken.None);

        Assert.Equal(("t", 1, true), (token.Token, created, lazy.IsCreated));
    }

    [Fact]
    public void ARegisteredTokenCredential_IsUsed()
    {
        var mine = new FakeTokenCredential("t");
        using var provider = Build(new(), s => s.AddSingleton<TokenCredential>(mine));

        Assert.Same(mine, provider.GetRequiredService<ArmConnection>().Credential);
    }

    [Fact]
    public void ExistingRegistrationsWin_AndRegisteringTwiceIsHarmless()
    {
        var fake = new InMemoryAzureMachineLearning();
        var services = new ServiceCollection();
        services.AddSingleton<IModelVersionReader>(fake);
        services.AddMlEnvironments().AddAzureMachineLearning().AddAzureMachineLearning(o => o.MaxRetries = 1);
        services.AddMlEnvironments().AddAzureMachineLearning(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MaxRetries"] = "2" }).Build());
        using var provider = services.BuildServiceProvider();

        Assert.Same(fake, provider.GetRequiredService<IModelVersionReader>());
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IModelVersionWriter)));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IValidateOptions<AzureOptions>)));
        Assert.Equal(2, provider.GetRequiredService<IOptions<AzureOptions>>().Value.MaxRetries);
    }

    [Fact]
    public void UseInMemory_AndTheAzureProvider_Compose_WhicheverIsRegisteredFirstWins()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory().AddAzureMachineLearning();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryAzureMachineLearning>(provider.GetRequiredService<IRunMetricsReader>());
        Assert.IsType<InMemoryAzureIdentity>(provider.GetRequiredService<IRoleAssignmentWriter>());
    }
}
