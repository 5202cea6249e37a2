using System;
using System.Collections.Generic;
using System.Linq;
using MlEnvironments.GitHub;
using YamlDotNet.RepresentationModel;
using static MlEnvironments.Workflows.Yaml.YamlValues;

namespace MlEnvironments.Workflows;

/// <content>The scheduled drift check: <c>mlenv drift</c> into the job summary, and the drift issue.</content>
public sealed partial class WorkflowGenerator
{
    /// <summary>The repository variable with the client id of the read-only Azure identity the drift check logs in with.</summary>
    public const string DriftClientIdVariable = "MLENV_DRIFT_AZURE_CLIENT_ID";

    /// <summary>The repository variable with the tenant of the drift check's Azure identity.</summary>
    public const string DriftTenantIdVariable = "MLENV_DRIFT_AZURE_TENANT_ID";

    /// <summary>The repository variable with the subscription the drift check's Azure login selects.</summary>
    public const string DriftSubscriptionVariable = "MLENV_DRIFT_AZURE_SUBSCRIPTION_ID";

    /// <summary>Where the drift check keeps <c>mlenv</c>'s HTTP cache between runs (restored and saved by <c>actions/cache</c>).</summary>
    public const string DriftHttpCacheDirectory = "${{ runner.temp }}/mlenv-http-cache";

    /// <summary>
    /// Generates the scheduled drift check of a repository: on a schedule and by hand, one job (in no environment, so
    /// that no reviewer is asked) installs <c>mlenv</c>, restores its HTTP cache (so that unchanged reads are answered
    /// 304 and cost no rate limit), logs in to Azure when a workspace is bound (with a read-only identity of its own,
    /// from the repository variables <see cref="DriftClientIdVariable"/>, <see cref="DriftTenantIdVariable"/> and
    /// <see cref="DriftSubscriptionVariable"/>; its federated credential trusts the default branch), runs
    /// <c>mlenv drift --output markdown</c> into the job summary and, with <see cref="DriftWorkflowOptions.OpenIssues"/>,
    /// opens, updates or closes the repository's drift issue. GitHub is read with the read-only token in
    /// <see cref="DriftWorkflowOptions.ReadTokenSecret"/>; the issue is filed with the run's token
    /// (<c>permissions: issues: write</c>). The job fails (exit code 4) while there is drift.
    /// </summary>
    /// <param name="definition">The repository's definition.</param>
    /// <param name="options">How to write it; <see langword="null"/> for the defaults.</param>
    /// <returns>The file: <c>.github/workflows/{FileName}</c> and its YAML text.</returns>
    /// <exception cref="ArgumentException">The options are not usable, or a name holds <c>${{</c>; the message says which.</exception>
    /// <exception cref="ValidationFailedException">The definition is not valid.</exception>
    public GitHubWorkflowFile GenerateDrift(RepositoryDefinition definition, DriftWorkflowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new DriftWorkflowOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The drift workflow options are not usable: " + string.Join(" ", problems), nameof(options));
        }

        definition.Validate().ThrowIfInvalid();
        RefuseExpression(definition.Repository.ToString(), "The repository");
        var repository = definition.Repository.ToString();
        var azure = definition.Environments.Any(e => e.Binding is not null);

        var root = new YamlMappingNode();
        root.Add(new YamlScalarNode("name"), Data(options.WorkflowName));
        root.Add(new YamlScalarNode("on"), new YamlMappingNode
        {
            { new YamlScalarNode("schedule"), new YamlSequenceNode(new YamlMappingNode { { new YamlScalarNode("cron"), DoubleQuoted(options.Schedule) } }) },
            { new YamlScalarNode("workflow_dispatch"), new YamlMappingNode() },
        });

        var permissions = new YamlMappingNode();
        if (azure)
        {
            permissions.Set("id-token", "write");
        }

        permissions.Set("contents", "read");
        permissions.Set("issues", options.OpenIssues ? "write" : "read");
        root.Add(new YamlScalarNode("permissions"), permissions);
        root.Add(new YamlScalarNode("concurrency"), new YamlMappingNode
        {
            { new YamlScalarNode("group"), String("mlenv-drift") },
            { new YamlScalarNode("cancel-in-progress"), Boolean(false) },
        });

        var steps = new YamlSequenceNode(CommonSteps());
        steps.Add(Step("Restore mlenv's HTTP cache", uses: "actions/cache@v4", with:
        [
            ("path", Value.Expression(DriftHttpCacheDirectory)),
            ("key", Value.Expression("mlenv-http-${{ github.run_id }}")),
            ("restore-keys", "mlenv-http-"),
        ]));
        if (azure)
        {
            steps.Add(Step("Log in to Azure (OIDC, read-only drift identity)", uses: "azure/login@v2", with:
            [
                ("client-id", Value.Expression($"${{{{ vars.{DriftClientIdVariable} }}}}")),
                ("tenant-id", Value.Expression($"${{{{ vars.{DriftTenantIdVariable} }}}}")),
                ("subscription-id", Value.Expression($"${{{{ vars.{DriftSubscriptionVariable} }}}}")),
            ]));
        }

        var command = Mlenv("drift", options.OpenIssues ? ["--output markdown", "--open-issues"] : ["--output markdown"]) + " >> \"$GITHUB_STEP_SUMMARY\"";
        var env = new List<(string, Value)>(MlenvEnvironment(repository))
        {
            ("GITHUB_TOKEN", Value.Expression($"${{{{ secrets.{options.ReadTokenSecret} }}}}")),
            ("MLENV_HTTP_CACHE_DIR", Value.Expression(DriftHttpCacheDirectory)),
        };
        if (options.OpenIssues)
        {
            env.Add(("MLENV_ISSUES_TOKEN", Value.Expression("${{ github.token }}")));
        }

        steps.Add(Step("Check for drift", run: command, env: env));

        var job = new YamlMappingNode();
        job.Add(new YamlScalarNode("name"), Data("Drift check of " + repository));
        job.Add(new YamlScalarNode("runs-on"), Data(_options.RunsOn));
        job.Add(new YamlScalarNode("steps"), steps);
        root.Add(new YamlScalarNode("jobs"), new YamlMappingNode { { new YamlScalarNode("drift"), job } });

        return new GitHubWorkflowFile(options.FilePath, Save(root, DriftHeader(definition, options, azure)));
    }

    private IEnumerable<string> DriftHeader(RepositoryDefinition definition, DriftWorkflowOptions options, bool azure)
    {
        yield return Comment($"{GeneratedMarker} workflow generate --drift (MlEnvironments.Workflows {WorkflowGenerationOptions.DefaultToolVersion}) from {_options.DefinitionFile},");
        yield return Comment($"the definition of {definition.Repository}: checks it for drift on a schedule ({options.Schedule}, UTC) and by hand.");
        yield return Comment($"Needs the repository secret {options.ReadTokenSecret}: a read-only token (Environments, Secrets, Variables: read).");
        if (azure)
        {
            yield return Comment($"Needs the repository variables {DriftClientIdVariable}, {DriftTenantIdVariable} and {DriftSubscriptionVariable}: a read-only");
            yield return Comment($"Azure identity (Reader) whose federated credential trusts repo:{definition.Repository}:ref:refs/heads/<default branch>.");
        }

        yield return Comment($"Do not edit by hand: change {_options.DefinitionFile}, then run `mlenv workflow generate --drift` again.");
    }
}
