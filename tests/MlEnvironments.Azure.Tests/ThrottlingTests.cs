using System.Net;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>429 + Retry-After, 5xx and network failures: retried on the fake clock, within limits.</summary>
public class ThrottlingTests
{
    [Fact]
    public async Task Throttles_AreSurvived_AfterRetryAfter()
    {
        await using var azure = await StartAsync();
        azure.Emulator.InjectThrottling(2, TimeSpan.FromSeconds(7));

        var workspace = await azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time);

        Assert.NotNull(workspace);
        Assert.Equal([429, 429, 200], azure.Emulator.Requests.Select(r => r.StatusCode));
        Assert.All(azure.Emulator.Requests, r => Assert.Equal("Workspaces_Get", r.Operation));
    }

    [Fact]
    public async Task ThrottledPolls_AndWrites_AreRetriedToo()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 1 });
        azure.Emulator.InjectThrottling(1, TimeSpan.FromSeconds(3), r => r.Operation == "OperationStatus_Get");
        azure.Emulator.InjectThrottling(1, TimeSpan.FromSeconds(3), r => r.Method == "PUT");

        var version = await azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1",
            new MachineLearning.MachineLearningModelVersionProperties { ModelUri = new Uri("https://storage.example.test/m/1/") }).WithClock(azure.Time);

        Assert.Equal("1", version.Version);
        Assert.Equal(2, azure.Emulator.Requests.Count(r => r.StatusCode == 429));
        Assert.Equal(1, azure.MlState.Calls.Count(c => c.Operation == "RegistryModelVersions_CreateOrUpdate"));
    }

    [Fact]
    public async Task ARetryAfterLongerThanMaxRetryDelay_FailsAtOnce_WithTheWait()
    {
        await using var azure = await StartAsync(o => o.MaxRetryDelay = TimeSpan.FromSeconds(30));
        azure.Emulator.InjectThrottling(1, TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev));

        Assert.Equal((429, "TooManyRequests", TimeSpan.FromMinutes(10)), (error.StatusCode, error.ErrorCode, error.RetryAfter));
        Assert.Contains("MaxRetryDelay", error.Message);
        Assert.Single(azure.Emulator.Requests);
    }

    [Fact]
    public async Task Throttles_BeyondMaxRetries_Fail()
    {
        await using var azure = await StartAsync(o => o.MaxRetries = 2);
        azure.Emulator.InjectThrottling(5, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(3, azure.Emulator.Requests.Count);
    }

    [Fact]
    public async Task ServerErrorsAndNetworkFailures_AreRetriedWithBackoff()
    {
        using var azure = new ScriptedAzure();
        azure.Handler
            .Then(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"busy"}}""")
            .ThenThrow(new HttpRequestException("connection reset"))
            .Then(HttpStatusCode.NotFound, """{"error":{"code":"ResourceNotFound","message":"gone"}}""");

        var workspace = await azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time);

        Assert.Null(workspace);
        Assert.Equal(3, azure.Handler.Requests.Count);
        Assert.Single(azure.Handler.Requests.Select(r => r.Headers["x-ms-client-request-id"]).Distinct());
    }

    [Fact]
    public async Task NetworkFailures_AfterTheLastRetry_BecomeStatusZero()
    {
        using var azure = new ScriptedAzure(o => o.MaxRetries = 1);
        azure.Handler.ThenThrow(new HttpRequestException("no route")).ThenThrow(new HttpRequestException("no route"));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time));

        Assert.Equal((0, "Workspaces_Get"), (error.StatusCode, error.Operation));
        Assert.NotNull(error.ClientRequestId);
    }
}
