using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Registry versions (Azure-AsyncOperation) and publish (Location), polled to completion on a fake clock.</summary>
public class LongRunningOperationTests
{
    private static MachineLearningModelVersionProperties Properties() => new()
    {
        ModelUri = new Uri("https://mlrsharedstorage.blob.core.windows.net/models/credit-risk/1/"),
        ModelType = "mlflow_model",
        Description = "registry copy",
        Tags = { ["mlenv.stage"] = "staging" },
    };

    [Fact]
    public async Task RegistryVersionPut_IsPolledThroughAzureAsyncOperation_ThenTheOriginalUriIsRead()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 3, PollRetryAfter = TimeSpan.FromSeconds(15) });

        var version = await azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties()).WithClock(azure.Time);

        Assert.Equal((Registry, "credit-risk", "1", "registry copy", "staging"),
            (version.Registry, version.ModelName, version.Version, version.Properties.Description, version.Properties.Tags["mlenv.stage"]));
        Assert.Equal("azureml://registries/mlr-shared/models/credit-risk/versions/1", version.AssetId);
        Assert.Equal(
            ["RegistryModelVersions_Get", "RegistryModelVersions_CreateOrUpdate", "OperationStatus_Get", "OperationStatus_Get", "OperationStatus_Get", "OperationStatus_Get", "RegistryModelVersions_Get"],
            azure.Operations);
        Assert.Equal([404, 201, 200, 200, 200, 200, 200], azure.Emulator.Requests.Select(r => r.StatusCode));
        Assert.NotNull(await azure.MlState.GetRegistryModelVersionAsync(Registry, "credit-risk", "1"));
    }

    [Fact]
    public async Task RegistryVersionPut_ThatCompletesAtOnce_NeedsNoPolling()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 0 });

        var version = await azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties());

        Assert.Equal("registry copy", version.Properties.Description);
        Assert.Equal(["RegistryModelVersions_Get", "RegistryModelVersions_CreateOrUpdate"], azure.Operations);
        Assert.Equal(201, azure.Emulator.Requests[1].StatusCode);
        Assert.Equal("registry copy", (await azure.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit-risk", "1"))!.Properties.Description);
        Assert.Null(await azure.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit-risk", "2"));
    }

    [Fact]
    public async Task FailedAsyncOperation_ThrowsWithTheOperationsErrorCode()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 1 });
        azure.Emulator.FailNextLongRunningOperation("AssetCreationFailed", "The registry could not copy the asset.");

        var error = await Assert.ThrowsAsync<AzureException>(() =>
            azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties()).WithClock(azure.Time));

        Assert.Equal(("RegistryModelVersions_CreateOrUpdate", "AssetCreationFailed"), (error.Operation, error.ErrorCode));
        Assert.Contains("The registry could not copy the asset.", error.Message);
        Assert.Contains("Failed", error.Message);
        Assert.Null(await azure.MlState.GetRegistryModelVersionAsync(Registry, "credit-risk", "1"));
    }

    [Fact]
    public async Task Publish_IsPolledThroughLocation_ThenTheRegistryVersionIsRead()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 2 });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "3", new MachineLearningModelVersionProperties
        {
            ModelUri = new Uri("azureml://jobs/train-42/outputs/artifacts/paths/model/"),
            ModelType = "mlflow_model",
            Tags = { ["mlenv.stage"] = "dev" },
        });
        var before = azure.Emulator.Requests.Count;

        var published = await azure.MachineLearning.PublishModelVersionAsync(Dev, "credit-risk", "3", Registry).WithClock(azure.Time);

        Assert.Equal((Registry, "credit-risk", "3", "mlflow_model"), (published.Registry, published.ModelName, published.Version, published.Properties.ModelType));
        var requests = azure.Emulator.Requests.Skip(before).ToList();
        Assert.Equal(["ModelVersions_Publish", "OperationResult_Get", "OperationResult_Get", "OperationResult_Get", "RegistryModelVersions_Get"], requests.Select(r => r.Operation));
        Assert.Equal([202, 202, 202, 200, 200], requests.Select(r => r.StatusCode));
        Assert.Contains(azure.MlState.Calls, c => c.Operation == "ModelVersions_Publish" && c.IsWrite);
    }

    [Fact]
    public async Task Publish_OfAMissingVersionOrToAVersionThatExists_Fails()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 0 });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "3", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://jobs/a/outputs/artifacts/paths/model/") });

        var missing = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "credit-risk", "4", Registry));
        await azure.MachineLearning.PublishModelVersionAsync(Dev, "credit-risk", "3", Registry);
        var again = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "credit-risk", "3", Registry));

        Assert.Equal((404, "ModelVersions_Publish"), (missing.StatusCode, missing.Operation));
        Assert.Equal((409, "Conflict"), (again.StatusCode, again.ErrorCode));
    }

    [Fact]
    public async Task PublishFailingWhilePolled_ThrowsTheLocationsError()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 1 });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit-risk", "3", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://jobs/a/outputs/artifacts/paths/model/") });
        azure.Emulator.FailNextLongRunningOperation("RegistryUnavailable", "The registry is being updated.");

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "credit-risk", "3", Registry).WithClock(azure.Time));

        Assert.Equal((500, "RegistryUnavailable", "ModelVersions_Publish"), (error.StatusCode, error.ErrorCode, error.Operation));
        Assert.Contains("polling its Location", error.Message);
    }

    [Fact]
    public async Task Polling_GivesUpAfterTheTimeout_OnTheFakeClock()
    {
        await using var azure = await StartAsync(
            o => o.LongRunningOperationTimeout = TimeSpan.FromMinutes(1),
            new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 1_000, PollRetryAfter = TimeSpan.FromSeconds(20) });

        var error = await Assert.ThrowsAsync<AzureException>(() =>
            azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties()).WithClock(azure.Time, TimeSpan.FromSeconds(5)));

        Assert.Equal(("OperationTimedOut", 0), (error.ErrorCode, error.StatusCode));
        // It stopped long before the emulator's 1,000 polls (how many exactly depends on how far the clock ran during each request).
        Assert.InRange(azure.Emulator.Requests.Count(r => r.Operation == "OperationStatus_Get"), 1, 5);
    }

    [Fact]
    public async Task TheServicesAsyncOperationTimeout_WinsWhenShorter()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions
        {
            LongRunningOperationPolls = 1_000,
            PollRetryAfter = TimeSpan.FromSeconds(10),
            AsyncOperationTimeout = TimeSpan.FromSeconds(30),
        });

        var error = await Assert.ThrowsAsync<AzureException>(() =>
            azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties()).WithClock(azure.Time, TimeSpan.FromSeconds(5)));

        Assert.Equal("OperationTimedOut", error.ErrorCode);
        // The client's own timeout (one hour) would have allowed hundreds of polls.
        Assert.InRange(azure.Emulator.Requests.Count(r => r.Operation == "OperationStatus_Get"), 1, 5);
    }

    [Fact]
    public async Task Polling_HonoursCancellation()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 1_000 });
        using var cancellation = new CancellationTokenSource();

        var task = azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "credit-risk", "1", Properties(), cancellation.Token);
        while (!azure.Emulator.Requests.Any(r => r.Operation == "RegistryModelVersions_CreateOrUpdate") && !task.IsCompleted)
        {
            await Task.Delay(5);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
