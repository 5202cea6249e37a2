using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>
/// A promotion from dev to staging shared through a registry: the real Azure client against the loopback ARM emulator,
/// the in-memory GitHub, and in dev the model fraud at one version, trained by the completed job job-1 (auc 0.9).
/// </summary>
internal sealed class RegistryPromotionWorld : IAsyncDisposable
{
    private const string ArmToken = "arm-registry-token";

    public static readonly RepositoryId Repo = RepositoryId.Parse("octo/registry");
    public static readonly WorkspaceId Dev = Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-dev");
    public static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-staging");
    public static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create("00000000-0000-0000-0000-000000000001", "rg-ml", "shared");

    private RegistryPromotionWorld(InMemoryAzureMachineLearning machineLearning, AzureResourceManagerEmulator arm, ServiceProvider provider)
    {
        MachineLearning = machineLearning;
        Arm = arm;
        Provider = provider;
    }

    /// <summary>dev, then staging sharing through <see cref="Registry"/>.</summary>
    public static RepositoryDefinition Definition => Repository(Repo, Environment("dev").BindWorkspace(Dev), Environment("staging").BindWorkspace(Staging).ShareThroughRegistry(Registry));

    /// <summary>The Azure ML state the emulator serves.</summary>
    public InMemoryAzureMachineLearning MachineLearning { get; }

    /// <summary>The ARM emulator, for its requests and injected failures.</summary>
    public AzureResourceManagerEmulator Arm { get; }

    /// <summary>The services: Azure through the real client, GitHub in memory.</summary>
    public ServiceProvider Provider { get; }

    /// <summary>Starts the world with fraud <paramref name="version"/> in dev.</summary>
    public static async Task<RegistryPromotionWorld> StartAsync(string version)
    {
        var github = new InMemoryGitHub();
        github.ConfigureRepository(Repo, id: 9, ownerId: 3);
        var ml = new InMemoryAzureMachineLearning().AddWorkspace(Dev).AddWorkspace(Staging).AddRegistry(Registry);
        ml.AddJob(Dev, "job-1", MachineLearningJobStatus.Completed);
        ml.LogMetric(Dev, "job-1", "auc", 0.9);
        await ml.CreateOrUpdateModelVersionAsync(Dev, "fraud", version, new MachineLearningModelVersionProperties { JobName = "job-1", ModelUri = new Uri("azureml://jobs/job-1/outputs/model") });
        // Long-running operations (publish) poll without waiting here, on the real clock; real ARM asks for Retry-After seconds.
        var armOptions = new AzureResourceManagerEmulatorOptions { PollRetryAfter = TimeSpan.Zero };
        armOptions.AcceptedTokens.Add(ArmToken);
        var arm = await AzureResourceManagerEmulator.StartAsync(ml, new InMemoryAzureIdentity(), armOptions);
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
        // Azure first: UseInMemory only adds what is not registered yet, so Azure stays real and GitHub is the fake.
        services.AddMlEnvironments()
            .AddAzureMachineLearning(o =>
            {
                o.Endpoint = arm.Endpoint;
                o.Transport = new HttpClientTransport(arm.CreateHttpMessageHandler());
            })
            .UseInMemory(github);
        return new RegistryPromotionWorld(ml, arm, services.BuildServiceProvider());
    }

    /// <summary>Promotes fraud <paramref name="version"/> from dev to staging.</summary>
    public Task<PromotionResult> PromoteAsync(string version) =>
        Provider.GetRequiredService<IModelPromoter>().PromoteAsync(new PromotionRequest(Definition, "fraud", version, "dev", "staging"));

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Arm.DisposeAsync();
    }
}
