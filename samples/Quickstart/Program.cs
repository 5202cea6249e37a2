// MlEnvironments quickstart: dev → staging → prod for one repository, planned and applied on the in-memory
// GitHub of MlEnvironments.Testing. No credentials, no network.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

const string subscription = "00000000-0000-0000-0000-000000000001";

// 1. Declare the environments, in promotion order. Nothing is sent anywhere while building.
var definition = Repository("octo-org/credit-risk",
    Environment("dev")
        .BindWorkspace(Workspace(subscription, "rg-ml-dev", "mlw-dev"))
        .WithVariable("MODEL_NAME", "credit-risk"),
    Environment("staging")
        .RequireReviewers(Team("ml-leads"))
        .AllowBranches("main", "release/*")
        .BindWorkspace(Workspace(subscription, "rg-ml-staging", "mlw-staging"))
        .WithVariable("MODEL_NAME", "credit-risk"),
    Environment("prod")
        .RequireReviewers(User("ana"), Team("ml-leads"))
        .WithWaitTimer(TimeSpan.FromMinutes(30))
        .PreventSelfReview()
        .PreventAdminsBypass()
        .AllowProtectedBranchesOnly()
        .BindWorkspace(Workspace(subscription, "rg-ml-prod", "mlw-prod"))
        .WithVariable("MODEL_NAME", "credit-risk")
        .WithVariable("MIN_AUC", "0.85")
        .WithSecret("AZURE_CREDENTIALS", SecretFromConfiguration("Secrets:AzureCredentials")));

// 2. Validate before anything else: every problem at once.
definition.Validate().ThrowIfInvalid();

// 3. Register the library on the in-memory GitHub, seeded with the repository and its reviewers.
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        // In real use this comes from user secrets, a key vault or the CI's secret store.
        ["Secrets:AzureCredentials"] = "{\"clientSecret\":\"quickstart-only-not-a-real-secret\"}",
    })
    .Build();

var github = new InMemoryGitHub();
var repository = github.AddRepository("octo-org/credit-risk");
github.GrantAccess(repository, User("ana")).GrantAccess(repository, Team("ml-leads"));

var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration);
services.AddMlEnvironments().UseInMemory(github);
await using var provider = services.BuildServiceProvider();
var planner = provider.GetRequiredService<IEnvironmentPlanner>();
var applier = provider.GetRequiredService<IEnvironmentApplier>();

// 4. Plan: a structural diff of the definition against what the repository has.
var plan = await planner.PlanAsync(definition);
Console.WriteLine(plan.ToText());
Console.WriteLine();

// 5. Apply: the only step that writes.
var result = await applier.ApplyAsync(plan);
Console.WriteLine(result.Summary);
Console.WriteLine();

// 6. Plan again: nothing to do.
var again = await planner.PlanAsync(definition);
Console.WriteLine(again.ToText());
Console.WriteLine();

// 7. Change one thing and look at the plan.
var longerWait = definition.UpdateEnvironment("prod", prod => prod.WithWaitTimer(TimeSpan.FromMinutes(60)));
var change = await planner.PlanAsync(longerWait);
Console.WriteLine(change.ToText());

return result.Succeeded && !again.HasChanges && change.Changes.Length == 1 ? 0 : 1;
