using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlEnvironments.Testing;

/// <summary>
/// The extract of GitHub's REST description embedded in this assembly (<c>github-openapi-subset.json</c>, from
/// <c>@octokit/openapi</c> 23.0.2): operations by id, matching of requests to operations by method and path
/// template, and the schemas of request and response bodies.
/// </summary>
internal sealed class OpenApiDescription
{
    private const string ResourceName = "MlEnvironments.Testing.Emulators.GitHub.github-openapi-subset.json";

    private static readonly Lazy<OpenApiDescription> Instance = new(Load);

    private readonly Dictionary<string, OpenApiOperation> _operations;

    private OpenApiDescription(JsonDocument document)
    {
        Document = document;
        _operations = [];
        foreach (var property in document.RootElement.GetProperty("operations").EnumerateObject())
        {
            _operations.Add(property.Name, new OpenApiOperation(property.Name, property.Value));
        }
    }

    /// <summary>The shared, parsed description.</summary>
    public static OpenApiDescription Default => Instance.Value;

    /// <summary>The parsed document (kept alive for the schemas' <see cref="JsonElement"/>s).</summary>
    public JsonDocument Document { get; }

    /// <summary>Every operation of the extract.</summary>
    public IReadOnlyCollection<OpenApiOperation> Operations => _operations.Values;

    /// <summary>An operation by id.</summary>
    public OpenApiOperation this[string operationId] => _operations[operationId];

    /// <summary>
    /// Finds the operation whose method and path template match a request. Segments are percent-decoded after the
    /// path is split, so an environment name sent with <c>%2F</c> stays one segment. A template segment that is a
    /// literal wins over a parameter (so <c>…/secrets/public-key</c> is not <c>…/secrets/{secret_name}</c>). A last
    /// parameter marked <c>x-multi-segment</c> takes the rest of the path, joined with <c>/</c>.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="segments">The decoded path segments (without the leading empty one).</param>
    /// <returns>The match, or <see langword="null"/>.</returns>
    public OpenApiMatch? Match(string method, IReadOnlyList<string> segments)
    {
        OpenApiOperation? best = null;
        var bestLiterals = -1;
        foreach (var operation in _operations.Values)
        {
            var multiSegment = operation.HasMultiSegmentTail;
            if (!string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase) ||
                (multiSegment ? segments.Count < operation.Segments.Count : operation.Segments.Count != segments.Count))
            {
                continue;
            }

            var literals = 0;
            var matched = true;
            for (var i = 0; i < operation.Segments.Count && matched; i++)
            {
                var template = operation.Segments[i];
                if (template.IsParameter)
                {
                    matched = segments[i].Length > 0;
                }
                else
                {
                    matched = string.Equals(template.Text, segments[i], StringComparison.Ordinal);
                    literals++;
                }
            }

            if (matched && literals > bestLiterals)
            {
                best = operation;
                bestLiterals = literals;
            }
        }

        if (best is null)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < best.Segments.Count; i++)
        {
            if (best.Segments[i].IsParameter)
            {
                parameters[best.Segments[i].Text] = best.HasMultiSegmentTail && i == best.Segments.Count - 1
                    ? string.Join('/', segments.Skip(i))
                    : segments[i];
            }
        }

        return new OpenApiMatch(best, parameters);
    }

    /// <summary>
    /// Adds the operations of the other embedded extracts (<c>github-openapi-subset.*.json</c>, made with
    /// <c>build/extract-github-operations.py</c> from the same package) to the main one.
    /// </summary>
    private static void MergeSupplements(JsonNode root)
    {
        var assembly = typeof(OpenApiDescription).Assembly;
        var operations = root["operations"]!.AsObject();
        foreach (var name in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith("MlEnvironments.Testing.Emulators.GitHub.github-openapi-subset.", StringComparison.Ordinal) && n != ResourceName)
                     .Order(StringComparer.Ordinal))
        {
            using var supplement = assembly.GetManifestResourceStream(name)!;
            var extra = JsonNode.Parse(supplement, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!["operations"]!.AsObject();
            foreach (var (id, operation) in extra.ToList())
            {
                extra.Remove(id);
                operations[id] ??= operation;
            }
        }
    }

    private static OpenApiDescription Load()
    {
        using var stream = typeof(OpenApiDescription).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!;
        MergeSupplements(root);
        ApplyOverlays(root);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            root.WriteTo(writer);
        }

        return new OpenApiDescription(JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 256 }));
    }

    /// <summary>
    /// Additions for what github.com accepts but the description omits. Only one: <c>can_admins_bypass</c> (boolean)
    /// in the body of <c>repos/create-or-update-environment</c>. GitHub's API accepts it and the Terraform provider and
    /// go-github send it, but the description's schema, which has <c>additionalProperties: false</c>, does not list it.
    /// </summary>
    private static void ApplyOverlays(JsonNode root)
    {
        var properties = root["operations"]?["repos/create-or-update-environment"]?["requestBody"]?["content"]?["application/json"]?["schema"]?["properties"]?.AsObject();
        if (properties is not null && !properties.ContainsKey("can_admins_bypass"))
        {
            properties["can_admins_bypass"] = new JsonObject
            {
                ["type"] = "boolean",
                ["description"] = "Whether administrators may bypass the environment's protection rules (default true).",
                ["x-emulator-overlay"] = "Accepted by github.com but not listed in the description.",
            };
        }
    }
}

/// <summary>One operation of the description.</summary>
internal sealed class OpenApiOperation
{
    internal OpenApiOperation(string id, JsonElement element)
    {
        Id = id;
        Element = element;
        Method = element.GetProperty("method").GetString()!.ToUpperInvariant();
        Path = element.GetProperty("path").GetString()!;
        Segments = Path.Split('/').Skip(1)
            .Select(s => s.Length > 2 && s[0] == '{' && s[^1] == '}' ? new PathSegment(s[1..^1], true) : new PathSegment(s, false))
            .ToArray();
        if (Path == "/")
        {
            Segments = [new PathSegment(string.Empty, false)];
        }

        DocumentationUrl = element.TryGetProperty("externalDocs", out var docs) && docs.TryGetProperty("url", out var url)
            ? url.GetString()!
            : "https://docs.github.com/rest";
        if (element.TryGetProperty("requestBody", out var body) &&
            body.TryGetProperty("content", out var content) &&
            content.TryGetProperty("application/json", out var json) &&
            json.TryGetProperty("schema", out var schema))
        {
            RequestBodySchema = schema;
            RequestBodyRequired = body.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True;
        }

        var parameters = new List<OpenApiParameter>();
        if (element.TryGetProperty("parameters", out var list))
        {
            foreach (var parameter in list.EnumerateArray())
            {
                parameters.Add(new OpenApiParameter(
                    parameter.GetProperty("name").GetString()!,
                    parameter.GetProperty("in").GetString()!,
                    parameter.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True,
                    parameter.TryGetProperty("schema", out var s) ? s : default));
            }
        }

        Parameters = parameters;
        HasMultiSegmentTail = Segments.Count > 0 && Segments[^1].IsParameter &&
            element.TryGetProperty("parameters", out var declared) &&
            declared.EnumerateArray().Any(p =>
                p.GetProperty("name").GetString() == Segments[^1].Text &&
                p.TryGetProperty("x-multi-segment", out var multi) && multi.ValueKind == JsonValueKind.True);
    }

    /// <summary>
    /// Whether the last path parameter spans the rest of the path, slashes included (<c>x-multi-segment</c>, e.g. the
    /// file path of <c>repos/get-content</c>).
    /// </summary>
    public bool HasMultiSegmentTail { get; }

    /// <summary>The operationId.</summary>
    public string Id { get; }

    /// <summary>The operation's JSON.</summary>
    public JsonElement Element { get; }

    /// <summary>The HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The path template.</summary>
    public string Path { get; }

    /// <summary>The path template's segments.</summary>
    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>The operation's documentation page.</summary>
    public string DocumentationUrl { get; }

    /// <summary>The JSON request body's schema, when the operation takes one.</summary>
    public JsonElement? RequestBodySchema { get; }

    /// <summary>Whether the request body is required.</summary>
    public bool RequestBodyRequired { get; }

    /// <summary>The path and query parameters.</summary>
    public IReadOnlyList<OpenApiParameter> Parameters { get; }

    /// <summary>The JSON schema of a response, when the extract has one for that status.</summary>
    /// <param name="status">The status code.</param>
    /// <returns>The schema, or <see langword="null"/>.</returns>
    public JsonElement? ResponseSchema(int status) =>
        Element.TryGetProperty("responses", out var responses) &&
        responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) &&
        response.TryGetProperty("content", out var content) &&
        content.TryGetProperty("application/json", out var json) &&
        json.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    /// <summary>Returns the operation id.</summary>
    public override string ToString() => Id;
}

/// <summary>A segment of a path template: literal text or a parameter name.</summary>
/// <param name="Text">The literal or the parameter's name.</param>
/// <param name="IsParameter">Whether it is a parameter.</param>
internal readonly record struct PathSegment(string Text, bool IsParameter);

/// <summary>A path or query parameter.</summary>
/// <param name="Name">Its name.</param>
/// <param name="In"><c>path</c> or <c>query</c>.</param>
/// <param name="Required">Whether it is required.</param>
/// <param name="Schema">Its schema.</param>
internal sealed record OpenApiParameter(string Name, string In, bool Required, JsonElement Schema);

/// <summary>A request matched to an operation.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="PathParameters">The decoded path parameters by name.</param>
internal sealed record OpenApiMatch(OpenApiOperation Operation, IReadOnlyDictionary<string, string> PathParameters);
