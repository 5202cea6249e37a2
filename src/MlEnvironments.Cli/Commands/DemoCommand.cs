using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.Planning;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv demo</c>: the quickstart's story on the embedded fakes: plan, apply, plan again.</summary>
internal static class DemoCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var command = new Command("demo", "Run the quickstart's dev → staging → prod definition on the embedded in-memory GitHub and Azure: plan, apply, plan again. No credentials, no network.");
        runtime.SetAction(command, async context =>
        {
            var console = context.Console;
            var definition = ExampleDefinition.Create(RepositoryId.Parse(ExampleDefinition.Repository));

            // Demo-only values for the two secret references; real runs read them from the environment (Secrets__…).
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(ExampleDefinition.SecretKeys.Select(k => new KeyValuePair<string, string?>(k, "demo-only-not-a-real-secret")))
                .Build();
            var (github, azure, identity) = ServiceFactory.Seed(definition);
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
            services.AddMlEnvironments().UseInMemory(github, azure, identity);
            await using var provider = services.BuildServiceProvider();
            var planner = provider.GetRequiredService<IEnvironmentPlanner>();
            var applier = provider.GetRequiredService<IEnvironmentApplier>();

            console.Heading($"mlenv demo: {definition}");
            console.Info("On the embedded in-memory GitHub and Azure: no credentials, nothing leaves this process.");
            foreach (var environment in definition.Environments)
            {
                console.Info("  " + environment);
            }

            console.Result(string.Empty);
            console.Heading("1. Plan: what apply would change");
            var plan = await console.ProgressAsync("Planning…", () => planner.PlanAsync(definition, cancellationToken: context.CancellationToken)).ConfigureAwait(false);
            console.Diff(plan.ToText());
            console.Result(string.Empty);

            console.Heading("2. Apply: the only step that writes");
            var result = await console.ProgressAsync("Applying…", () => applier.ApplyAsync(plan, context.CancellationToken)).ConfigureAwait(false);
            console.Diff(result.ToString());
            console.Result(string.Empty);

            console.Heading("3. Plan again: nothing left to do");
            var again = await console.ProgressAsync("Planning…", () => planner.PlanAsync(definition, cancellationToken: context.CancellationToken)).ConfigureAwait(false);
            console.Diff(again.ToText());
            console.Result(string.Empty);

            if (!result.Succeeded || again.HasChanges)
            {
                console.Error("The demo did not converge.", "this is a bug in mlenv; please report it with the output above.");
                return ExitCodes.Error;
            }

            console.Success($"Done: {result.AppliedCount} changes applied, and the repository matches the definition.");
            console.Info($"Next: mlenv init --repository <owner/name> --example, then mlenv plan against your repository (GITHUB_TOKEN), or mlenv workflow generate.");
            return ExitCodes.Success;
        },
        "mlenv demo");
        return command;
    }
}
