using System.Net;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>ARM's error envelope becomes an AzureException with code, message, target, details and request ids.</summary>
public class ErrorMappingTests
{
    private const string Envelope = """
        {"error":{"code":"ParentResourceNotFound","message":"Failed to perform 'read' on resource(s) of type 'workspaces/models/versions', because the parent resource could not be found.",
          "target":"workspaces/mlw-dev","details":[{"code":"WorkspaceNotFound","message":"mlw-dev does not exist","target":"name","details":[{"code":"Inner","message":"deeper"}]}],
          "additionalInfo":[{"type":"PolicyViolation","info":{}}]}}
        """;

    [Fact]
    public async Task TheEnvelope_IsMapped_WithTheRequestIds()
    {
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.NotFound, Envelope, ("x-ms-request-id", "req-123"), ("x-ms-correlation-request-id", "corr-456"));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetModelVersionAsync(Dev, "credit-risk", "1"));

        Assert.Equal(("Azure", "ModelVersions_Get", 404, "ParentResourceNotFound", "workspaces/mlw-dev", "req-123", "corr-456"),
            (error.Service, error.Operation, error.StatusCode, error.ErrorCode, error.Target, error.RequestId, error.CorrelationId));
        Assert.Equal([("WorkspaceNotFound", "name"), ("Inner", null)], error.Details.Select(d => (d.Code, d.Target)));
        Assert.Contains("because the parent resource could not be found", error.Message);
        Assert.Contains("req-123", error.Message);
        Assert.Equal(azure.Handler.Requests[0].Headers["x-ms-client-request-id"], error.ClientRequestId);
        Assert.IsType<global::Azure.RequestFailedException>(error.InnerException);
        Assert.IsAssignableFrom<RemoteServiceException>(error);
        Assert.Single(azure.Handler.Requests);
    }

    [Fact]
    public async Task WithoutARequestId_TheCorrelationIdIsTheRequestId()
    {
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.Forbidden, """{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization."}}""", ("x-ms-correlation-request-id", "corr-only"));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.Identities.GetIdentityAsync(Deployer));

        Assert.Equal((403, "AuthorizationFailed", "corr-only", "UserAssignedIdentities_Get"), (error.StatusCode, error.ErrorCode, error.RequestId, error.Operation));
        Assert.Contains("lacks a role", error.Message);
    }

    [Fact]
    public async Task ABodyThatIsNotAnEnvelope_IsQuoted()
    {
        using var azure = new ScriptedAzure(o => o.MaxRetries = 0);
        azure.Handler.Then(HttpStatusCode.InternalServerError, "<html>upstream error</html>");

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetJobAsync(Dev, "train-42"));

        Assert.Equal((500, (string?)null), (error.StatusCode, error.ErrorCode));
        Assert.Contains("upstream error", error.Message);
    }

    [Fact]
    public async Task MlflowErrors_AreMapped()
    {
        using var azure = new ScriptedAzure();
        azure.Handler
            .Then(HttpStatusCode.OK, """{"id":"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev","name":"mlw-dev","location":"westeurope","properties":{"mlFlowTrackingUri":"azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev"}}""")
            .Then(HttpStatusCode.BadRequest, """{"error_code":"INVALID_PARAMETER_VALUE","message":"Run 'x' is not valid"}""");

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.Mlflow.GetLatestMetricsAsync(Dev, "x"));

        Assert.Equal((400, "INVALID_PARAMETER_VALUE"), (error.StatusCode, error.ErrorCode));
        Assert.Equal("https://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev/api/2.0/mlflow/runs/get?run_id=x",
            azure.Handler.Requests[1].Uri.AbsoluteUri);
        Assert.StartsWith("Bearer ", azure.Handler.Requests[1].Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinksToAnotherHost_AreNotFollowed()
    {
        using var azure = new ScriptedAzure();
        azure.Handler.Then(HttpStatusCode.OK, """{"value":[],"nextLink":"https://collector.example.test/steal?api-version=1"}""");
        var paging = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ListJobsAsync(Dev));

        azure.Handler
            .Then(HttpStatusCode.NotFound, """{"error":{"code":"UserError","message":"no version"}}""")
            .Then(HttpStatusCode.Created, "{}", ("Azure-AsyncOperation", "http://management.azure.com/status/1"));
        var polling = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.CreateOrUpdateRegistryModelVersionAsync(Registry, "m", "1", new()));

        Assert.Contains("does not follow it", paging.Message);
        Assert.Contains("does not follow it", polling.Message);
        Assert.DoesNotContain(azure.Handler.Requests, r => r.Uri.Host != "management.azure.com" || r.Uri.Scheme != "https");
    }
}
