using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>The real client stack, registered through DI with a fixed-token credential and a fake clock, talking HTTPS to the loopback ARM emulator.</summary>
internal sealed class EmulatedAzure : IAsyncDisposable
{
    public const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.arm-token-never-printed-7f3a.c2ln";

    public static readonly WorkspaceId Dev = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-dev");
    public static readonly WorkspaceId Prod = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod");
    public static readonly WorkspaceId Missing = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-missing");
    public static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create("00000000-0000-0000-0000-000000000001", "rg-shared", "mlr-shared");
    public static readonly UserAssignedIdentityId Deployer = UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-deployer");

    private EmulatedAzure(AzureResourceManagerEmulator emulator, ServiceProvider provider, FakeTimeProvider time, FakeTokenCredential credential)
    {
        Emulator = emulator;
        Provider = provider;
        Time = time;
        Credential = credential;
    }

    public AzureResourceManagerEmulator Emulator { get; }

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Time { get; }

    public FakeTokenCredential Credential { get; }

    public InMemoryAzureMachineLearning MlState => Emulator.MachineLearning;

    public InMemoryAzureIdentity IdentityState => Emulator.Identity;

    public AzureMachineLearningClient MachineLearning => Provider.GetRequiredService<AzureMachineLearningClient>();

    public AzureMlflowClient Mlflow => Provider.GetRequiredService<AzureMlflowClient>();

    public AzureManagedIdentityClient Identities => Provider.GetRequiredService<AzureManagedIdentityClient>();

    public AzureRoleAssignmentClient RoleAssignments => Provider.GetRequiredService<AzureRoleAssignmentClient>();

    public static async Task<EmulatedAzure> StartAsync(
        Action<AzureOptions>? configure = null,
        AzureResourceManagerEmulatorOptions? emulatorOptions = null,
        ILoggerFactory? loggers = null)
    {
        var time = Clock.NewFakeTime();
        emulatorOptions ??= new AzureResourceManagerEmulatorOptions();
        emulatorOptions.AcceptedTokens.Add(Token);
        var emulator = await AzureResourceManagerEmulator.StartAsync(new InMemoryAzureMachineLearning(time), new InMemoryAzureIdentity(), emulatorOptions);
        emulator.MachineLearning.AddWorkspace(Dev, "westeurope").AddWorkspace(Prod, "northeurope").AddRegistry(Registry, "westeurope");
        emulator.Identity.AddIdentity(Deployer);

        var credential = new FakeTokenCredential(Token);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<TokenCredential>(credential);
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }

        services.AddMlEnvironments().AddAzureMachineLearning(o =>
        {
            o.Endpoint = emulator.Endpoint;
            o.Transport = new HttpClientTransport(emulator.CreateHttpMessageHandler());
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        return new EmulatedAzure(emulator, provider, time, credential);
    }

    /// <summary>The operations the emulator answered, in order.</summary>
    public IReadOnlyList<string?> Operations => [.. Emulator.Requests.Select(r => r.Operation)];

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
