using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlEnvironments.Serialization;

/// <summary>
/// The JSON Schema (draft 2020-12) of the definition file format, generated from <see cref="DefinitionFormat"/>. The
/// generated text is checked in as <c>mlenv.schema.json</c> and embedded in the assembly; a test keeps the two equal.
/// </summary>
internal static class DefinitionSchema
{
    public const string Id = "https://raw.githubusercontent.com/mlenvironments/mlenvironments/main/src/MlEnvironments/Serialization/mlenv.schema.json";

    private const string ResourceName = "MlEnvironments.Serialization.mlenv.schema.json";

    private static readonly Lazy<string> EmbeddedText = new(() =>
    {
        using var stream = typeof(DefinitionSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the MlEnvironments assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The schema shipped in the assembly.</summary>
    public static string Embedded => EmbeddedText.Value;

    /// <summary>Generates the schema from the format's table (what the embedded file must hold).</summary>
    public static string Generate()
    {
        var definitions = new JsonObject();
        foreach (var format in DefinitionFormat.Objects)
        {
            definitions[format.Id] = format.ToSchema();
        }

        definitions["gate"] = new JsonObject
        {
            ["description"] = "A promotion gate; its 'type' says which kind.",
            ["oneOf"] = new JsonArray([.. DefinitionFormat.GateObjects.Select(g => (JsonNode)DefinitionFormat.Ref(g.Id))]),
        };

        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Id,
            ["title"] = "MlEnvironments definition file (mlenv.json)",
            ["description"] = "GitHub environments bound to Azure Machine Learning workspaces: one repository, or a set of repositories. Unknown properties are refused.",
            ["oneOf"] = new JsonArray(DefinitionFormat.Ref(DefinitionFormat.RepositoryDocument.Id), DefinitionFormat.Ref(DefinitionFormat.RepositorySetDocument.Id)),
            ["$defs"] = definitions,
        };

        return root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }).ReplaceLineEndings("\n") + "\n";
    }
}
