using Microsoft.CodeAnalysis.Testing;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>The MLENV001 fix: all at once, keeping what the user wrote around the statement.</summary>
public sealed class AssignResultFixTests
{
    [Fact]
    public Task Fix_all_assigns_every_discarded_result_of_a_document() =>
        new FixTest<AssignResultCodeFix>(
            Sources.InMethod("""
                    var prod = Environment("prod");
                    var staging = Environment("staging");
                    prod.{|MLENV001:RequireReviewers|}(User("ana"));
                    staging.{|MLENV001:WithWaitTimer|}(TimeSpan.FromMinutes(5));
                    prod.{|MLENV001:AllowAdminsBypass|}();
                    Console.WriteLine($"{prod}{staging}");
            """),
            Sources.InMethod("""
                    var prod = Environment("prod");
                    var staging = Environment("staging");
                    prod = prod.RequireReviewers(User("ana"));
                    staging = staging.WithWaitTimer(TimeSpan.FromMinutes(5));
                    prod = prod.AllowAdminsBypass();
                    Console.WriteLine($"{prod}{staging}");
            """))
        {
            NumberOfIncrementalIterations = 3,
            NumberOfFixAllIterations = 1,
        }.RunAsync();

    [Fact]
    public Task The_fix_keeps_comments_and_line_breaks() =>
        new FixTest<AssignResultCodeFix>(
            Sources.InMethod("""
                    var prod = Environment("prod");
                    // Reviewers for production.
                    prod /* the environment */ .RequireReviewers(User("ana")) // lead
                        .{|MLENV001:WithWaitTimer|}(TimeSpan.FromMinutes(30)); // half an hour
                    Console.WriteLine(prod);
            """),
            Sources.InMethod("""
                    var prod = Environment("prod");
                    // Reviewers for production.
                    prod = prod /* the environment */ .RequireReviewers(User("ana")) // lead
                        .WithWaitTimer(TimeSpan.FromMinutes(30)); // half an hour
                    Console.WriteLine(prod);
            """)).RunAsync();

    [Fact]
    public Task No_fix_assigns_a_statement_around_a_lambda_that_discards_the_result()
    {
        var source = Sources.Usings + """
            public sealed class Builder
            {
                public Builder Then(Action action)
                {
                    action();
                    return this;
                }
            }

            public class Definitions
            {
                public void Define(Builder builder, EnvironmentDefinition prod)
                {
                    builder.Then(() => prod.{|MLENV001:PreventSelfReview|}());
                    Console.WriteLine(builder);
                }
            }
            """;
        return new FixTest<AssignResultCodeFix>(source, source).RunAsync();
    }
}
