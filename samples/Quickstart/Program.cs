// MlEnvironments quickstart: dev → staging → prod for one repository, planned and applied.
//
// By default everything runs on the in-memory GitHub and Azure of MlEnvironments.Testing: no credentials, no network.
// dev logs in to Azure with a service principal's secret (AZURE_CREDENTIALS), staging and prod with OIDC through a
// managed identity each (a federated credential and a role assignment, no secret).
// Real mode: with GITHUB_TOKEN and MLENV_REPOSITORY=owner/repo set (and MLENV_GITHUB_URL for GitHub Enterprise
// Server), it plans against that repository and applies only when run with --apply. With MLENV_AZURE_SUBSCRIPTION
// set too, the Azure side is real (DefaultAzureCredential); without it, the logins are left out and only the
// workspace variables are planned.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

const string subscription = "00000000-0000-0000-0000-000000000001";
var token = System.Environment.GetEnvironmentVariable("GITHUB_TOKEN");
var repositoryName = System.Environment.GetEnvironmentVariable("MLENV_REPOSITORY");
var githubUrl = System.Environment.GetEnvironmentVariable("MLENV_GITHUB_URL");
var realMode = !string.IsNullOrWhiteSpace(token) && !string.IsNullOrWhiteSpace(repositoryName);
var applyInRealMode = args.Contains("--apply");
var azureSubscription = System.Environment.GetEnvironmentVariable("MLENV_AZURE_SUBSCRIPTION");
var realAzure = realMode && !string.IsNullOrWhiteSpace(azureSubscription);
var subscriptionId = realAzure ? azureSubscription! : subscription;
var stagingIdentity = ManagedIdentity(subscriptionId, "rg-identities", "id-github-staging");
var prodIdentity = ManagedIdentity(subscriptionId, "rg-identities", "id-github-prod");
var devClientId = Guid.Parse("11111111-1111-1111-1111-111111111111");
var tenantId = Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47");
var withLogins = !realMode || realAzure;
var repositoryId = RepositoryId.Parse(realMode ? repositoryName! : "octo-org/credit-risk");

// 1. Declare the environments, in promotion order. Nothing is sent anywhere while building.
var definition = Repository(repositoryId,
    Login(Environment("dev")
        .BindWorkspace(Workspace(subscriptionId, "rg-ml-dev", "mlw-dev"))
        .WithVariable("MODEL_NAME", "credit-risk"),
        e => e.UseServicePrincipalLogin(devClientId, tenantId, SecretFromConfiguration("Secrets:DevServicePrincipal"))),
    Login(Environment("staging")
        .RequireReviewers(Team("ml-leads"))
        .AllowBranches("main", "release/*")
        .BindWorkspace(Workspace(subscriptionId, "rg-ml-staging", "mlw-staging"))
        .WithVariable("MODEL_NAME", "credit-risk"),
        e => e.UseOidcLogin(stagingIdentity)),
    Login(Environment("prod")
        .RequireReviewers(User("ana"), Team("ml-leads"))
        .WithWaitTimer(TimeSpan.FromMinutes(30))
        .PreventSelfReview()
        .PreventAdminsBypass()
        .AllowProtectedBranchesOnly()
        .BindWorkspace(Workspace(subscriptionId, "rg-ml-prod", "mlw-prod"))
        .WithVariable("MODEL_NAME", "credit-risk")
        .WithVariable("MIN_AUC", "0.85")
        .WithSecret("MODEL_REGISTRY_TOKEN", SecretFromConfiguration("Secrets:ModelRegistryToken")),
        e => e.UseOidcLogin(prodIdentity)));

// 2. Validate before anything else: every problem at once.
definition.Validate().ThrowIfInvalid();

// 3. Register the library: the in-memory GitHub (seeded with the repository and its reviewers), or the real one.
var settings = new Dictionary<string, string?>();
if (!realMode)
{
    // In real use secrets come from user secrets, a key vault, or the environment (Secrets__DevServicePrincipal, …).
    settings["Secrets:DevServicePrincipal"] = "quickstart-only-not-a-real-secret";
    settings["Secrets:ModelRegistryToken"] = "quickstart-only-not-a-real-token";
}

var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
var builder = services.AddMlEnvironments();
if (realMode)
{
    builder.AddGitHub(options =>
    {
        if (!string.IsNullOrWhiteSpace(githubUrl))
        {
            options.BaseAddress = new Uri(githubUrl);
        }
    });
    Console.WriteLine($"Real mode: planning against {repositoryId} on {(string.IsNullOrWhiteSpace(githubUrl) ? "https://api.github.com/" : githubUrl)}.");
    if (realAzure)
    {
        builder.AddAzureMachineLearning();
        Console.WriteLine($"Azure: subscription {subscriptionId} through DefaultAzureCredential.");
    }
    else
    {
        Console.WriteLine("Azure: not configured (set MLENV_AZURE_SUBSCRIPTION); logins are left out, workspace variables only.");
    }
}
else
{
    var github = new InMemoryGitHub();
    github.GrantAccess(repositoryId, User("ana")).GrantAccess(repositoryId, Team("ml-leads"));
    var azure = new InMemoryAzureMachineLearning()
        .AddWorkspace(Workspace(subscriptionId, "rg-ml-dev", "mlw-dev"))
        .AddWorkspace(Workspace(subscriptionId, "rg-ml-staging", "mlw-staging"))
        .AddWorkspace(Workspace(subscriptionId, "rg-ml-prod", "mlw-prod"));
    var identities = new InMemoryAzureIdentity();
    identities.AddIdentity(stagingIdentity, tenantId: tenantId);
    identities.AddIdentity(prodIdentity, tenantId: tenantId);
    builder.UseInMemory(github, azure, identities);
    Console.WriteLine("Running on the in-memory GitHub and Azure (set GITHUB_TOKEN and MLENV_REPOSITORY=owner/repo for real mode).");
}

Console.WriteLine();
await using var provider = services.BuildServiceProvider();
var planner = provider.GetRequiredService<IEnvironmentPlanner>();
var applier = provider.GetRequiredService<IEnvironmentApplier>();

try
{
    // 4. Plan: a structural diff of the definition against what the repository has.
    var plan = await planner.PlanAsync(definition);
    Console.WriteLine(plan.ToText());
    Console.WriteLine();

    if (realMode && !applyInRealMode)
    {
        Console.WriteLine("Nothing was changed. Run again with --apply to apply this plan.");
        return 0;
    }

    // 5. Apply: the only step that writes. A change that fails stops it; say which, why, and what to do.
    var result = await applier.ApplyAsync(plan);
    Console.WriteLine(result.Summary);
    Console.WriteLine();
    if (!result.Succeeded)
    {
        foreach (var failed in result.Results.Where(r => r.Outcome == ChangeOutcome.Failed))
        {
            Console.Error.WriteLine($"FAILED: {Terminal(failed.Change.Describe())}");
            if (failed.Error is { } error)
            {
                Explain(error);
            }
        }

        var skipped = result.Results.Count(r => r.Outcome == ChangeOutcome.Skipped);
        Console.Error.WriteLine($"{skipped} later changes were not tried. Fix the cause above, then run again: the plan starts from what was applied.");
        return 1;
    }

    // 6. Plan again: nothing to do.
    var again = await planner.PlanAsync(definition);
    Console.WriteLine(again.ToText());
    Console.WriteLine();
    if (realMode)
    {
        return result.Succeeded && !again.HasChanges ? 0 : 1;
    }

    // 7. Change one thing and look at the plan.
    var longerWait = definition.UpdateEnvironment("prod", prod => prod.WithWaitTimer(TimeSpan.FromMinutes(60)));
    var change = await planner.PlanAsync(longerWait);
    Console.WriteLine(change.ToText());
    return result.Succeeded && !again.HasChanges && change.Changes.Length == 1 ? 0 : 1;
}
catch (MlEnvironmentsException e)
{
    Explain(e);
    return 1;
}

// Why a call failed: the status, the service's own message (its request id), and what to do about it.
static void Explain(Exception error)
{
    if (error is RemoteServiceException remote)
    {
        var status = remote.StatusCode == 0 ? "no response" : $"HTTP {remote.StatusCode}";
        var request = remote.RequestId is null ? string.Empty : $", request id {remote.RequestId}";
        Console.Error.WriteLine($"  {remote.Service} answered {remote.Operation} with {status}{request}: {Terminal(remote.Message)}");
        Console.Error.WriteLine("  What to do: " + (remote.Service, remote.StatusCode) switch
        {
            ("GitHub", 401) => "GitHub refused the token: check GITHUB_TOKEN (expired, revoked, or for another host than MLENV_GITHUB_URL).",
            ("GitHub", 403) => "the token lacks a permission (it needs Administration: write and Environments: write on the repository; classic tokens: repo), or a rate limit was hit: wait, then run again.",
            ("GitHub", 404) => "check MLENV_REPOSITORY (owner/name) and that the token can see the repository.",
            ("GitHub", 422) => "GitHub refused a value of the definition: change what its message names, then run again.",
            (_, 429) => "a rate limit was hit: wait a few minutes, then run again.",
            (_, 0) => $"{remote.Service} could not be reached: check the network (and MLENV_GITHUB_URL), then run again.",
            (_, >= 500) => $"{remote.Service} failed: run again in a moment (apply converges: what was done is not done twice).",
            ("Azure", 401 or 403) => "the Azure identity cannot do this: sign in again (az login), or grant it the role the message names.",
            _ => "fix what the message names, then run again.",
        });
    }
    else
    {
        Console.Error.WriteLine($"  {Terminal(error.Message)}");
    }
}

// Text from a service or a file, made safe for a terminal: control characters (ESC, BEL, line breaks) shown escaped.
static string Terminal(string text) =>
    string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? $"\\u{(int)c:x4}" : c.ToString()));

EnvironmentDefinition Login(EnvironmentDefinition environment, Func<EnvironmentDefinition, EnvironmentDefinition> login) =>
    withLogins ? login(environment) : environment;
