using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

public sealed class SecretInSourceTests
{
    [Fact]
    public Task Literals_and_constants_given_as_plaintext_are_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    const string Token = "ghp_0123456789";
                    var password = "hunter2";
                    var a = SecretValue.FromValue({|#0:"p@ssw0rd"|});
                    var b = SecretValue.FromValue({|#1:Token|});
                    var c = SecretValue.FromValue({|#2:password|});
                    var d = SecretValue.FromValue({|#3:$"{Token}-suffix"|});
                    var e = SecretValue.FromValue({|#4:Pinned|});
                    Console.WriteLine(a.ToString() + b + c + d + e);
            """, """
                private const string Pinned = "const-in-class";

            """),
            Warning(D.SecretInSource, 0).WithArguments("SecretValue.FromValue"),
            Warning(D.SecretInSource, 1).WithArguments("SecretValue.FromValue"),
            Warning(D.SecretInSource, 2).WithArguments("SecretValue.FromValue"),
            Warning(D.SecretInSource, 3).WithArguments("SecretValue.FromValue"),
            Warning(D.SecretInSource, 4).WithArguments("SecretValue.FromValue"));

    [Fact]
    public Task Values_read_at_run_time_are_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    var fromEnvironment = SecretValue.FromValue(System.Environment.GetEnvironmentVariable("DB_PASSWORD") ?? string.Empty);
                    var reassigned = "placeholder";
                    reassigned = Console.ReadLine() ?? string.Empty;
                    var fromInput = SecretValue.FromValue(reassigned);
                    var empty = SecretValue.FromValue("");
                    var reference = SecretFromEnvironmentVariable("DB_PASSWORD");
                    var configured = SecretFromConfiguration("Secrets:Db");
                    var variable = Environment("prod").WithVariable("MODEL_NAME", "credit-risk");
                    Console.WriteLine(fromEnvironment.ToString() + fromInput + empty + reference + configured + variable);
            """));

    [Fact]
    public Task Every_parameter_marked_SecretPlaintext_is_checked() =>
        AnalyzerTest.VerifyAsync(Sources.InMethod("""
                    Store({|#0:"literal"|});
                    Store(System.Environment.GetEnvironmentVariable("X") ?? "");
            """, """
                private static void Store([SecretPlaintext] string value) => Console.WriteLine(value.Length);

                public Task Write(MlEnvironments.GitHub.IGitHubSecretWriter writer, RepositoryId repository) =>
                    writer.SetEnvironmentSecretAsync(repository, "prod", "DB_PASSWORD", {|#1:"hunter2"|});

            """),
            Warning(D.SecretInSource, 0).WithArguments("Definitions.Store"),
            Warning(D.SecretInSource, 1).WithArguments("IGitHubSecretWriter.SetEnvironmentSecretAsync"));
}
