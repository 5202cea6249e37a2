using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>Where a value comes from: what the analyzer may call known, and what it must leave alone.</summary>
public sealed class ValueFlowTests
{
    private const string Characters = "An environment name must not contain any of '\"`\\,;; found ';'.";

    private static DiagnosticResult BadName(DiagnosticResult result, string name) =>
        result.WithArguments("Environment name", name, Characters, "environment-name-characters");

    [Fact]
    public Task A_local_written_again_in_a_loop_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var name = "prod";
                    var other = "prod";
                    for (var i = 0; i < 3; i++)
                    {
                        Console.WriteLine(Environment(name));
                        name = "prod;" + i;
                    }

                    while (other.Length < 10)
                    {
                        Console.WriteLine(Environment(other));
                        other += ";eu";
                    }
            """));

    [Fact]
    public Task A_local_written_in_a_lambda_or_a_local_function_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var fromLambda = "prod;eu";
                    var fromFunction = "prod;eu";
                    Action reset = () => fromLambda = Console.ReadLine() ?? "prod";
                    reset();
                    Rename();
                    Console.WriteLine($"{Environment(fromLambda)}{Environment(fromFunction)}");

                    void Rename() => fromFunction = "prod";
            """));

    [Fact]
    public Task A_local_read_in_a_loop_or_a_lambda_and_never_written_is_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var name = "prod;eu";
                    foreach (var region in new[] { "eu", "us" })
                    {
                        Console.WriteLine(Environment({|#0:name|}) + region);
                    }

                    Func<EnvironmentDefinition> make = () => Environment({|#1:name|});
                    Console.WriteLine(make());
            """),
            BadName(Warning(D.InvalidValue, 0), "prod;eu"),
            BadName(Warning(D.InvalidValue, 1), "prod;eu"));

    [Fact]
    public Task A_local_passed_by_ref_or_out_or_aliased_by_a_ref_local_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var byRef = "prod;eu";
                    var byOut = "prod;eu";
                    var aliased = "prod;eu";
                    Change(ref byRef);
                    Read(out byOut);
                    ref var alias = ref aliased;
                    alias = "prod";
                    Console.WriteLine($"{Environment(byRef)}{Environment(byOut)}{Environment(aliased)}");
            """, """
                private static void Change(ref string name) => name = "prod";

                private static void Read(out string name) => name = "prod";

            """));

    [Fact]
    public Task A_local_written_by_deconstruction_or_compound_assignment_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var first = "prod;eu";
                    var second = "prod;eu";
                    string? third = null;
                    var fourth = TimeSpan.FromDays(40);
                    (first, second) = ("prod", "staging");
                    third ??= "prod;eu";
                    fourth -= TimeSpan.FromDays(39);
                    Console.WriteLine($"{Environment(first)}{Environment(second)}{Environment(third)}{Environment("dev").WithWaitTimer(fourth)}");
            """));

    [Fact]
    public Task Foreach_pattern_using_and_out_variables_are_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    object boxed = "prod;eu";
                    foreach (var name in new[] { "prod;eu" })
                    {
                        Console.WriteLine(Environment(name));
                    }

                    if (boxed is string text)
                    {
                        Console.WriteLine(Environment(text));
                    }

                    using var reader = new System.IO.StringReader("prod;eu");
                    Console.WriteLine(Environment(reader.ReadLine() ?? ""));
                    if (Names.TryGetValue(1, out var found))
                    {
                        Console.WriteLine(Environment(found));
                    }
            """, """
                private static readonly System.Collections.Generic.Dictionary<int, string> Names = new() { [1] = "prod;eu" };

            """));

    [Fact]
    public Task A_local_written_in_another_switch_section_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    switch (System.Environment.ProcessorCount)
                    {
                        case 1:
                            var name = "prod;eu";
                            Console.WriteLine(Environment(name));
                            break;
                        default:
                            name = "prod";
                            Console.WriteLine(Environment(name));
                            break;
                    }
            """));

    [Fact]
    public Task Conditional_switch_and_awaited_values_are_known_only_when_constant() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public class Definitions
            {
                private const bool Production = true;

                public async Task<EnvironmentDefinition[]> DefineAsync(bool flag, int kind)
                {
                    var a = Environment(flag ? "prod;eu" : "prod");
                    var b = Environment(kind switch { 1 => "prod;eu", _ => "prod" });
                    var c = Environment(await NameAsync());
                    var d = Environment({|#0:Production ? "prod;eu" : "prod"|});
                    return [a, b, c, d];
                }

                private static Task<string> NameAsync() => Task.FromResult("prod;eu");
            }
            """),
            BadName(Error(D.InvalidValue, 0), "prod;eu"));

    [Fact]
    public Task A_conditional_access_checks_its_arguments_and_leaves_the_chain_unknown() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public class Definitions
            {
                public EnvironmentDefinition?[] Define(EnvironmentDefinition? maybe) =>
                [
                    maybe?.WithVariable({|#0:"GITHUB_MODEL"|}, "x"),
                    maybe?.PreventSelfReview(),
                ];
            }
            """),
            Error(D.InvalidValue, 0).WithArguments("Variable name", "GITHUB_MODEL", "A variable name must not start with GITHUB_ (reserved by GitHub).", "variable-name-reserved"));

    [Fact]
    public Task Top_level_statements_trace_their_locals_through_the_whole_file()
    {
        var test = new AnalyzerTest(Usings("""
            var known = "prod;eu";
            var renamed = "prod;eu";
            var a = Environment({|#0:known|});
            var b = Environment(renamed);
            Reset();
            Console.WriteLine($"{a}{b}");

            void Reset() => renamed = "prod";
            """),
            BadName(Warning(D.InvalidValue, 0), "prod;eu"));
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Expression_bodied_members_and_field_initializers_are_checked() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public class Definitions
            {
                private readonly EnvironmentDefinition staging = Environment({|#0:"staging;eu"|});

                public EnvironmentDefinition Production => Environment({|#1:"prod;eu"|});

                public EnvironmentDefinition Staging() => staging.RequireReviewers(User({|#2:"-ana"|}));
            }
            """),
            BadName(Error(D.InvalidValue, 0), "staging;eu"),
            BadName(Error(D.InvalidValue, 1), "prod;eu"),
            Error(D.InvalidValue, 2).WithArguments("User login", "-ana", "A user login has 1 to 39 letters, digits or single hyphens, and does not start or end with a hyphen.", "reviewer-name"));

    [Fact]
    public Task A_static_readonly_field_a_static_constructor_assigns_is_not_known()
    {
        var test = new AnalyzerTest(Usings("""
            public partial class Definitions
            {
                private static readonly string Replaced = "prod;eu";
                private static readonly string ReplacedByRef = "prod;eu";
                private static readonly string ReplacedByQualifiedRef = "prod;eu";
                private static readonly string Kept = "prod;eu";

                static Definitions()
                {
                    Replaced = System.Environment.GetEnvironmentVariable("ENVIRONMENT_NAME") ?? "prod";
                    Init(ref ReplacedByRef);
                    Init(ref Definitions.ReplacedByQualifiedRef);
                }

                public EnvironmentDefinition[] Define() =>
                    [Environment(Replaced), Environment(ReplacedByRef), Environment(ReplacedByQualifiedRef), Environment({|#0:Kept|})];

                private static void Init(ref string name) => name = "prod";
            }
            """),
            BadName(Warning(D.InvalidValue, 0), "prod;eu"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_static_readonly_field_assigned_in_a_static_constructor_of_another_part_is_not_known()
    {
        var test = new AnalyzerTest(Usings("""
            public partial class Definitions
            {
                private static readonly string Name = "prod;eu";

                public EnvironmentDefinition Define() => Environment(Name);
            }
            """));
        test.TestState.Sources.Add(("Definitions.Static.cs", """
            public partial class Definitions
            {
                static Definitions() => Name = System.Environment.GetEnvironmentVariable("ENVIRONMENT_NAME") ?? "prod";
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task A_static_readonly_field_read_by_an_earlier_static_initializer_is_not_known() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public class Definitions
            {
                private static readonly EnvironmentDefinition Early = Environment(Late);
                private static readonly string Late = "prod;eu";
                private static readonly EnvironmentDefinition After = Environment({|#0:Late|});

                public static EnvironmentDefinition EarlyProperty { get; } = Environment(LateName);

                private static readonly string LateName = "staging;eu";

                public static EnvironmentDefinition Current => Environment({|#1:LateName|});

                public EnvironmentDefinition[] All() => [Early, After, EarlyProperty, Current];
            }
            """),
            BadName(Warning(D.InvalidValue, 0), "prod;eu"),
            BadName(Warning(D.InvalidValue, 1), "staging;eu"));

    [Fact]
    public Task A_struct_local_an_extension_method_takes_by_ref_is_not_known() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public static class Timers
            {
                public static void Shorten(this ref TimeSpan timer) => timer = TimeSpan.FromMinutes(30);

                public static TimeSpan Doubled(this TimeSpan timer) => timer + timer;
            }

            public class Definitions
            {
                public EnvironmentDefinition[] Define()
                {
                    var shortened = TimeSpan.FromDays(40);
                    shortened.Shorten();
                    var read = TimeSpan.FromDays(40);
                    Console.WriteLine(read.Doubled());
                    return [Environment("a").WithWaitTimer(shortened), Environment("b").WithWaitTimer({|#0:read|})];
                }
            }
            """),
            Warning(D.InvalidValue, 0).WithArguments("Wait timer", "57600 minutes", "A wait timer is between 0 and 43,200 minutes (30 days).", "wait-timer-range"));

    [Fact]
    public Task A_local_read_through_an_operator_is_known_and_one_passed_by_ref_through_one_is_not() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    string? read = "prod;eu";
                    string? passed = "prod;eu";
                    Change(ref passed!);
                    var seconds = 90;
                    Console.WriteLine(-seconds);
                    Console.WriteLine($"{Environment({|#0:read|}!)}{Environment(passed!)}{Environment("dev").WithWaitTimer({|#1:TimeSpan.FromSeconds(seconds)|})}");
            """, """
                private static void Change(ref string? name) => name = "prod";

            """),
            BadName(Warning(D.InvalidValue, 0), "prod;eu"),
            Warning(D.InvalidValue, 1).WithArguments("Wait timer", "1.5 minutes", "A wait timer is a whole number of minutes.", "wait-timer-whole-minutes"));

    [Fact]
    public Task Constants_across_partial_classes_interpolation_and_nameof_are_written_at_the_call()
    {
        var test = new AnalyzerTest(Usings("""
            public partial class Definitions
            {
                public EnvironmentDefinition[] Define()
                {
                    var GITHUB_MODEL = 1;
                    return
                    [
                        Environment({|#0:Name|}),
                        Environment({|#1:$"prod;{Region}"|}),
                        Environment("dev").WithVariable({|#2:nameof(GITHUB_MODEL)|}, GITHUB_MODEL.ToString()),
                        Environment(nameof(Definitions)),
                    ];
                }
            }
            """),
            BadName(Error(D.InvalidValue, 0), "prod;eu"),
            BadName(Error(D.InvalidValue, 1), "prod;eu"),
            Error(D.InvalidValue, 2).WithArguments("Variable name", "GITHUB_MODEL", "A variable name must not start with GITHUB_ (reserved by GitHub).", "variable-name-reserved"));
        test.TestState.Sources.Add(("Definitions.Names.cs", """
            public partial class Definitions
            {
                private const string Region = "eu";
                private const string Name = "prod;" + Region;
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Default_arguments_are_not_known_inside_the_method() =>
        AnalyzerTest.VerifyAsync(Usings("""
            public static class Definitions
            {
                public static EnvironmentDefinition Make(string name = "prod;eu", string login = "-ana") =>
                    Environment(name).RequireReviewers(User(login));

                public static EnvironmentDefinition Default() => Make();
            }
            """));

    [Fact]
    public Task Generated_code_is_not_analyzed()
    {
        var test = new AnalyzerTest(Usings("""
            public partial class Definitions
            {
                public EnvironmentDefinition Define() => Environment("prod");
            }
            """));
        test.TestState.Sources.Add(("Definitions.Generated.cs", """
            // <auto-generated/>
            using MlEnvironments;
            using static MlEnvironments.MlEnvironment;

            public partial class Definitions
            {
                public EnvironmentDefinition Generated()
                {
                    Environment("prod;eu").PreventSelfReview();
                    return Environment("").WithSecret("DB", SecretValue.FromValue("hunter2"));
                }
            }
            """));
        test.TestState.Sources.Add(("Definitions.g.cs", """
            using MlEnvironments;
            using static MlEnvironments.MlEnvironment;

            public partial class Definitions
            {
                public EnvironmentDefinition AlsoGenerated() => Environment("prod;eu").PreventSelfReview();
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task A_secret_local_written_again_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var plaintext = "hunter2";
                    plaintext = System.Environment.GetEnvironmentVariable("DB_PASSWORD") ?? "";
                    var constant = "hunter2";
                    Console.WriteLine($"{SecretValue.FromValue(plaintext)}{SecretValue.FromValue({|#0:constant|})}");
            """),
            Warning(D.SecretInSource, 0).WithArguments("SecretValue.FromValue"));

    private static string Usings(string source) => Sources.Usings + source;
}
