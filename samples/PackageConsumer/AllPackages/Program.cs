// Uses one entry point of every shipped package, then plans the README's environment on the in-memory fakes with
// the container's validation on, as an application would.
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using MlEnvironments.Workflows;
using static MlEnvironments.MlEnvironment;

var validation = new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true };

// The real providers register without I/O; the test credential keeps DefaultAzureCredential out.
var real = new ServiceCollection();
real.AddSingleton<TokenCredential>(new FakeTokenCredential());
real.AddMlEnvironments().AddGitHub().AddAzureMachineLearning();
using (real.BuildServiceProvider(validation))
{
}

var fakes = new ServiceCollection();
fakes.AddMlEnvironments().UseInMemory((github, _) => github.GrantAccess(github.AddRepository("octo-org/credit-risk"), User("ana")));
using var provider = fakes.BuildServiceProvider(validation);
var repository = Repository("octo-org/credit-risk", Environment("prod").RequireReviewers(User("ana")).WithVariable("MODEL", "credit"));
var plan = await provider.GetRequiredService<IEnvironmentPlanner>().PlanAsync(repository);
Console.WriteLine(plan.ToText());
Console.WriteLine(WorkflowGenerator.IsGenerated(string.Empty) ? "unexpected" : "workflows: ok");
return plan.HasChanges ? 0 : 1;
