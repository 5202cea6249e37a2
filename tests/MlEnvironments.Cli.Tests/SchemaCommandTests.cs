using System.Text.Json;
using Json.Schema;

namespace MlEnvironments.Cli.Tests;

public class SchemaCommandTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        MlEnvironmentsJson.GetSchema(),
        new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() }));

    [Fact]
    public async Task Schema_PrintsTheShippedSchema()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("schema");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(MlEnvironmentsJson.GetSchema().TrimEnd(), result.Output.TrimEnd());
        using var printed = JsonDocument.Parse(result.Output);
        Assert.Equal(MlEnvironmentsJson.SchemaUri, printed.RootElement.GetProperty("$id").GetString());
    }

    [Theory]
    [InlineData("--azure-subscription", "00000000-0000-0000-0000-000000000001")]
    [InlineData("--example", null)]
    [InlineData("--environments", "dev,prod")]
    public async Task Init_WritesAFileThatNamesTheSchema_AndConformsToIt(string flag, string? value)
    {
        using var mlenv = new Mlenv();
        string[] arguments = value is null ? ["init", "--repository", "octo-org/x", flag] : ["init", "--repository", "octo-org/x", flag, value];

        var init = await mlenv.RunAsync(arguments);

        Assert.True(init.ExitCode == 0, init.ToString());
        using var file = JsonDocument.Parse(mlenv.Read("mlenv.json"));
        Assert.Equal(MlEnvironmentsJson.SchemaUri, file.RootElement.GetProperty("$schema").GetString());
        Assert.Equal("$schema", file.RootElement.EnumerateObject().First().Name);
        var results = Schema.Value.Evaluate(file.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, mlenv.Read("mlenv.json"));
        Assert.Equal(0, (await mlenv.RunAsync("validate")).ExitCode);
    }

    [Fact]
    public async Task AMalformedFile_PointsToTheFormatDocumentation()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", """{"repository": "octo-org/x", "environments": [{"name": "prod", "name": "dev"}]}""");

        var result = await mlenv.RunAsync("validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("$.environments[0].name", result.Error);
        Assert.Contains("Definition file format", result.Error);
        Assert.Contains("mlenv schema", result.Error);
    }
}
