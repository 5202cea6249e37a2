using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Azure.Tests.Support;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>The ARM token goes to MLflow only at Azure ML's API hosts of the configured cloud, or at the Endpoint's own host.</summary>
public class TrackingHostTests
{
    private static string WorkspaceWithTracking(string tracking) =>
        $$$"""{"id":"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev","name":"mlw-dev","location":"westeurope","properties":{"mlFlowTrackingUri":"{{{tracking}}}"}}""";

    private const string Run = """{"run":{"info":{"run_id":"r"},"data":{"metrics":[{"key":"auc","value":0.9,"step":1,"timestamp":1}]}}}""";

    [Theory]
    [InlineData("azureml://evil.example.com/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w", "evil.example.com")]
    [InlineData("https://westeurope.api.azureml.ms.evil.example.com/mlflow/v1.0/w", "westeurope.api.azureml.ms.evil.example.com")]
    [InlineData("https://evilapi.azureml.ms/mlflow/v1.0/w", "evilapi.azureml.ms")]
    [InlineData("https://api.azureml.ms/mlflow/v1.0/w", "api.azureml.ms")]
    [InlineData("https://westeurope.api.azureml.ms:8443/mlflow/v1.0/w", "westeurope.api.azureml.ms:8443")]
    [InlineData("azureml://chinaeast2.api.ml.azure.cn/mlflow/v1.0/w", "chinaeast2.api.ml.azure.cn")]
    public async Task ATrackingUriElsewhere_IsRefused_BeforeAnyTokenLeaves(string tracking, string host)
    {
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.OK, WorkspaceWithTracking(tracking));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.Mlflow.GetLatestMetricsAsync(Dev, "r"));

        Assert.Equal(("UntrustedTrackingHost", "MLflow_GetRun"), (error.ErrorCode, error.Operation));
        Assert.Contains($"'{host}'", error.Message);
        Assert.Contains("MlEnvironments:Azure:MachineLearningApiHostSuffixes", error.Message);
        Assert.Contains("*.api.azureml.ms", error.Message);
        // Only the workspace read went out, to Azure Resource Manager; nothing, with or without a token, to the other host.
        var request = Assert.Single(azure.Handler.Requests);
        Assert.Equal("management.azure.com", request.Uri.Host);
        Assert.All(azure.Handler.Requests.Where(r => r.Headers.ContainsKey("Authorization")), r => Assert.Equal("management.azure.com", r.Uri.Host));
    }

    [Theory]
    [InlineData("https://management.azure.com/", "azureml://westeurope.api.azureml.ms/mlflow/v1.0/w")]
    [InlineData("https://management.azure.com/", "https://0f3c.workspace.westeurope.api.azureml.ms/mlflow/v1.0/w")]
    [InlineData("https://management.chinacloudapi.cn/", "azureml://chinaeast2.api.ml.azure.cn/mlflow/v1.0/w")]
    [InlineData("https://management.usgovcloudapi.net/", "azureml://usgovarizona.api.ml.azure.us/mlflow/v1.0/w")]
    public async Task TheRegionalApiHostOfTheConfiguredCloud_GetsTheCall(string endpoint, string tracking)
    {
        using var azure = new ScriptedAzure(o => o.Endpoint = new Uri(endpoint));
        azure.Handler.Then(HttpStatusCode.OK, WorkspaceWithTracking(tracking)).Then(HttpStatusCode.OK, Run);

        var metrics = await azure.Mlflow.GetLatestMetricsAsync(Dev, "r");

        Assert.Equal(0.9, metrics["auc"].Value);
        Assert.Equal(new Uri(tracking.Replace("azureml://", "https://", StringComparison.Ordinal)).Host, azure.Handler.Requests[1].Uri.Host);
    }

    [Fact]
    public async Task AConfiguredSuffix_ReplacesTheDerivedOne()
    {
        using var azure = new ScriptedAzure(o =>
        {
            o.Endpoint = new Uri("https://management.contoso.example/");
            o.MachineLearningApiHostSuffixes.Add("api.ml.contoso.example");
        });
        azure.Handler
            .Then(HttpStatusCode.OK, WorkspaceWithTracking("azureml://region1.api.ml.contoso.example/mlflow/v1.0/w")).Then(HttpStatusCode.OK, Run)
            .Then(HttpStatusCode.OK, WorkspaceWithTracking("azureml://westeurope.api.azureml.ms/mlflow/v1.0/w"));

        await azure.Mlflow.GetLatestMetricsAsync(Dev, "r");
        var refused = await Assert.ThrowsAsync<AzureException>(() => azure.Provider.GetRequiredService<AzureMlflowClient>().GetLatestMetricsAsync(Prod, "r"));

        Assert.Equal("region1.api.ml.contoso.example", azure.Handler.Requests[1].Uri.Host);
        Assert.Equal("UntrustedTrackingHost", refused.ErrorCode);
        Assert.Contains("*.api.ml.contoso.example", refused.Message);
    }

    [Fact]
    public async Task TheEmulatorsLoopbackTrackingUri_IsTheEndpointsOwnHost_AndWorks()
    {
        await using var azure = await StartAsync();
        azure.MlState.LogMetric(Dev, "train-1", "auc", 0.9, 0, DateTimeOffset.UnixEpoch);

        var metrics = await azure.Mlflow.GetLatestMetricsAsync(Dev, "train-1");

        Assert.Equal(0.9, metrics["auc"].Value);
    }

    [Fact]
    public void Suffixes_AreDerivedFromTheEndpoint_AndValidated()
    {
        Assert.Equal(["api.azureml.ms"], new AzureOptions().GetMachineLearningApiHostSuffixes());
        Assert.Equal(["api.ml.azure.cn"], new AzureOptions { Endpoint = new Uri("https://management.chinacloudapi.cn/") }.GetMachineLearningApiHostSuffixes());
        Assert.Equal(["api.ml.azure.us"], new AzureOptions { Endpoint = new Uri("https://management.usgovcloudapi.net/") }.GetMachineLearningApiHostSuffixes());
        Assert.Empty(new AzureOptions { Endpoint = new Uri("https://127.0.0.1:5001/") }.GetMachineLearningApiHostSuffixes());

        var options = new AzureOptions();
        foreach (var suffix in new[] { "https://api.azureml.ms", "*.api.azureml.ms", "ms", "api.azureml.ms/x", "api.azureml.ms:443", "" })
        {
            options.MachineLearningApiHostSuffixes.Add(suffix);
        }

        options.MachineLearningApiHostSuffixes.Add("Api.ML.Contoso.Example");
        var result = new AzureOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(6, result.Failures!.Count(f => f.Contains("MlEnvironments:Azure:MachineLearningApiHostSuffixes:", StringComparison.Ordinal)));
        Assert.Contains(result.Failures!, f => f.StartsWith("MlEnvironments:Azure:MachineLearningApiHostSuffixes:1 ", StringComparison.Ordinal) && f.Contains("'*.api.azureml.ms'", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("Contoso", StringComparison.Ordinal));
    }
}
