using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class DuplicateEnvironmentTests
{
    private static string Message(string name, string first) => $"Environment names are not case-sensitive on GitHub: '{name}' and '{first}' are the same environment; declare it once.";

    [Fact]
    public Task Names_equal_without_regard_to_case_are_an_error() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var a = Repository("octo-org/app", Environment("dev"), Environment("prod"), {|#0:Environment({|#2:"Prod"|}).RequireReviewers(User("ana"))|});
                    var b = Repository("octo-org/app", Environment("staging"), {|#1:Environment({|#3:"staging"|})|});
                    Console.WriteLine($"{a}{b}");
            """),
            Error(D.DuplicateEnvironment, 0).WithLocation(2).WithArguments(Message("Prod", "prod"), "environment-name-duplicate"),
            Error(D.DuplicateEnvironment, 1).WithLocation(3).WithArguments(Message("staging", "staging"), "environment-name-duplicate"));

    [Fact]
    public Task Names_that_flow_from_variables_are_a_warning() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var prod = Environment("prod").RequireReviewers(User("ana"));
                    var name = "PROD";
                    var a = Repository("octo-org/app", prod, {|#0:Environment(name)|});
                    Console.WriteLine(a);
            """),
            Warning(D.DuplicateEnvironment, 0).WithArguments(Message("PROD", "prod"), "environment-name-duplicate"));

    [Fact]
    public Task Distinct_or_unknown_names_are_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var a = Repository("octo-org/app", Environment("dev"), Environment("staging"), Environment("prod"));
                    var b = Repository("octo-org/app", Environment("prod"), Environment(Console.ReadLine() ?? "x"));
                    var c = Repository("octo-org/app", Environment("prod"), Given());
                    Console.WriteLine($"{a}{b}{c}");
            """, """
                private static EnvironmentDefinition Given() => Environment("prod");

            """));
}
