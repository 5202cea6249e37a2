using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MlEnvironments.Promotion;

namespace MlEnvironments.Azure.Tests;

/// <summary>The sample app refuses before reading: unsigned or oversized posts never reach the decision.</summary>
public sealed class ProtectionRuleAppLimitsTests : IDisposable
{
    private const string Secret = "limits-test-webhook-secret";
    private readonly string _secretVariable = "MLENV_LIMITS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
    private readonly WebApplicationFactory<Program> _factory;

    public ProtectionRuleAppLimitsTests()
    {
        System.Environment.SetEnvironmentVariable(_secretVariable, Secret);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("MlEnvironments:ProtectionRule:WebhookSecretVariable", _secretVariable);
            web.UseSetting("MlEnvironments:GitHub:Authentication", "PersonalAccessToken");
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        System.Environment.SetEnvironmentVariable(_secretVariable, null);
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, string? signature)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = content };
        request.Headers.Add("X-GitHub-Event", "deployment_protection_rule");
        request.Headers.Add("X-GitHub-Delivery", "d-limits");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ATenMegabyteUnsignedPost_Is401()
    {
        using var response = await PostAsync(new ByteArrayContent(new byte[10 * 1024 * 1024]), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Unsigned", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASignedPostOverTheLimit_Is413()
    {
        var body = new byte[DeploymentProtectionRuleOptions.DefaultMaxBodyBytes + 1];

        using var response = await PostAsync(new ByteArrayContent(body), WebhookDelivery.Sign(body, Secret));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AChunkedSignedPostOverTheLimit_Is413()
    {
        var body = new byte[3 * 1024 * 1024];
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentLength = null;

        using var response = await PostAsync(content, WebhookDelivery.Sign(body, Secret));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
