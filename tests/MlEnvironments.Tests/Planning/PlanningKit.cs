using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Planning;

/// <summary>Shared set-up for the planning tests: a fake GitHub with one repository, planners and appliers over it.</summary>
internal static class PlanningKit
{
    public const string RepositoryName = "octo-org/credit-risk";
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";

    public static WorkspaceId ProdWorkspace => Workspace(SubscriptionId, "rg-ml", "mlw-prod");

    /// <summary>A fake with the repository, the user "ana" and the team "ml-leads" (both with access).</summary>
    public static (InMemoryGitHub GitHub, RepositoryId Repository) NewGitHub(TimeProvider? time = null)
    {
        var github = new InMemoryGitHub(time);
        var repository = github.AddRepository(RepositoryName);
        github.GrantAccess(repository, User("ana"));
        github.GrantAccess(repository, Team("ml-leads"));
        return (github, repository);
    }

    public static EnvironmentPlanner Planner(InMemoryGitHub github, MlEnvironmentsOptions? options = null, ILogger<EnvironmentPlanner>? logger = null) =>
        new(github, github, github, options is null ? null : Options.Create(options), logger);

    public static EnvironmentApplier Applier(
        InMemoryGitHub github,
        MlEnvironmentsOptions? options = null,
        TimeProvider? time = null,
        ILogger<EnvironmentApplier>? logger = null,
        ISecretValueResolver? resolver = null) =>
        new(github, github, github, github, resolver, options is null ? null : Options.Create(options), time, logger);

    /// <summary>The pure diff over the state read from the fake.</summary>
    public static async Task<RepositoryPlan> DiffAsync(InMemoryGitHub github, RepositoryDefinition desired, PlanOptions? options = null)
    {
        var observed = await new EnvironmentPlanner(github, github, github).ReadStateAsync(desired);
        return EnvironmentPlanner.Diff(desired, observed, options);
    }

    public static (ChangeAction Action, ChangeKind Kind, string Environment, string? Target)[] Shape(RepositoryPlan plan) =>
        [.. plan.Changes.Select(c => (c.Action, c.Kind, c.EnvironmentName, c.Target))];

    public static PlannedChange Only(RepositoryPlan plan, ChangeKind kind) => Assert.Single(plan.Changes, c => c.Kind == kind);

    /// <summary>Waits (without asserting on time) until a condition holds; fails only when it never does.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + what + ".");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Sets a process environment variable with a unique name for the life of the scope.</summary>
    public sealed class EnvironmentVariableScope : IDisposable
    {
        public EnvironmentVariableScope(string? value)
        {
            Name = "MLENV_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
            System.Environment.SetEnvironmentVariable(Name, value);
        }

        public string Name { get; }

        public void Dispose() => System.Environment.SetEnvironmentVariable(Name, null);
    }
}
