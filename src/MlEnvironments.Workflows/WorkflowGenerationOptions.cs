using System;
using System.Collections.Generic;

namespace MlEnvironments.Workflows;

/// <summary>How <see cref="WorkflowGenerator"/> writes the promotion workflow. Every property has a working default.</summary>
public sealed class WorkflowGenerationOptions
{
    /// <summary>The default <see cref="WorkflowName"/>.</summary>
    public const string DefaultWorkflowName = "Promote model";

    /// <summary>The default <see cref="FileName"/>.</summary>
    public const string DefaultFileName = "promote.yml";

    /// <summary>The default <see cref="TrainingJobFile"/>.</summary>
    public const string DefaultTrainingJobFile = "train/job.yml";

    /// <summary>The default <see cref="DefinitionFile"/>: the file <c>mlenv</c> reads when it is given none.</summary>
    public const string DefaultDefinitionFile = "mlenv.json";

    /// <summary>The folder GitHub reads workflows from.</summary>
    public const string WorkflowsDirectory = ".github/workflows";

    /// <summary>
    /// The workflow's <c>name:</c>, shown in the Actions tab.
    /// <value>Default <c>Promote model</c>.</value>
    /// </summary>
    public string WorkflowName { get; set; } = DefaultWorkflowName;

    /// <summary>
    /// The workflow's file name under <c>.github/workflows/</c> (what <c>mlenv promote</c> dispatches).
    /// <value>Default <c>promote.yml</c>.</value>
    /// </summary>
    public string FileName { get; set; } = DefaultFileName;

    /// <summary>
    /// The version of the <c>MlEnvironments.Cli</c> tool the workflow installs (<c>dotnet tool install --version</c>);
    /// <see langword="null"/> for the newest. Pin it so that a run is reproducible.
    /// <value>Default <see langword="null"/>.</value>
    /// </summary>
    public string? ToolVersion { get; set; }

    /// <summary>
    /// Whether the first environment's job submits an Azure Machine Learning training job
    /// (<c>az ml job create --file <see cref="TrainingJobFile"/> --stream</c>) before the model version is checked.
    /// It is generated only when the first environment binds a workspace with a login.
    /// <value>Default <see langword="true"/>.</value>
    /// </summary>
    public bool IncludeTrainingJob { get; set; } = true;

    /// <summary>
    /// The Azure ML job specification the training job submits, relative to the repository root.
    /// <value>Default <c>train/job.yml</c>.</value>
    /// </summary>
    public string TrainingJobFile { get; set; } = DefaultTrainingJobFile;

    /// <summary>
    /// The definition file, relative to the repository root: named in the header, and passed to <c>mlenv</c> with
    /// <c>--file</c> when it is not <c>mlenv.json</c>.
    /// <value>Default <c>mlenv.json</c>.</value>
    /// </summary>
    public string DefinitionFile { get; set; } = DefaultDefinitionFile;

    /// <summary>
    /// The runner every job runs on (<c>runs-on:</c>).
    /// <value>Default <c>ubuntu-latest</c>.</value>
    /// </summary>
    public string RunsOn { get; set; } = "ubuntu-latest";

    /// <summary>
    /// The .NET SDK <c>actions/setup-dotnet</c> installs for the tool.
    /// <value>Default <c>10.0.x</c>.</value>
    /// </summary>
    public string DotNetVersion { get; set; } = "10.0.x";

    /// <summary>The path of the generated file in the repository: <c>.github/workflows/{FileName}</c>.</summary>
    public string FilePath => WorkflowsDirectory + "/" + FileName;

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <returns>One message per problem; empty when the options are usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(WorkflowName) || WorkflowName.Contains('\n', StringComparison.Ordinal))
        {
            errors.Add("WorkflowName must be one non-empty line.");
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(['/', '\\']) >= 0 ||
            !(FileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || FileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"FileName must be a file name ending in .yml or .yaml, without folders; it is '{FileName}'.");
        }

        if (ToolVersion is not null && !IsToken(ToolVersion, allowSlash: false))
        {
            errors.Add($"ToolVersion must be a NuGet version such as 0.1.0 (letters, digits, '.', '-', '+', '*'); it is '{ToolVersion}'.");
        }

        if (IncludeTrainingJob && (string.IsNullOrWhiteSpace(TrainingJobFile) || !IsToken(TrainingJobFile, allowSlash: true)))
        {
            errors.Add($"TrainingJobFile must be a relative path such as train/job.yml (letters, digits, '.', '-', '_', '/'); it is '{TrainingJobFile}'.");
        }

        if (string.IsNullOrWhiteSpace(DefinitionFile) || !IsToken(DefinitionFile, allowSlash: true))
        {
            errors.Add($"DefinitionFile must be a relative path such as mlenv.json (letters, digits, '.', '-', '_', '/'); it is '{DefinitionFile}'.");
        }

        if (string.IsNullOrWhiteSpace(RunsOn) || RunsOn.Contains('\n', StringComparison.Ordinal))
        {
            errors.Add("RunsOn must be one runner label such as ubuntu-latest.");
        }

        if (string.IsNullOrWhiteSpace(DotNetVersion) || !IsToken(DotNetVersion, allowSlash: false))
        {
            errors.Add($"DotNetVersion must be a version such as 10.0.x; it is '{DotNetVersion}'.");
        }

        return errors;
    }

    // Values that reach a shell command line: only characters that need no quoting.
    private static bool IsToken(string value, bool allowSlash)
    {
        if (value.Length == 0 || value[0] == '-' || value[0] == '/' || (allowSlash && value.Contains("..", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '*' || (allowSlash && c == '/')))
            {
                return false;
            }
        }

        return true;
    }
}
