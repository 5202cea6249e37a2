using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests;

/// <summary>The protection-rule sample app, hosted in memory with the fakes behind it.</summary>
public sealed class ProtectionRuleAppTests : IDisposable
{
    private const string Secret = "app-test-webhook-secret";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/fraud-detection");
    private static readonly WorkspaceId Dev = Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod");
    private readonly string _secretVariable = "MLENV_APP_TEST_SECRET_" + Guid.NewGuid().ToString("N");
    private readonly InMemoryGitHub _github = new();
    private readonly InMemoryAzureMachineLearning _ml = new();
    private readonly WebApplicationFactory<Program> _factory;

    public ProtectionRuleAppTests()
    {
        System.Environment.SetEnvironmentVariable(_secretVariable, Secret);
        _github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        _github.Seed(Repo, Environment("prod").RequireProtectionRule(777));
        _ml.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("MlEnvironments:ProtectionRule:WebhookSecretVariable", _secretVariable);
            web.UseSetting("MlEnvironments:GitHub:Authentication", "PersonalAccessToken");
            web.ConfigureTestServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton<IModelVersionReader>(_ml));
                services.Replace(ServiceDescriptor.Singleton<IModelVersionWriter>(_ml));
                services.Replace(ServiceDescriptor.Singleton<IRunMetricsReader>(_ml));
                services.Replace(ServiceDescriptor.Singleton<IMachineLearningJobReader>(_ml));
                services.Replace(ServiceDescriptor.Singleton<IRegistryModelVersionClient>(_ml));
                services.Replace(ServiceDescriptor.Singleton<IGitHubDeploymentReader>(_github));
                services.Replace(ServiceDescriptor.Singleton<IGitHubDeploymentWriter>(_github));
                services.Replace(ServiceDescriptor.Singleton<IGitHubRepositoryReader>(_github));
                services.Replace(ServiceDescriptor.Singleton<IGitHubWorkflowRunReader>(_github));
                services.Replace(ServiceDescriptor.Singleton<IGitHubDeploymentReviewClient>(_github));
                services.Replace(ServiceDescriptor.Singleton<IGitHubCustomGateReviewer>(_github));
            });
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        System.Environment.SetEnvironmentVariable(_secretVariable, null);
    }

    private async Task SeedAsync(double auc)
    {
        foreach (var workspace in new[] { Dev, Staging })
        {
            _ml.AddJob(Dev, "train-1", MachineLearningJobStatus.Completed);
            _ml.LogMetric(Dev, "train-1", "auc", auc);
            var properties = new MachineLearningModelVersionProperties { JobName = workspace == Dev ? "train-1" : null };
            properties.Tags["validated"] = "true";
            if (workspace == Staging)
            {
                properties.Tags[ModelPromoter.SourceJobTag] = "train-1";
                properties.Tags[ModelPromoter.SourceJobWorkspaceTag] = Dev.ResourceId;
            }

            await _ml.CreateOrUpdateModelVersionAsync(workspace, "fraud", "1", properties);
        }
    }

    private static byte[] Body(long runId) => Encoding.UTF8.GetBytes($$$"""
        {"action":"requested","environment":"prod","event":"workflow_dispatch",
         "deployment_callback_url":"https://api.github.com/repos/octo-org/fraud-detection/actions/runs/{{{runId}}}/deployment_protection_rule",
         "deployment":{"id":3,"created_at":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","payload":""},
         "repository":{"full_name":"octo-org/fraud-detection"},"installation":{"id":5}}
        """);

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? signature, string delivery = "d-1")
    {
        using var client = _factory.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = content };
        request.Headers.Add("X-GitHub-Event", "deployment_protection_rule");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Waits for the background worker's answer to GitHub (the endpoint answers before deciding).</summary>
    private async Task<FakeCustomGateReview> AnswerAsync(long run)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (_github.GetCustomGateReviews(Repo, run) is [var answer])
            {
                return answer;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"No answer to GitHub for run {run} after 10 s.");
    }

    [Fact]
    public async Task PassingCandidate_IsApproved()
    {
        await SeedAsync(auc: 0.93);
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "1"), "prod");
        var body = Body(run);

        using var response = await PostAsync(body, WebhookDelivery.Sign(body, Secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await AnswerAsync(run);
        Assert.Equal(GitHubReviewState.Approved, answer.State);
        Assert.Contains("auc 0.93 ≥ 0.85", answer.Comment);
    }

    [Fact]
    public async Task FailingCandidate_IsRejectedWithTheNumbers()
    {
        await SeedAsync(auc: 0.8);
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "1"), "prod");
        var body = Body(run);

        using var response = await PostAsync(body, WebhookDelivery.Sign(body, Secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await AnswerAsync(run);
        Assert.Equal(GitHubReviewState.Rejected, answer.State);
        Assert.Contains("auc 0.8 < 0.85 required (short by 0.05)", answer.Comment);
    }

    [Fact]
    public async Task BadSignature_Is401_AndGitHubIsNotCalled()
    {
        await SeedAsync(auc: 0.93);
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "1"), "prod");
        var body = Body(run);
        _github.ClearCalls();

        using var forged = await PostAsync(body, WebhookDelivery.Sign(body, "guessed"));
        using var unsigned = await PostAsync(body, null, "d-2");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Empty(_github.GetCustomGateReviews(Repo, run));
        Assert.Empty(_github.Calls);
        Assert.DoesNotContain(Secret, await forged.Content.ReadAsStringAsync());
    }
}
