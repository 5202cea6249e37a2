using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Testing;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>The client through DI against a running emulator, with a chosen token.</summary>
internal sealed class ScriptedAzureOverEmulator : IDisposable
{
    public ScriptedAzureOverEmulator(AzureResourceManagerEmulator emulator, string token)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeTokenCredential(token));
        services.AddMlEnvironments().AddAzureMachineLearning(o =>
        {
            o.Endpoint = emulator.Endpoint;
            o.Transport = new HttpClientTransport(emulator.CreateHttpMessageHandler());
            o.MaxRetries = 0;
        });
        Provider = services.BuildServiceProvider();
    }

    public ServiceProvider Provider { get; }

    public AzureMachineLearningClient MachineLearning => Provider.GetRequiredService<AzureMachineLearningClient>();

    public void Dispose() => Provider.Dispose();
}
