using Azure.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlEnvironments.Azure.Http;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// Each provider stands alone in a generic host built as users build one (<see cref="Host.CreateApplicationBuilder()"/>)
/// with <c>ValidateOnBuild</c> and <c>ValidateScopes</c> on: the host starts, every MlEnvironments service that the
/// registered providers can serve resolves, and the ones that need a missing provider fail naming its Add call. A
/// <see cref="FakeTokenCredential"/> stands in for Azure authentication, so no DefaultAzureCredential is created and
/// nothing leaves the process.
/// </summary>
public sealed class HostRegistrationTests
{
    private const string AddGitHub = ".AddGitHub(...)";
    private const string AddAzure = ".AddAzureMachineLearning(...)";

    private static readonly Type[] NeedGitHub = [typeof(IEnvironmentPlanner), typeof(IEnvironmentApplier), typeof(IRepositorySetPlanner), typeof(IPromotionLedger), typeof(IPromotionTimeline)];

    [Fact]
    public async Task GitHubOnly_Starts_AndOnlyPromotionAsksForAzure()
    {
        using var host = await StartAsync(b => b.AddGitHub());

        var failures = ResolveEveryService(host);

        Assert.Equal(new[] { typeof(IModelPromoter), typeof(IPromotionPointerReader), typeof(IPromotionReviewService) }, failures.Keys.Order(TypeNames));
        Assert.All(failures.Values, message => Assert.Contains(AddAzure, message, StringComparison.Ordinal));
        Assert.Contains("IModelPromoter needs IModelVersionReader", failures[typeof(IModelPromoter)], StringComparison.Ordinal);
        Assert.IsType<GitHubEnvironmentClient>(host.Services.GetRequiredService<IGitHubEnvironmentReader>());
    }

    [Fact]
    public async Task AzureOnly_Starts_WithTheRegisteredCredential_AndWhatNeedsGitHubSaysSo()
    {
        var credential = new FakeTokenCredential();
        using var host = await StartAsync(b => b.AddAzureMachineLearning(), credential);

        var failures = ResolveEveryService(host);

        Assert.Equal(NeedGitHub.Append(typeof(IModelPromoter)).Append(typeof(IPromotionReviewService)).Append(typeof(IPromotionPointerReader)).Order(TypeNames), failures.Keys.Order(TypeNames));
        Assert.All(failures.Values, message => Assert.Contains(AddGitHub, message, StringComparison.Ordinal));
        Assert.All(failures.Values, message => Assert.Contains(".UseInMemory()", message, StringComparison.Ordinal));
        Assert.Same(credential, host.Services.GetRequiredService<ArmConnection>().Credential);
        Assert.IsType<AzureMachineLearningClient>(host.Services.GetRequiredService<IModelVersionReader>());
        Assert.Equal(0, credential.Calls);
    }

    [Fact]
    public async Task GitHubAndAzure_Start_AndEveryServiceResolves()
    {
        var credential = new FakeTokenCredential();
        using var host = await StartAsync(b => b.AddGitHub().AddAzureMachineLearning(), credential);

        Assert.Empty(ResolveEveryService(host));
        Assert.IsType<ModelPromoter>(host.Services.GetRequiredService<IModelPromoter>());
        Assert.IsType<PromotionReviewService>(host.Services.GetRequiredService<IPromotionReviewService>());
        Assert.Same(credential, host.Services.GetRequiredService<ArmConnection>().Credential);
        Assert.Equal(0, credential.Calls);
    }

    [Fact]
    public async Task InMemory_Starts_AndEveryServiceResolves_AndPromotes()
    {
        using var host = await StartAsync(b => b.UseInMemory());

        Assert.Empty(ResolveEveryService(host));
        Assert.Same(host.Services.GetRequiredService<InMemoryAzureMachineLearning>(), host.Services.GetRequiredService<IModelVersionReader>());
        Assert.IsType<ModelPromoter>(host.Services.GetRequiredService<IModelPromoter>());
    }

    [Fact]
    public async Task TheProtectionRule_WithBothProviders_Starts()
    {
        var secret = "MLENV_HOST_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(secret, "host-test-secret");
        try
        {
            var definitions = MlEnvironmentsJson.DeserializeRepositorySet(File.ReadAllText(SampleFile("mlenv.json")));
            using var host = await StartAsync(
                b => b.AddGitHub().AddAzureMachineLearning().AddDeploymentProtectionRule(o =>
                {
                    o.Definitions = definitions;
                    o.WebhookSecret = SecretValue.FromEnvironmentVariable(secret);
                }),
                new FakeTokenCredential());

            Assert.Empty(ResolveEveryService(host));
            Assert.NotNull(host.Services.GetRequiredService<DeploymentProtectionRuleHandler>());
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task TheProtectionRule_WithGitHubOnly_Starts_AndItsHandlerAsksForAzure()
    {
        var secret = "MLENV_HOST_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(secret, "host-test-secret");
        try
        {
            var definitions = MlEnvironmentsJson.DeserializeRepositorySet(File.ReadAllText(SampleFile("mlenv.json")));
            using var host = await StartAsync(b => b.AddGitHub().AddDeploymentProtectionRule(o =>
            {
                o.Definitions = definitions;
                o.WebhookSecret = SecretValue.FromEnvironmentVariable(secret);
            }));

            var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<DeploymentProtectionRuleHandler>());

            Assert.Contains(AddAzure, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task TheProtectionRuleApp_StartsUnderValidation_WithItsOwnRegistration()
    {
        var secret = "MLENV_HOST_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(secret, "host-test-secret");
        var credential = new FakeTokenCredential();
        try
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Production");
                web.UseSetting("MlEnvironments:ProtectionRule:WebhookSecretVariable", secret);
                web.UseSetting("MlEnvironments:GitHub:Authentication", "PersonalAccessToken");
                web.UseDefaultServiceProvider(o =>
                {
                    o.ValidateOnBuild = true;
                    o.ValidateScopes = true;
                });
                web.ConfigureTestServices(services => services.AddSingleton<TokenCredential>(credential));
            });

            using var client = factory.CreateClient();
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

            Assert.True(response.IsSuccessStatusCode, response.ToString());
            Assert.NotNull(factory.Services.GetRequiredService<DeploymentProtectionRuleHandler>());
            Assert.Same(credential, factory.Services.GetRequiredService<ArmConnection>().Credential);
            Assert.Equal(0, credential.Calls);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(secret, null);
        }
    }

    private static IComparer<Type> TypeNames { get; } = Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.FullName, b.FullName));

    /// <summary>Builds, starts and stops a host as an application would, with the container's validation on.</summary>
    private static async Task<Started> StartAsync(Action<IMlEnvironmentsBuilder> register, TokenCredential? credential = null)
    {
        // An empty content root: the test's output folder holds the protection-rule sample's appsettings.json.
        var contentRoot = Directory.CreateTempSubdirectory("mlenv-host-");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = contentRoot.FullName,
        });
        if (credential is not null)
        {
            builder.Services.AddSingleton(credential);
        }

        register(builder.Services.AddMlEnvironments());
        var types = builder.Services
            .Select(d => d.ServiceType)
            .Where(t => !t.IsGenericTypeDefinition && t.Namespace?.StartsWith("MlEnvironments", StringComparison.Ordinal) == true)
            .Distinct()
            .ToArray();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
        return new Started(host, types, contentRoot);
    }

    private sealed record Started(IHost Host, Type[] ServiceTypes, DirectoryInfo ContentRoot) : IDisposable
    {
        public IServiceProvider Services => Host.Services;

        public void Dispose()
        {
            Host.Dispose();
            ContentRoot.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Resolves every service whose type is MlEnvironments' own (the registrations of AddMlEnvironments and the
    /// providers) and returns the messages of those that failed.
    /// </summary>
    private static Dictionary<Type, string> ResolveEveryService(Started host)
    {
        Assert.NotEmpty(host.ServiceTypes);
        var failures = new Dictionary<Type, string>();
        foreach (var type in host.ServiceTypes)
        {
            try
            {
                Assert.NotNull(host.Services.GetService(type));
            }
            catch (InvalidOperationException error)
            {
                failures[type] = error.Message;
            }
        }

        return failures;
    }

    private static string SampleFile(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "ProtectionRuleApp", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/ProtectionRuleApp/" + name + " not found above " + AppContext.BaseDirectory);
    }
}
