using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class CodeFixTests
{
    [Fact]
    public Task A_discarded_result_is_assigned_back_to_the_local() =>
        new FixTest<AssignResultCodeFix>(
            Sources.InMethod("""
                    var prod = Environment("prod").RequireReviewers(User("ana"));
                    prod.WithWaitTimer(TimeSpan.FromMinutes(30)).{|MLENV001:AllowBranches|}("main");
                    Console.WriteLine(prod);
            """),
            Sources.InMethod("""
                    var prod = Environment("prod").RequireReviewers(User("ana"));
                    prod = prod.WithWaitTimer(TimeSpan.FromMinutes(30)).AllowBranches("main");
                    Console.WriteLine(prod);
            """)).RunAsync();

    [Fact]
    public Task A_discarded_result_is_assigned_back_to_a_field_and_a_parameter() =>
        new FixTest<AssignResultCodeFix>(
            Sources.InMethod("""
                    this.prod.{|MLENV001:PreventSelfReview|}();
                    Change(Environment("dev"));
            """, """
                private EnvironmentDefinition prod = Environment("prod").RequireReviewers(User("ana"));

                private static void Change(EnvironmentDefinition environment)
                {
                    environment.{|MLENV001:WithVariable|}("MODEL_NAME", "credit-risk");
                    Console.WriteLine(environment);
                }

            """),
            Sources.InMethod("""
                    this.prod = this.prod.PreventSelfReview();
                    Change(Environment("dev"));
            """, """
                private EnvironmentDefinition prod = Environment("prod").RequireReviewers(User("ana"));

                private static void Change(EnvironmentDefinition environment)
                {
                    environment = environment.WithVariable("MODEL_NAME", "credit-risk");
                    Console.WriteLine(environment);
                }

            """)).RunAsync();

    [Fact]
    public Task No_assignment_is_offered_where_nothing_can_be_assigned()
    {
        var source = Sources.InMethod("""
                    {|MLENV001:Environment("prod")|};
                    Prod.{|MLENV001:RequireReviewers|}(User("ana"));
            """, """
                private static readonly EnvironmentDefinition Prod = Environment("prod");

            """);
        return new FixTest<AssignResultCodeFix>(source, source).RunAsync();
    }

    [Fact]
    public Task A_literal_secret_is_read_from_an_environment_variable_named_after_the_secret() =>
        new FixTest<SecretFromEnvironmentVariableCodeFix>(
            Sources.InMethod("""
                    var prod = Environment("prod")
                        .WithSecret("DB_PASSWORD", SecretValue.FromValue({|MLENV002:"hunter2"|}))
                        .UseServicePrincipalLogin(Guid.Empty, Guid.Empty, SecretValue.FromValue({|MLENV002:"sp-secret"|}));
                    var apiKey = SecretValue.FromValue({|MLENV002:"k-123"|});
                    Console.WriteLine($"{prod}{apiKey}");
            """),
            Sources.InMethod("""
                    var prod = Environment("prod")
                        .WithSecret("DB_PASSWORD", SecretFromEnvironmentVariable("DB_PASSWORD"))
                        .UseServicePrincipalLogin(Guid.Empty, Guid.Empty, SecretFromEnvironmentVariable("AZURE_CLIENT_SECRET"));
                    var apiKey = SecretFromEnvironmentVariable("API_KEY");
                    Console.WriteLine($"{prod}{apiKey}");
            """)).RunAsync();

    [Fact]
    public Task Without_the_using_static_the_fix_qualifies_the_factory() =>
        new FixTest<SecretFromEnvironmentVariableCodeFix>(
            """
            using MlEnvironments;

            public static class Definitions
            {
                public static SecretDefinition Secret() => new("DB_PASSWORD", SecretValue.FromValue({|MLENV002:"hunter2"|}));
            }
            """,
            """
            using MlEnvironments;

            public static class Definitions
            {
                public static SecretDefinition Secret() => new("DB_PASSWORD", MlEnvironment.SecretFromEnvironmentVariable("DB_PASSWORD"));
            }
            """).RunAsync();

    [Fact]
    public Task A_duplicate_name_takes_the_case_of_the_first_declaration()
    {
        var test = new FixTest<EnvironmentNameCaseCodeFix>(
            Sources.InMethod("""
                    var a = Repository("octo-org/app", Environment("prod"), {|#0:Environment({|#1:"Prod"|}).RequireReviewers(User("ana"))|});
                    Console.WriteLine(a);
            """),
            Sources.InMethod("""
                    var a = Repository("octo-org/app", Environment("prod"), {|#0:Environment({|#1:"prod"|}).RequireReviewers(User("ana"))|});
                    Console.WriteLine(a);
            """));
        test.ExpectedDiagnostics.Add(Error(D.DuplicateEnvironment, 0).WithLocation(1)
            .WithArguments("Environment names are not case-sensitive on GitHub: 'Prod' and 'prod' are the same environment; declare it once.", "environment-name-duplicate"));

        // The fixed source spells the name once: the declaration is still a duplicate, now visibly, to be merged by hand.
        test.FixedState.ExpectedDiagnostics.Add(Error(D.DuplicateEnvironment, 0).WithLocation(1)
            .WithArguments("Environment names are not case-sensitive on GitHub: 'prod' and 'prod' are the same environment; declare it once.", "environment-name-duplicate"));
        return test.RunAsync();
    }
}
