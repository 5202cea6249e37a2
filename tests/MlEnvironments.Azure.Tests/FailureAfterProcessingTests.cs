using System.Net;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>The ARM emulator's failures after processing, and the client's handling of idempotent and non-idempotent calls that meet them.</summary>
public class FailureAfterProcessingTests
{
    private static MachineLearningModelVersionProperties Version() => new()
    {
        ModelUri = new Uri("azureml://jobs/job-4/outputs/artifacts/paths/model/"),
        ModelType = "mlflow_model",
        Description = "v4",
    };

    [Fact]
    public async Task AnIdempotentPut_ThatWasDoneButAnswered503_IsSentAgain_AndTheStateHasItOnce()
    {
        await using var azure = await StartAsync();
        azure.Emulator.InjectFailureAfterProcessing("ModelVersions_CreateOrUpdate");

        var stored = await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "4", Version()).WithClock(azure.Time);

        Assert.Equal("v4", stored.Properties.Description);
        var puts = azure.Emulator.Requests.Where(r => r.Operation == "ModelVersions_CreateOrUpdate").ToList();
        // The first PUT created the version (201) but answered 503; the retry found it (200).
        Assert.Equal([503, 200], puts.Select(p => p.StatusCode));
        Assert.Equal(2, azure.MlState.Calls.Count(c => c.Operation == "ModelVersions_CreateOrUpdate"));
        Assert.Equal("v4", (await azure.MlState.GetModelVersionAsync(Dev, "fraud", "4"))!.Properties.Description);
    }

    [Fact]
    public async Task ARequestThatFailsAnyway_DoesNotUseTheInjectedFailure()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 0 });
        azure.Emulator.InjectFailureAfterProcessing("ModelVersions_Publish", statusCode: 504);
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "4", Version());

        var missing = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "5", Registry));
        var published = await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time);

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("4", published.Version);
        Assert.Equal([404, 504], azure.Emulator.Requests.Where(r => r.Operation == "ModelVersions_Publish").Select(r => r.StatusCode));
        Assert.Throws<ArgumentOutOfRangeException>(() => azure.Emulator.InjectFailureAfterProcessing("ModelVersions_Publish", statusCode: 404));
    }

    [Fact]
    public async Task APublishWithoutAnswer_IsNotSentAgain_WhenTheRegistryHasItsCopy()
    {
        using var azure = new Support.ScriptedAzure();
        azure.Handler
            .ThenThrow(new HttpRequestException("connection reset after the request was sent"))
            .Then(HttpStatusCode.OK, """{"name":"4","properties":{"modelType":"mlflow_model","jobName":"job-4","properties":{"azureml.runId":"job-4"}}}""")
            .Then(HttpStatusCode.OK, """{"name":"4","properties":{"modelType":"mlflow_model","jobName":"job-4","properties":{"azureml.runId":"job-4"}}}""");

        var published = await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time);

        Assert.Equal("job-4", published.Properties.JobName);
        Assert.Equal(["POST", "GET", "GET"], azure.Handler.Requests.Select(r => r.Method));
    }
}
