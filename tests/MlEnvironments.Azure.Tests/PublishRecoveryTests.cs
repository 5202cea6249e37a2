using System.Net;
using MlEnvironments.Azure.Tests.Support;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// Publishing is a POST: never sent again blindly. After an answer that leaves open whether the service published,
/// the client reads the registry's version and continues from there.
/// </summary>
public class PublishRecoveryTests
{
    private static MachineLearningModelVersionProperties Source(string job = "job-4") => new()
    {
        ModelUri = new Uri($"azureml://jobs/{job}/outputs/artifacts/paths/model/"),
        ModelType = "mlflow_model",
        JobName = job,
        Properties = { ["azureml.runId"] = job },
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A503AfterTheServicePublished_IsNotSentAgain_TheRegistryVersionIsFound(int polls)
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = polls });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "4", Source());
        azure.Emulator.InjectFailureAfterProcessing("ModelVersions_Publish");
        var before = azure.Emulator.Requests.Count;

        var published = await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time);

        Assert.Equal((Registry, "fraud", "4", "job-4"), (published.Registry, published.ModelName, published.Version, published.Properties.JobName));
        var requests = azure.Emulator.Requests.Skip(before).ToList();
        Assert.Equal(["ModelVersions_Publish", "RegistryModelVersions_Get", "ModelVersions_Get"], requests.Select(r => r.Operation));
        Assert.Equal([503, 200, 200], requests.Select(r => r.StatusCode));
        // The service published exactly once: one copy in the registry.
        Assert.Single(azure.MlState.Calls, c => c.Operation == "ModelVersions_Publish");
        Assert.NotNull(await azure.MlState.GetRegistryModelVersionAsync(Registry, "fraud", "4"));
    }

    [Fact]
    public async Task A503BeforeTheServicePublished_IsSentAgain_OnceTheRegistryHasNoSuchVersion()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 0 });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "4", Source());
        azure.MlState.Faults.FailWhen(c => c.Operation == "ModelVersions_Publish", c => new RemoteServiceException("Azure", c.Operation, 503, "busy", "ServiceUnavailable"));
        var before = azure.Emulator.Requests.Count;

        var published = await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time);

        Assert.Equal("4", published.Version);
        var requests = azure.Emulator.Requests.Skip(before).ToList();
        Assert.Equal(["ModelVersions_Publish", "RegistryModelVersions_Get", "ModelVersions_Publish", "RegistryModelVersions_Get"], requests.Select(r => r.Operation));
        Assert.Equal([503, 404, 200, 200], requests.Select(r => r.StatusCode));
        Assert.NotNull(await azure.MlState.GetRegistryModelVersionAsync(Registry, "fraud", "4"));
    }

    [Fact]
    public async Task AThrottledPublish_IsRetriedByThePipeline_ARMThrottlesBeforeItDoesAnything()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { LongRunningOperationPolls = 0 });
        await azure.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "4", Source());
        azure.Emulator.InjectThrottling(1, TimeSpan.FromSeconds(2), r => r.Operation == "ModelVersions_Publish");
        var before = azure.Emulator.Requests.Count;

        await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time);

        var requests = azure.Emulator.Requests.Skip(before).ToList();
        Assert.Equal(["ModelVersions_Publish", "ModelVersions_Publish", "RegistryModelVersions_Get"], requests.Select(r => r.Operation));
        Assert.Equal([429, 200, 200], requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task AServerErrorOnAPost_IsNotRetriedByThePipeline_AndWithoutAVersionTheErrorSaysWhatToCheck()
    {
        using var azure = new Support.ScriptedAzure(o => o.MaxRetries = 0);
        azure.Handler
            .Then(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"gateway timeout after processing"}}""")
            .Then(HttpStatusCode.NotFound, """{"error":{"code":"UserError","message":"Not found"}}""");

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time));

        Assert.Equal(["POST", "GET"], azure.Handler.Requests.Select(r => r.Method));
        Assert.EndsWith("/registries/mlr-shared/models/fraud/versions/4", azure.Handler.Requests[1].Uri.AbsolutePath);
        Assert.Equal((503, "ServiceUnavailable", "ModelVersions_Publish"), (error.StatusCode, error.ErrorCode, error.Operation));
        Assert.Contains("check registry mlr-shared for fraud:4", error.Message);
        Assert.Contains("may still be running", error.Message);
    }

    [Fact]
    public async Task ARegistryVersionOfAnotherJob_AfterA503_IsNotTakenForOurs()
    {
        using var azure = new Support.ScriptedAzure();
        const string registryVersion = """
            {"id":"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/mlr-shared/models/fraud/versions/4",
             "name":"4","properties":{"modelType":"mlflow_model","jobName":"someone-elses-job","properties":{}}}
            """;
        const string workspaceVersion = """
            {"id":"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev/models/fraud/versions/4",
             "name":"4","properties":{"modelType":"mlflow_model","jobName":"job-4","properties":{"azureml.runId":"job-4"}}}
            """;
        azure.Handler
            .Then(HttpStatusCode.BadGateway, """{"error":{"code":"BadGateway","message":"upstream"}}""")
            .Then(HttpStatusCode.OK, registryVersion)
            .Then(HttpStatusCode.OK, workspaceVersion);

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry));

        Assert.Equal(("PublishConflict", 502), (error.ErrorCode, error.StatusCode));
        Assert.Contains("does not look like a copy", error.Message);
        Assert.Single(azure.Handler.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void Lineage_ComparesJobModelTypePropertiesAndTags()
    {
        var source = MlEnvironmentsModelFactory.MachineLearningModelVersionData(Dev, "fraud", "4", Source());
        MachineLearningRegistryModelVersionData Published(Action<MachineLearningModelVersionProperties> change)
        {
            var properties = Source();
            change(properties);
            return MlEnvironmentsModelFactory.MachineLearningRegistryModelVersionData(Registry, "fraud", "4", properties);
        }

        Assert.True(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(_ => { })));
        Assert.True(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.Tags[ModelPromoter.SourceWorkspaceTag] = Dev.ResourceId)));
        Assert.False(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.JobName = "job-5")));
        Assert.False(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.ModelType = "custom_model")));
        Assert.False(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.Properties["azureml.runId"] = "job-5")));
        Assert.False(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.Tags[ModelPromoter.SourceWorkspaceTag] = Prod.ResourceId)));
        Assert.False(AzureMachineLearningClient.IsPublishedFrom(Dev, source, Published(p => p.Tags[ModelPromoter.SourceVersionTag] = "3")));
    }
}

/// <summary>A registry promotion whose publish is answered 503 after the service published: one copy, and the promotion succeeds.</summary>
public class RegistryPromotionAfterFailureTests
{
    [Fact]
    public async Task Promotion_SurvivesA503AfterThePublishWasProcessed_WithExactlyOneRegistryVersion()
    {
        await using var world = await RegistryPromotionWorld.StartAsync("4");
        world.Arm.InjectFailureAfterProcessing("ModelVersions_Publish");

        var result = await world.PromoteAsync("4");

        Assert.True(result.Outcome == PromotionOutcome.Promoted, result.Message);
        Assert.Equal("azureml://registries/shared/models/fraud/versions/4", result.Registered!.Properties.ModelUri!.ToString());
        var publishes = world.Arm.Requests.Where(r => r.Operation == "ModelVersions_Publish").ToList();
        Assert.Equal([503], publishes.Select(p => p.StatusCode));
        Assert.Single(world.MachineLearning.Calls, c => c.Operation == "ModelVersions_Publish");
        Assert.Equal("job-1", (await world.MachineLearning.GetRegistryModelVersionAsync(RegistryPromotionWorld.Registry, "fraud", "4"))!.Properties.Tags[ModelPromoter.SourceJobTag]);
        Assert.Empty(world.Arm.UnmatchedRequests);
    }
}
