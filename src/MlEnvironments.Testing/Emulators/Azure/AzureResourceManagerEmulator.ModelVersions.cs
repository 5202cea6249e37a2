using System.Text.Json;
using System.Text.Json.Nodes;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing;

/// <summary>The parts of the ModelVersion schema beyond the common asset fields: MLflow <c>flavors</c>.</summary>
public sealed partial class AzureResourceManagerEmulator
{
    /// <summary>Writes <c>flavors</c> (map of flavor name → <c>{ "data": map of strings }</c>) when the version has any.</summary>
    private static void SetFlavors(JsonObject properties, MachineLearningModelVersionProperties source)
    {
        if (source.Flavors.Count == 0)
        {
            return;
        }

        var flavors = new JsonObject();
        foreach (var flavor in source.Flavors)
        {
            flavors[flavor.Key] = new JsonObject { ["data"] = Map(flavor.Value.Data) };
        }

        properties["flavors"] = flavors;
    }

    /// <summary>Reads <c>flavors</c> as the schema defines it (<c>FlavorData</c> is nullable; its <c>data</c> is a map of strings), refusing other shapes.</summary>
    private static void ParseFlavors(JsonElement body, MachineLearningModelVersionProperties into)
    {
        if (!body.TryGetProperty("flavors", out var flavors) || flavors.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (flavors.ValueKind != JsonValueKind.Object)
        {
            throw new EmulatorBadRequestException("BadRequest", "'properties.flavors' must be an object of flavor name to { \"data\": { ... } }.", "properties.flavors");
        }

        foreach (var flavor in flavors.EnumerateObject())
        {
            var data = new MachineLearningFlavorData();
            if (flavor.Value.ValueKind == JsonValueKind.Object)
            {
                CopyMap(flavor.Value, "data", data.Data);
            }
            else if (flavor.Value.ValueKind != JsonValueKind.Null)
            {
                throw new EmulatorBadRequestException("BadRequest", $"'properties.flavors.{flavor.Name}' must be an object with 'data'.", $"properties.flavors.{flavor.Name}");
            }

            into.Flavors[flavor.Name] = data;
        }
    }
}
