using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>One x-ms-examples file of the Azure REST API specs (see Fixtures/NOTICE.md).</summary>
internal sealed class Fixture
{
    private Fixture(string name, JsonObject root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public JsonObject Root { get; }

    public JsonObject Parameters => (JsonObject)Root["parameters"]!;

    public static IEnumerable<string> All => Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static Fixture Load(string name) =>
        new(name, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json")))!);

    public string Parameter(string name) => Parameters[name]!.GetValue<string>();

    /// <summary>The request body of the example (<c>body</c> or <c>parameters</c> among the parameters).</summary>
    public JsonNode? RequestBody => Parameters["body"] ?? Parameters["parameters"];

    public JsonNode? ResponseBody(int status) => Root["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["body"];

    /// <summary>A scripted answer with the example's response body and headers.</summary>
    public HttpResponseMessage Response(int status, params (string Name, string Value)[] extraHeaders)
    {
        var response = Root["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
        var headers = new List<(string, string)>(extraHeaders);
        if (response["headers"] is JsonObject declared)
        {
            headers.AddRange(declared.Select(h => (h.Key, h.Value!.GetValue<string>())));
        }

        return ScriptedHandler.Response((HttpStatusCode)status, response["body"]?.ToJsonString(), [.. headers]);
    }

    /// <summary>
    /// The JSON paths of an object's properties (<c>properties.tags.*</c> for maps), so two bodies can be compared by
    /// shape: property names and nesting, not values.
    /// </summary>
    public static SortedSet<string> Shape(JsonNode? node, IReadOnlySet<string>? maps = null)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(node, string.Empty, paths, maps ?? new HashSet<string>(StringComparer.Ordinal));
        return paths;
    }

    private static void Walk(JsonNode? node, string path, SortedSet<string> paths, IReadOnlySet<string> maps)
    {
        switch (node)
        {
            case JsonObject obj when maps.Contains(path):
                paths.Add(path + ".*");
                foreach (var pair in obj)
                {
                    Walk(pair.Value, path + ".*", paths, maps);
                }

                break;
            case JsonObject obj:
                foreach (var pair in obj)
                {
                    var child = path.Length == 0 ? pair.Key : path + "." + pair.Key;
                    paths.Add(child);
                    Walk(pair.Value, child, paths, maps);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, path + "[]", paths, maps);
                }

                break;
        }
    }
}
