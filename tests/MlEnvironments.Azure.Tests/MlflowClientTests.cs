using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Run metrics through MLflow REST under the workspace's tracking URI (azureml:// → https://), hosted by the emulator.</summary>
public class MlflowClientTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LatestMetrics_AreTheValuesAtTheLargestStep()
    {
        await using var azure = await StartAsync();
        azure.MlState
            .AddJob(Dev, "train-42", MachineLearningJobStatus.Completed, experimentName: "credit-risk")
            .LogMetric(Dev, "train-42", "auc", 0.81, 0, At)
            .LogMetric(Dev, "train-42", "auc", 0.87, 1, At.AddMinutes(1))
            .LogMetric(Dev, "train-42", "loss", 0.42, 1, At.AddMinutes(1))
            .LogMetric(Dev, "train-42", "diverged", double.NaN, 0, At);

        var metrics = await azure.Mlflow.GetLatestMetricsAsync(Dev, "train-42");

        Assert.Equal(new RunMetric("auc", 0.87, 1, At.AddMinutes(1)), metrics["auc"]);
        Assert.Equal(0.42, metrics["loss"].Value);
        Assert.True(double.IsNaN(metrics["diverged"].Value));
        Assert.Equal(["Workspaces_Get", "MLflow_GetRun"], azure.Operations);
        var mlflow = azure.Emulator.Requests[1];
        Assert.StartsWith("/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev/api/2.0/mlflow/runs/get", mlflow.Path);
        Assert.Equal(("MLflow_GetRun", false, "train-42"), (azure.MlState.Calls[^1].Operation, azure.MlState.Calls[^1].IsWrite, azure.MlState.Calls[^1].Target));
    }

    [Fact]
    public async Task MetricHistory_IsReadAcrossPages_InStepOrder()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 2 });
        for (var step = 4; step >= 0; step--)
        {
            azure.MlState.LogMetric(Dev, "train-42", "auc", 0.8 + (step / 100.0), step, At.AddMinutes(step));
        }

        azure.MlState.LogMetric(Dev, "train-42", "loss", 1.0, 0, At);

        var history = await azure.Mlflow.GetMetricHistoryAsync(Dev, "train-42", "auc");
        var again = await azure.Mlflow.GetMetricHistoryAsync(Dev, "train-42", "auc");

        Assert.Equal([0L, 1, 2, 3, 4], history.Select(m => m.Step));
        Assert.All(history, m => Assert.Equal("auc", m.Key));
        Assert.Equal(0.84, history[^1].Value, 10);
        Assert.Equal(history, again);
        Assert.Equal(6, azure.Emulator.Requests.Count(r => r.Operation == "MLflow_GetMetricHistory"));
        Assert.Equal(1, azure.Emulator.Requests.Count(r => r.Operation == "Workspaces_Get"));
        Assert.Empty(await azure.Mlflow.GetMetricHistoryAsync(Dev, "train-42", "f1"));
    }

    [Fact]
    public async Task AMissingRun_ThrowsMlflowsError_AndAMissingWorkspaceThrows404()
    {
        await using var azure = await StartAsync();

        var run = await Assert.ThrowsAsync<AzureException>(() => azure.Mlflow.GetLatestMetricsAsync(Dev, "no-such-run"));
        var workspace = await Assert.ThrowsAsync<AzureException>(() => azure.Mlflow.GetMetricHistoryAsync(Missing, "train-42", "auc"));

        Assert.Equal((404, "RESOURCE_DOES_NOT_EXIST", "MLflow_GetRun"), (run.StatusCode, run.ErrorCode, run.Operation));
        Assert.Contains("no-such-run", run.Message);
        Assert.Equal((404, "MLflow_GetMetricHistory"), (workspace.StatusCode, workspace.Operation));
    }

    [Theory]
    [InlineData("azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w", "https://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w")]
    [InlineData("azureml://chinaeast2.api.ml.azure.cn/mlflow/v1.0/subscriptions/s/workspaces/w/", "https://chinaeast2.api.ml.azure.cn/mlflow/v1.0/subscriptions/s/workspaces/w")]
    [InlineData("https://127.0.0.1:8443/mlflow/v1.0/x", "https://127.0.0.1:8443/mlflow/v1.0/x")]
    [InlineData("http://plain.example.test/mlflow", null)]
    public void TrackingUri_BecomesTheHttpsRestBase(string tracking, string? expected) =>
        Assert.Equal(expected, AzureMlflowClient.ToRestBase(new Uri(tracking))?.AbsoluteUri);
}
