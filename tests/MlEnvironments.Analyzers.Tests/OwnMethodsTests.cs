using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>MLENV001 speaks only of the library's methods, which are known to change nothing but their result.</summary>
public sealed class OwnMethodsTests
{
    [Fact]
    public Task An_extension_method_of_the_user_that_returns_a_definition_is_not_reported() =>
        AnalyzerTest.VerifyAsync(Sources.Usings + """
            public static class Logging
            {
                public static EnvironmentDefinition Logged(this EnvironmentDefinition environment)
                {
                    Console.WriteLine(environment);
                    return environment;
                }

                public static RepositoryDefinition Register(this RepositoryDefinition repository, System.Collections.Generic.List<RepositoryDefinition> all)
                {
                    all.Add(repository);
                    return repository;
                }
            }

            public class Definitions
            {
                public void Define(System.Collections.Generic.List<RepositoryDefinition> all)
                {
                    var prod = Environment("prod");
                    prod.Logged();
                    Repository("octo-org/app", prod).Register(all);
                    prod.{|#0:PreventAdminsBypass|}();
                }
            }
            """,
            Warning(D.DiscardedDefinition, 0).WithArguments("PreventAdminsBypass", "EnvironmentDefinition"));
}
