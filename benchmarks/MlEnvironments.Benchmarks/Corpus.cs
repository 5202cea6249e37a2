using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Benchmarks;

/// <summary>Definitions shaped like a real organisation's: five environments per repository, the last ones protected.</summary>
internal static class Corpus
{
    private static readonly string[] Stages = ["dev", "test", "staging", "preprod", "prod"];

    public static EnvironmentDefinition Environment(int repository, int stage)
    {
        var name = Stages[stage % Stages.Length];
        var environment = MlEnvironment.Environment(name)
            .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", $"rg-ml-{repository % 50}", $"mlw-{name}-{repository}"))
            .WithVariable("MODEL_NAME", $"model-{repository}")
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("AZURE_CREDENTIALS", SecretFromEnvironmentVariable("AZURE_CREDENTIALS"));
        if (stage >= 2)
        {
            environment = environment
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(15 * stage))
                .PreventSelfReview()
                .AllowBranches("main", "release/*")
                .AllowTags("v*");
        }

        return environment;
    }

    public static RepositoryDefinition Repository(int index, int environments) =>
        MlEnvironment.Repository($"octo-org/ml-{index:D4}", [.. Enumerable.Range(0, environments).Select(s => Environment(index, s))]);

    /// <summary>Seeds a fake with the definitions and reads each repository's state back, as a plan would.</summary>
    public static (RepositoryDefinition[] Desired, RepositoryState[] Observed) Seeded(int repositories, int environments)
    {
        var github = new InMemoryGitHub();
        var desired = Enumerable.Range(0, repositories).Select(i => Repository(i, environments)).ToArray();
        foreach (var repository in desired)
        {
            foreach (var environment in repository.Environments)
            {
                github.Seed(repository.Repository, environment);
            }
        }

        var planner = new EnvironmentPlanner(github, github, github);
        var observed = desired.Select(d => planner.ReadStateAsync(d).GetAwaiter().GetResult()).ToArray();
        return (desired, observed);
    }

    /// <summary>Changes one environment in ten: a longer wait timer and a new variable value.</summary>
    public static RepositoryDefinition[] ChangeTenPercent(RepositoryDefinition[] desired)
    {
        var counter = 0;
        return desired.Select(repository =>
        {
            var result = repository;
            foreach (var environment in repository.Environments)
            {
                if (counter++ % 10 == 0)
                {
                    result = result.UpdateEnvironment(environment.Name, e => e.WithWaitTimer(e.WaitTimer + TimeSpan.FromMinutes(5)).WithVariable("MIN_AUC", "0.9"));
                }
            }

            return result;
        }).ToArray();
    }
}
