using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class DiscardedDefinitionTests
{
    [Fact]
    public Task A_fluent_call_as_a_statement_is_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var prod = Environment("prod");
                    prod.{|#0:RequireReviewers|}(User("ana"));
                    prod.WithWaitTimer(TimeSpan.FromMinutes(30)).{|#1:AllowAdminsBypass|}();
                    {|#2:Environment("staging")|};
                    Repository("octo-org/app", prod).{|#3:WithoutEnvironment|}("prod");
                    SecretValue.{|#4:FromEnvironmentVariable|}("X");
            """),
            Warning(D.DiscardedDefinition, 0).WithArguments("RequireReviewers", "EnvironmentDefinition"),
            Warning(D.DiscardedDefinition, 1).WithArguments("AllowAdminsBypass", "EnvironmentDefinition"),
            Warning(D.DiscardedDefinition, 2).WithArguments("Environment", "EnvironmentDefinition"),
            Warning(D.DiscardedDefinition, 3).WithArguments("WithoutEnvironment", "RepositoryDefinition"),
            Warning(D.DiscardedDefinition, 4).WithArguments("FromEnvironmentVariable", "SecretValue"));

    [Fact]
    public Task A_used_result_is_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var prod = Environment("prod");
                    prod = prod.RequireReviewers(User("ana"));
                    var staging = Environment("staging").WithWaitTimer(TimeSpan.FromMinutes(5));
                    _ = prod.AllowAdminsBypass();
                    Use(prod.PreventSelfReview());
                    prod.Validate();
                    RepositoryId.Parse("octo-org/app");
                    var repository = Repository("octo-org/app", prod, staging);
                    Console.WriteLine(repository.ToString());
            """, """
                private static void Use(EnvironmentDefinition environment) => Console.WriteLine(environment.Name);

            """));

    [Fact]
    public Task A_lookalike_type_of_another_namespace_is_not_reported() =>
        AnalyzerTest.VerifyAsync("""
            namespace Other
            {
                public sealed class EnvironmentDefinition
                {
                    public EnvironmentDefinition RequireReviewers(string login) => this;
                }

                public static class Use
                {
                    public static void Define(EnvironmentDefinition prod) => prod.RequireReviewers("ana");
                }
            }
            """);
}
