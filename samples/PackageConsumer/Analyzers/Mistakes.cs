using MlEnvironments;
using static MlEnvironments.MlEnvironment;

namespace AnalyzerConsumer;

/// <summary>One of each mistake the analyzers catch (built only with -p:WithMistakes=true).</summary>
public static class Definitions
{
    public static RepositoryDefinition Define()
    {
        var prod = Environment("prod");
        prod.RequireReviewers(User("ana"));                                           // MLENV001: the result is discarded

        var staging = Environment("staging")
            .RequireReviewers(Team("ml-leads"))
            .WithSecret("DB_PASSWORD", SecretValue.FromValue("hunter2"))             // MLENV002: a secret in source
            .WithWaitTimer(TimeSpan.FromDays(40));                                  // MLENV003: more than 30 days

        var audit = Environment("audit").RequireReviewers(
            User("u1"), User("u2"), User("u3"), User("u4"), User("u5"), User("u6"), User("u7")); // MLENV004: 7 reviewers

        var dev = Environment("dev").PreventSelfReview();                          // MLENV005: no reviewer

        return Repository("octo-org/credit-risk", dev, staging, prod, audit, Environment("Prod")); // MLENV006: Prod = prod
    }
}
