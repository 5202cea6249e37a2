using MlEnvironments;
using static MlEnvironments.MlEnvironment;

namespace AnalyzerConsumer;

/// <summary>The definitions of Mistakes.cs, corrected as the README's sections on MLENV001 to MLENV006 say.</summary>
public static class Definitions
{
    public static RepositoryDefinition Define()
    {
        var prod = Environment("prod");
        prod = prod.RequireReviewers(User("ana"));

        var staging = Environment("staging")
            .RequireReviewers(Team("ml-leads"))
            .WithSecret("DB_PASSWORD", SecretFromEnvironmentVariable("DB_PASSWORD"))
            .WithWaitTimer(TimeSpan.FromDays(30));

        var audit = Environment("audit").RequireReviewers(
            User("u1"), User("u2"), User("u3"), User("u4"), User("u5"), Team("auditors"));

        var dev = Environment("dev").RequireReviewers(User("ana")).PreventSelfReview();

        return Repository("octo-org/credit-risk", dev, staging, prod, audit);
    }
}
