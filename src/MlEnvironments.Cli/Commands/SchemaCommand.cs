using System.CommandLine;
using System.Threading.Tasks;
using MlEnvironments.Cli.Infrastructure;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv schema</c>: prints the JSON Schema of the definition file format (the one the tool reads by).</summary>
internal static class SchemaCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var command = new Command("schema", $"Print the JSON Schema (draft 2020-12) of the definition file format; its $id is {MlEnvironmentsJson.SchemaUri}.");
        runtime.SetAction(command, context =>
        {
            context.Console.Result(MlEnvironmentsJson.GetSchema());
            return Task.FromResult(ExitCodes.Success);
        },
        "mlenv schema > mlenv.schema.json");
        return command;
    }
}
