using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

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
    /// The version of the <c>MlEnvironments.Cli</c> tool the workflow installs when <see cref="ToolVersion"/> is not
    /// set: the version of this <c>MlEnvironments.Workflows</c> assembly (its informational version without the
    /// <c>+</c> build metadata), so that the workflow runs the tool that wrote it.
    /// </summary>
    public static string DefaultToolVersion { get; } = AssemblyVersion();

    /// <summary>
    /// The version of the <c>MlEnvironments.Cli</c> tool the workflow installs (<c>dotnet tool install --version</c>).
    /// The workflow always pins one, so that a run is reproducible: <see langword="null"/> is taken as
    /// <see cref="DefaultToolVersion"/>.
    /// <value>Default <see cref="DefaultToolVersion"/>.</value>
    /// </summary>
    public string? ToolVersion { get; set; } = DefaultToolVersion;

    /// <summary>
    /// A NuGet source (an <c>https://</c> or <c>http://</c> URL, e.g. a private feed) the workflow installs the tool
    /// from, besides the configured ones (<c>dotnet tool install --add-source</c>); <see langword="null"/> for the
    /// configured sources only (nuget.org by default).
    /// <value>Default <see langword="null"/>.</value>
    /// </summary>
    public string? ToolSource { get; set; }

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
    /// The definition file, relative to the repository root: named in the header, and passed to every <c>mlenv</c>
    /// step with <c>--file</c> (with <c>--repository</c>, the definition's repository).
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
        if (string.IsNullOrWhiteSpace(WorkflowName) || !IsPlainLine(WorkflowName))
        {
            errors.Add("WorkflowName must be one non-empty line of text, without control characters, line separators or '${{'.");
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

        if (ToolSource is not null && !IsSourceUrl(ToolSource))
        {
            errors.Add($"ToolSource must be an absolute http(s) URL such as https://pkgs.example.com/nuget/v3/index.json, without quotes, spaces, control characters, '$', '{{' or '}}'; it is '{ToolSource}'.");
        }

        if (IncludeTrainingJob && (string.IsNullOrWhiteSpace(TrainingJobFile) || !IsToken(TrainingJobFile, allowSlash: true)))
        {
            errors.Add($"TrainingJobFile must be a relative path such as train/job.yml (letters, digits, '.', '-', '_', '/'); it is '{TrainingJobFile}'.");
        }

        if (string.IsNullOrWhiteSpace(DefinitionFile) || !IsToken(DefinitionFile, allowSlash: true))
        {
            errors.Add($"DefinitionFile must be a relative path such as mlenv.json (letters, digits, '.', '-', '_', '/'); it is '{DefinitionFile}'.");
        }

        if (string.IsNullOrWhiteSpace(RunsOn) || !IsPlainLine(RunsOn))
        {
            errors.Add("RunsOn must be one runner label such as ubuntu-latest, without control characters, line separators or '${{'.");
        }

        if (string.IsNullOrWhiteSpace(DotNetVersion) || !IsToken(DotNetVersion, allowSlash: false))
        {
            errors.Add($"DotNetVersion must be a version such as 10.0.x; it is '{DotNetVersion}'.");
        }

        return errors;
    }

    /// <summary>The informational version of this assembly without the <c>+</c> build metadata.</summary>
    private static string AssemblyVersion()
    {
        var version = typeof(WorkflowGenerationOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrWhiteSpace(version))
        {
            version = typeof(WorkflowGenerationOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    // A URL the workflow passes single-quoted to the shell: absolute http(s), with no quote, space, control character,
    // '$', '{' or '}' (no shell or workflow expression).
    private static bool IsSourceUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        value.All(c => c > ' ' && c < '\u007f' && c is not '\'' and not '"' and not '`' and not '\\' and not '$' and not '{' and not '}');

    // Text GitHub shows (a name, a label): one line, nothing it would evaluate as an expression.
    private static bool IsPlainLine(string value) =>
        !value.Contains("${{", StringComparison.Ordinal) &&
        value.All(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Control or
            System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator));

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
