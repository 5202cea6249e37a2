using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using MlEnvironments.Cli.Infrastructure;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv validate</c>: checks the definition against GitHub's and Azure's rules, without calling either.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var file = CommonOptions.File();
        var repository = CommonOptions.Repository();
        var output = CommonOptions.Output();
        var command = new Command("validate", "Check the definition file against GitHub's and Azure's rules and list every violation (path and rule); calls nothing.")
        {
            file, repository, output,
        };
        runtime.SetAction(command, context => RunAsync(context, file, repository, output),
            "mlenv validate",
            "mlenv validate --file config/mlenv.json --output json");
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, Option<string> file, Option<string> repository, Option<string> output)
    {
        var format = context.Format(output);
        var path = context.DefinitionPath(file);
        var definition = await context.LoadDefinitionAsync(file, repository).ConfigureAwait(false);
        var result = definition.Validate();
        switch (format)
        {
            case OutputFormat.Json:
                context.Console.Result(Json(path, definition, result));
                break;
            case OutputFormat.Markdown:
                context.Console.Result(Markdown(path, definition, result));
                break;
            default:
                if (result.IsValid)
                {
                    context.Console.Success($"{path} is valid: {definition}.");
                }
                else
                {
                    ErrorReporter.ReportValidation(result, context.Console, planning: false);
                }

                break;
        }

        return result.IsValid ? ExitCodes.Success : ExitCodes.Error;
    }

    private static string Json(string path, RepositoryDefinition definition, ValidationResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", path);
            writer.WriteString("repository", definition.Repository.ToString());
            writer.WriteBoolean("valid", result.IsValid);
            writer.WriteStartArray("errors");
            foreach (var error in result.Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("path", error.Path);
                writer.WriteString("rule", error.Rule);
                writer.WriteString("message", error.Message);
                if (error.OffendingValue is null)
                {
                    writer.WriteNull("value");
                }
                else
                {
                    writer.WriteString("value", error.OffendingValue);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Markdown(string path, RepositoryDefinition definition, ValidationResult result)
    {
        var builder = new StringBuilder();
        builder.Append("### Validation of `").Append(path).Append("` (`").Append(definition.Repository).AppendLine("`)").AppendLine();
        if (result.IsValid)
        {
            return builder.AppendLine("**Valid.** " + string.Join(" → ", definition.Environments.Select(e => e.Name))).ToString();
        }

        builder.AppendLine("| Path | Rule | Problem |").AppendLine("|---|---|---|");
        foreach (var error in result.Errors)
        {
            builder.Append("| `").Append(Cell(error.Path)).Append("` | `").Append(error.Rule).Append("` | ").Append(Cell(error.Message)).AppendLine(" |");
        }

        return builder.AppendLine().Append("**").Append(result.Errors.Length).AppendLine(" errors.**").ToString();
    }

    internal static string Cell(string value) =>
        value.Replace("|", "\\|", System.StringComparison.Ordinal).Replace("\n", " ", System.StringComparison.Ordinal);
}
