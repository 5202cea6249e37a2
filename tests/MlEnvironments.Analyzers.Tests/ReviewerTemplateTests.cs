using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>A chain kept in a local that other chains build on is judged where they end.</summary>
public sealed class ReviewerTemplateTests
{
    private static string Limit(int count) => $"GitHub allows at most 6 required reviewers in total (users and teams together); {count} are declared.";
    private const string SelfReview = "Preventing self-review needs at least one required reviewer; add a reviewer or allow self-review.";

    [Fact]
    public Task A_template_that_prevents_self_review_before_its_reviewers_are_added_is_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var template = Environment("prod").PreventSelfReview().WithWaitTimer(TimeSpan.FromMinutes(30));
                    var prod = template.RequireReviewers(User("ana"));
                    var reassigned = Environment("staging").PreventSelfReview();
                    reassigned = reassigned.RequireReviewers(Team("ml-leads"));
                    var parenthesized = Environment("dev").PreventSelfReview();
                    var dev = (parenthesized).RequireReviewers(User("ana"));
                    var forgiven = Environment("test").PreventSelfReview();
                    var test = forgiven!.RequireReviewers(User("ana"));
                    Console.WriteLine($"{prod}{reassigned}{dev}{test}");
            """));

    [Fact]
    public Task A_template_left_without_reviewers_is_reported_where_each_use_ends() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var template = Environment("prod").PreventSelfReview();
                    var a = template.{|#0:WithWaitTimer|}(TimeSpan.FromMinutes(30));
                    var b = template.RequireReviewers(User("ana"));
                    var c = template.WithVariable("MODEL_NAME", "credit-risk").{|#1:PreventSelfReview|}();
                    var d = template!.{|#2:AllowAdminsBypass|}();
                    var e = (template).{|#3:PreventAdminsBypass|}();
                    Console.WriteLine($"{a}{b}{c}{d}{e}");
            """),
            Warning(D.SelfReviewWithoutReviewer, 0).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"),
            Warning(D.SelfReviewWithoutReviewer, 1).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"),
            Warning(D.SelfReviewWithoutReviewer, 2).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"),
            Warning(D.SelfReviewWithoutReviewer, 3).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"));

    [Fact]
    public Task Too_many_reviewers_in_a_template_are_judged_where_its_uses_end() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var seven = Environment("a").RequireReviewers(User("u1"), User("u2"), User("u3"), User("u4"), User("u5"), User("u6"), User("u7"));
                    var reset = seven.WithoutReviewers().RequireReviewers(User("ana"));
                    var kept = seven.{|#0:WithWaitTimer|}(TimeSpan.FromMinutes(5));
                    Console.WriteLine($"{reset}{kept}");
            """),
            Warning(D.TooManyReviewers, 0).WithArguments("7", Limit(7), "reviewers-limit"));

    [Fact]
    public Task A_local_only_validated_or_read_is_judged_where_it_is_written() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var prod = Environment("prod").{|#0:PreventSelfReview|}();
                    var result = prod.Validate();
                    Console.WriteLine($"{prod.Name}{prod.ToString()}{result}");
            """),
            Error(D.SelfReviewWithoutReviewer, 0).WithArguments(SelfReview, "prevent-self-review-requires-reviewer"));
}
