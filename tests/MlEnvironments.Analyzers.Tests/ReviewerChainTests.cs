using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class ReviewerChainTests
{
    private static string Limit(int count) => $"GitHub allows at most 6 required reviewers in total (users and teams together); {count} are declared.";
    private const string SelfReview = "Preventing self-review needs at least one required reviewer; add a reviewer or allow self-review.";

    [Fact]
    public Task More_than_six_reviewers_in_one_chain_is_an_error() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var a = Environment("a").{|#0:RequireReviewers|}(User("u1"), User("u2"), User("u3"), User("u4"), User("u5"), User("u6"), Team("t7"));
                    var b = Environment("b").RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4")).WithWaitTimer(TimeSpan.FromMinutes(5))
                        .{|#1:RequireReviewers|}(User("u5"), User("u6"), User("u7"));
                    var c = Environment("c").RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4"), User("u5"), User("u6"));
                    var d = Environment("d").RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4")).WithoutReviewers()
                        .RequireReviewers(User("u5"), User("u6"), User("u7"));
                    Console.WriteLine($"{a}{b}{c}{d}");
            """),
            Error(D.TooManyReviewers, 0).WithArguments("7", Limit(7), "reviewers-limit"),
            Error(D.TooManyReviewers, 1).WithArguments("7", Limit(7), "reviewers-limit"));

    [Fact]
    public Task Reviewers_counted_through_a_variable_are_a_warning_once() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var four = Environment("a").RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4"));
                    var seven = four.RequireReviewers(User("u5"), User("u6"), User("u7"));
                    var eight = seven.{|#0:RequireReviewers|}(User("u8"));
                    Reviewer[] more = [User("u9")];
                    var unknown = Environment("b").RequireReviewers(more).RequireReviewers(User("u1"));
                    Console.WriteLine($"{eight}{unknown}");
            """),
            Warning(D.TooManyReviewers, 0).WithArguments("8", Limit(8), "reviewers-limit"));

    [Fact]
    public Task Self_review_prevented_without_a_reviewer_is_an_error() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var a = Environment("a").WithWaitTimer(TimeSpan.FromMinutes(5)).{|#0:PreventSelfReview|}();
                    var b = Environment("b").RequireReviewers(User("ana")).WithoutReviewers().{|#1:PreventSelfReview|}();
                    var start = Environment("c");
                    var c = start.{|#2:PreventSelfReview|}();
                    Console.WriteLine($"{a}{b}{c}");
            """),
            Error(D.SelfReviewWithoutReviewer, 0).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"),
            Error(D.SelfReviewWithoutReviewer, 1).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"),
            Warning(D.SelfReviewWithoutReviewer, 2).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"));

    [Fact]
    public Task Self_review_with_a_reviewer_or_an_unknown_start_is_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var a = Environment("a").RequireReviewers(User("ana")).PreventSelfReview();
                    var b = Environment("b").PreventSelfReview().RequireReviewers(Team("ml-leads"));
                    var c = Environment("c").PreventSelfReview().AllowSelfReview();
                    var d = Environment("d").RequireReviewers(Leads()).PreventSelfReview();
                    var e = Given().PreventSelfReview();
                    var start = Environment("f");
                    start = start.RequireReviewers(User("ana"));
                    var f = start.PreventSelfReview();
                    Console.WriteLine($"{a}{b}{c}{d}{e}{f}");
            """, """
                private static Reviewer[] Leads() => [Team("ml-leads")];

                private static EnvironmentDefinition Given() => Environment("given").RequireReviewers(User("ana"));

            """));
}
