using Microsoft.CodeAnalysis;
using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class InvalidValueTests
{
    [Fact]
    public Task Constants_written_at_the_call_are_errors() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    const string Empty = "";
                    var a = Environment({|#0:""|});
                    var b = Environment({|#1:Empty|});
                    var c = Environment("dev").WithVariable({|#2:"GITHUB_SHA"|}, "x").WithSecret({|#3:"1PASSWORD"|}, SecretFromEnvironmentVariable("P"));
                    var d = Environment("dev").BindWorkspace(Workspace({|#4:"not-a-guid"|}, {|#5:"rg."|}, {|#6:"ab"|}));
                    var e = Environment("dev").RequireReviewers(User({|#7:"-ana"|}), Team({|#8:"ML Leads"|}));
                    var f = Environment("dev").WithWaitTimer({|#9:TimeSpan.FromDays(40)|});
                    var g = Environment("dev").WithWaitTimer({|#10:TimeSpan.FromSeconds(90)|});
                    var h = Environment("dev").WithWaitTimer({|#11:new TimeSpan(0, 1, 30)|});
                    var i = new VariableDefinition({|#12:"MODEL-NAME"|}, "x");
                    Console.WriteLine($"{a}{b}{c}{d}{e}{f}{g}{h}{i}");
            """),
            Error(D.InvalidValue, 0).WithArguments("Environment name", "", "An environment needs a name (1 to 255 characters).", "environment-name-required"),
            Error(D.InvalidValue, 1).WithArguments("Environment name", "", "An environment needs a name (1 to 255 characters).", "environment-name-required"),
            Error(D.InvalidValue, 2).WithArguments("Variable name", "GITHUB_SHA", "A variable name must not start with GITHUB_ (reserved by GitHub).", "variable-name-reserved"),
            Error(D.InvalidValue, 3).WithArguments("Secret name", "1PASSWORD", "A secret name has only letters, digits and '_', and does not start with a digit (^[A-Za-z_][A-Za-z0-9_]*$).", "secret-name-format"),
            Error(D.InvalidValue, 4).WithArguments("Subscription id", "not-a-guid", "A subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.", "workspace-subscription-id"),
            Error(D.InvalidValue, 5).WithArguments("Resource group", "rg.", "A resource group name has 1 to 90 letters, digits, '_', '-', '.', '(' or ')', and does not end with '.'.", "workspace-resource-group"),
            Error(D.InvalidValue, 6).WithArguments("Workspace name", "ab", "A workspace name has 3 to 33 letters, digits, '-' or '_', and starts with a letter or digit.", "workspace-name"),
            Error(D.InvalidValue, 7).WithArguments("User login", "-ana", "A user login has 1 to 39 letters, digits or single hyphens, and does not start or end with a hyphen.", "reviewer-name"),
            Error(D.InvalidValue, 8).WithArguments("Team slug", "ML Leads", "A team slug has 1 to 255 lower-case letters, digits, '-' or '_' (the slug, not the display name).", "reviewer-name"),
            Error(D.InvalidValue, 9).WithArguments("Wait timer", "57600 minutes", "A wait timer is between 0 and 43,200 minutes (30 days).", "wait-timer-range"),
            Error(D.InvalidValue, 10).WithArguments("Wait timer", "1.5 minutes", "A wait timer is a whole number of minutes.", "wait-timer-whole-minutes"),
            Error(D.InvalidValue, 11).WithArguments("Wait timer", "1.5 minutes", "A wait timer is a whole number of minutes.", "wait-timer-whole-minutes"),
            Error(D.InvalidValue, 12).WithArguments("Variable name", "MODEL-NAME", "A variable name has only letters, digits and '_', and does not start with a digit (^[A-Za-z_][A-Za-z0-9_]*$).", "variable-name-format"));

    [Fact]
    public Task Values_that_flow_from_a_variable_are_warnings() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var name = "prod;eu";
                    var timer = TimeSpan.FromHours(1000);
                    var a = Environment({|#0:name|});
                    var b = Environment("dev").WithWaitTimer({|#1:timer|});
                    var c = Environment({|#2:Shared|});
                    Console.WriteLine($"{a}{b}{c}");
            """, """
                private static readonly string Shared = "";

            """),
            Warning(D.InvalidValue, 0).WithArguments("Environment name", "prod;eu", "An environment name must not contain any of '\"`\\,;; found ';'.", "environment-name-characters"),
            Warning(D.InvalidValue, 1).WithArguments("Wait timer", "60000 minutes", "A wait timer is between 0 and 43,200 minutes (30 days).", "wait-timer-range"),
            Warning(D.InvalidValue, 2).WithArguments("Environment name", "", "An environment needs a name (1 to 255 characters).", "environment-name-required"));

    [Fact]
    public Task Valid_and_unknown_values_are_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var name = "prod";
                    name = Console.ReadLine() ?? "";
                    var a = Environment(name);
                    var b = Environment("prod")
                        .RequireReviewers(User("ana"), Team("ml-leads"))
                        .WithWaitTimer(TimeSpan.FromMinutes(30))
                        .WithVariable("MODEL_NAME", "credit-risk")
                        .WithSecret("DB_PASSWORD", SecretFromEnvironmentVariable("DB_PASSWORD"))
                        .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod"));
                    var c = Environment("dev").WithWaitTimer(TimeSpan.FromMinutes(Minutes()));
                    Console.WriteLine($"{a}{b}{c}");
            """, """
                private static double Minutes() => 90.5;

            """));

    [Fact]
    public async Task Hostile_characters_are_escaped_in_the_message()
    {
        var (_, diagnostics) = await Sources.AnalyzeAsync(Sources.InMethod("""
                    var a = Environment("prod\u202E\u001B[31m");
                    Console.WriteLine(a);
            """));

        var diagnostic = Assert.Single(diagnostics);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("prod\\u202E\\u001B[31m", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', message);
        Assert.DoesNotContain('\u001B', message);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }
}
