using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Benchmarks.Scale;

/// <summary>
/// The scale run's definitions: N repositories × 3 environments. <c>dev</c> is bound to a workspace (its variables);
/// <c>staging</c> has a team reviewer and custom branch patterns; <c>prod</c> has a user and a team reviewer, a wait
/// timer, prevent self-review, protected branches only and a secret. Every stage is bound to its own workspace and
/// declares <c>MIN_AUC</c>, so each environment holds four variables.
/// </summary>
internal static class ScaleCorpus
{
    public const string Owner = "octo-org";
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    /// <summary>The distinct reviewers of a repository (and of the whole set: ids are organisation-wide).</summary>
    public static readonly Reviewer[] Reviewers = [User("ana"), Team("ml-leads"), Team("ml-reviewers")];

    public static RepositoryId RepositoryId(int index) => MlEnvironments.RepositoryId.Parse($"{Owner}/model-{index:D4}");

    public static RepositoryDefinition Repository(int index) => MlEnvironment.Repository(RepositoryId(index),
        Environment("dev")
            .BindWorkspace(Workspace(Subscription, "rg-ml-dev", $"mlw-dev-{index}"))
            .WithVariable("MIN_AUC", "0.70"),
        Environment("staging")
            .RequireReviewers(Team("ml-reviewers"))
            .AllowBranches("main", "release/*")
            .BindWorkspace(Workspace(Subscription, "rg-ml-staging", $"mlw-staging-{index}"))
            .WithVariable("MIN_AUC", "0.80"),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .AllowProtectedBranchesOnly()
            .BindWorkspace(Workspace(Subscription, "rg-ml-prod", $"mlw-prod-{index}"))
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue($$"""{"clientId":"app-{{index}}","clientSecret":"scale-run-only"}""")));

    public static RepositorySetDefinition Set(int repositories) =>
        Repositories(Enumerable.Range(0, repositories).Select(Repository));

    /// <summary>An empty GitHub with the repositories and the reviewers' read access.</summary>
    public static InMemoryGitHub NewState(int repositories)
    {
        var state = new InMemoryGitHub();
        for (var i = 0; i < repositories; i++)
        {
            foreach (var reviewer in Reviewers)
            {
                state.GrantAccess(RepositoryId(i), reviewer);
            }
        }

        return state;
    }

    /// <summary>
    /// Changes one environment in ten (counting environments across the set): a wait timer 5 minutes longer and a
    /// new <c>MIN_AUC</c> value, i.e. one settings write and one variable write each.
    /// </summary>
    public static (RepositorySetDefinition Changed, int ChangedEnvironments) ChangeOneInTen(RepositorySetDefinition set)
    {
        var counter = 0;
        var changed = 0;
        var repositories = set.Repositories.Select(repository =>
        {
            var result = repository;
            foreach (var environment in repository.Environments)
            {
                if (counter++ % 10 == 0)
                {
                    changed++;
                    result = result.UpdateEnvironment(environment.Name, e => e
                        .WithWaitTimer(e.WaitTimer + TimeSpan.FromMinutes(5))
                        .WithVariable("MIN_AUC", "0.99"));
                }
            }

            return result;
        }).ToList();
        return (Repositories(repositories), changed);
    }
}
