// MlEnvironments protection-rule app: a GitHub App's webhook endpoint that approves or rejects deployments to an
// environment from its promotion gates (a custom deployment protection rule). GitHub sends the
// deployment_protection_rule webhook when a job that references the environment starts; this app verifies the
// signature, evaluates the gates of the model version the run promotes, and answers GitHub with the numbers.
//
// Configuration (appsettings.json, environment variables MlEnvironments__…):
//   MlEnvironments:ProtectionRule:DefinitionFile        the mlenv.json with the repositories, environments and gates
//   MlEnvironments:ProtectionRule:WebhookSecretVariable  the environment variable holding the App's webhook secret
//   MlEnvironments:GitHub:Authentication=App, AppId, AppPrivateKeyEnvironmentVariable   the App's credentials
//   MlEnvironments:Azure:…                               the Azure endpoint (DefaultAzureCredential unless a TokenCredential is registered)
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

var app = builder.Build();

app.MapGet("/", () => Results.Text("MlEnvironments protection rule: POST GitHub's deployment_protection_rule webhooks to /webhooks/github.\n"));

app.MapPost("/webhooks/github", async (HttpRequest request, DeploymentProtectionRuleHandler handler, CancellationToken cancellationToken) =>
{
    // The signature covers the exact bytes: read the body raw, never through a model binder.
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, cancellationToken);
    var decision = await handler.HandleAsync(
        new WebhookDelivery(
            request.Headers["X-GitHub-Event"].ToString(),
            request.Headers["X-GitHub-Delivery"].ToString(),
            request.Headers["X-Hub-Signature-256"].ToString(),
            body.ToArray()),
        cancellationToken);
    return Results.Json(new { decision = decision.Kind.ToString(), message = decision.Message }, statusCode: decision.StatusCode);
});

app.Run();

/// <summary>The app's entry point (public so that tests can host it).</summary>
public partial class Program;
