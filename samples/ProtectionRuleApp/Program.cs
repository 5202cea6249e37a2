// MlEnvironments protection-rule app: a GitHub App's webhook endpoint that approves or rejects deployments to an
// environment from its promotion gates (a custom deployment protection rule). GitHub sends the
// deployment_protection_rule webhook when a job that references the environment starts; this app verifies the
// signature, evaluates the gates of the model version the run promotes, and answers GitHub with the numbers.
//
// Configuration (appsettings.json, environment variables MlEnvironments__…):
//   MlEnvironments:ProtectionRule:DefinitionFile        the mlenv.json with the repositories, environments and gates
//   MlEnvironments:ProtectionRule:WebhookSecretVariable  the environment variable holding the App's webhook secret
//   MlEnvironments:ProtectionRule:MaxBodyBytes          the largest body read (default 1 MB; GitHub's cap is 25 MB)
//   MlEnvironments:ProtectionRule:MaxClockSkew          how far in the future a delivery may be dated (default 00:05:00)
//   MlEnvironments:GitHub:Authentication=App, AppId, AppPrivateKeyEnvironmentVariable   the App's credentials
//   MlEnvironments:Azure:…                               the Azure endpoint (DefaultAzureCredential unless a TokenCredential is registered)
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MlEnvironments;
using MlEnvironments.Promotion;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMlEnvironments()
    .AddGitHub()
    .AddAzureMachineLearning()
    .AddDeploymentProtectionRule();
builder.Services.AddSingleton<IConfigureOptions<DeploymentProtectionRuleOptions>>(sp => new ConfigureOptions<DeploymentProtectionRuleOptions>(options =>
{
    var file = builder.Configuration["MlEnvironments:ProtectionRule:DefinitionFile"];
    if (!string.IsNullOrWhiteSpace(file))
    {
        options.Definitions = MlEnvironmentsJson.DeserializeRepositorySet(File.ReadAllText(Path.GetFullPath(file, builder.Environment.ContentRootPath)));
    }
}));

// GitHub waits at most 10 seconds for a webhook's answer, and a decision reads Azure and the ledger: the endpoint
// answers from the signature and freshness check at once, and the decision runs in the background.
builder.Services.AddSingleton(Channel.CreateBounded<WebhookDelivery>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.Wait }));
builder.Services.AddHostedService<DecisionWorker>();

var app = builder.Build();

app.MapGet("/", () => Results.Text("MlEnvironments protection rule: POST GitHub's deployment_protection_rule webhooks to /webhooks/github.\n"));

app.MapPost("/webhooks/github", async (HttpRequest request, DeploymentProtectionRuleHandler handler, IOptions<DeploymentProtectionRuleOptions> options, Channel<WebhookDelivery> queue, CancellationToken cancellationToken) =>
{
    // Refuse before reading: the handler answers from the headers (no signature: 401; Content-Length over the limit:
    // 413), then reads at most MaxBodyBytes (1 MB by default; a deployment_protection_rule payload is a few KB),
    // computing the signature's HMAC as the bytes arrive. Kestrel's own limit is set to the same figure, so a chunked
    // body cannot be buffered past it either. The signature covers the exact bytes: never a model binder.
    if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
    {
        limit.MaxRequestBodySize = options.Value.MaxBodyBytes;
    }

    WebhookReadResult read;
    try
    {
        read = await handler.ReadAsync(
            request.Headers["X-GitHub-Event"].ToString(),
            request.Headers["X-GitHub-Delivery"].ToString(),
            request.Headers["X-Hub-Signature-256"].ToString(),
            request.ContentLength,
            request.Body,
            cancellationToken);
    }
    catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return Results.Json(new { decision = ProtectionRuleDecisionKind.PayloadTooLarge.ToString(), message = "Delivery too large." }, statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    if (read.Refusal is { } refusal)
    {
        // What was not read is not drained either: the connection closes with the answer.
        request.HttpContext.Response.Headers.Connection = "close";
        return Results.Json(new { decision = refusal.Kind.ToString(), message = refusal.Message }, statusCode: refusal.StatusCode);
    }

    var delivery = read.Delivery!;
    await queue.Writer.WriteAsync(delivery, cancellationToken);
    return Results.Json(new { decision = "Accepted", message = "Deciding; the answer goes to GitHub's deployment_callback_url." }, statusCode: StatusCodes.Status202Accepted);
});

app.Run();

/// <summary>The app's entry point (public so that tests can host it).</summary>
public partial class Program;

/// <summary>Decides queued deliveries and answers GitHub, one at a time.</summary>
internal sealed class DecisionWorker(Channel<WebhookDelivery> queue, DeploymentProtectionRuleHandler handler, ILogger<DecisionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // The handler logs every decision; a failure here must not stop the worker.
                await handler.HandleAsync(delivery, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Delivery {DeliveryId} could not be decided.", delivery.DeliveryId);
            }
        }
    }
}
