using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Json.Schema;

namespace MlEnvironments.Testing;

/// <summary>
/// Checks bodies against the OpenAPI 3.0 schema objects of GitHub's REST description with JsonSchema.Net (JSON
/// Schema draft 2020-12). OpenAPI 3.0 differs from it in three ways, translated before a schema is built:
/// <c>nullable: true</c> becomes a <c>"null"</c> type (or an <c>anyOf</c> with one), boolean
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become numbers, and the references the extract leaves unresolved
/// (<c>x-unresolved</c>) accept anything. <c>format</c> is not checked. The library's results are reported in
/// GitHub's words, each with a JSON pointer, e.g. <c>/reviewers/0/type: "Bot" is not a member of [...]</c>.
/// </summary>
internal static class JsonSchemaValidator
{
    private static readonly ConcurrentDictionary<string, Compiled> Cache = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Hierarchical };
    private static int _built;

    /// <summary>Validates a value (or the absence of one) against a schema.</summary>
    /// <param name="schema">The OpenAPI schema object.</param>
    /// <param name="value">The value; <see langword="null"/> when absent.</param>
    /// <returns>Every problem found; empty when the value is valid.</returns>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement? value)
    {
        var errors = new List<string>();
        if (value is null)
        {
            if (!IsNullable(schema))
            {
                errors.Add("(body): a request body is required.");
            }

            return errors;
        }

        var compiled = Cache.GetOrAdd(schema.GetRawText(), Compile);
        var results = compiled.Schema.Evaluate(value.Value, Options);
        if (!results.IsValid)
        {
            Report(results, compiled.Translated, value.Value, errors);
        }

        return errors;
    }

    /// <summary>Whether a schema accepts <c>null</c> (or no body).</summary>
    public static bool IsNullable(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object ||
        (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True) ||
        !HasConstraints(schema);

    private static bool HasConstraints(JsonElement schema) =>
        schema.TryGetProperty("type", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _) ||
        schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("enum", out _) || schema.TryGetProperty("properties", out _);

    private sealed record Compiled(JsonSchema Schema, JsonElement Translated);

    private static Compiled Compile(string text)
    {
        var translated = Translate(JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }));
        using var document = JsonDocument.Parse(translated.ToJsonString(), new JsonDocumentOptions { MaxDepth = 256 });
        var element = document.RootElement.Clone();
        var id = Interlocked.Increment(ref _built);
        var schema = JsonSchema.Build(element, new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://github-emulator.invalid/schemas/{id.ToString(CultureInfo.InvariantCulture)}"));
        return new Compiled(schema, element);
    }

    /// <summary>Turns an OpenAPI 3.0 schema object into a draft 2020-12 schema (see the class summary).</summary>
    internal static JsonNode Translate(JsonNode? node)
    {
        if (node is not JsonObject source)
        {
            return node?.DeepClone() ?? new JsonObject();
        }

        if (source.ContainsKey("$ref"))
        {
            // Left unresolved by the extract (depth limit or recursion): accept anything, as GitHub's own answer would.
            return new JsonObject();
        }

        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            switch (key)
            {
                case "nullable":
                    break;
                case "properties" or "patternProperties" when value is JsonObject properties:
                    var translated = new JsonObject();
                    foreach (var (name, property) in properties)
                    {
                        translated[name] = Translate(property);
                    }

                    result[key] = translated;
                    break;
                case "items" or "additionalProperties" or "not" when value is JsonObject:
                    result[key] = Translate(value);
                    break;
                case "anyOf" or "oneOf" or "allOf" when value is JsonArray branches:
                    result[key] = new JsonArray([.. branches.Select(Translate)]);
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum" when value is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        foreach (var (flag, bound) in new[] { ("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum") })
        {
            if (source[flag] is JsonValue exclusive && exclusive.GetValueKind() == JsonValueKind.True && result[bound] is { } limit)
            {
                result.Remove(bound);
                result[flag] = limit;
            }
        }

        if (source["nullable"] is JsonValue nullable && nullable.GetValueKind() == JsonValueKind.True)
        {
            if (result["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }

            if (result["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String)
            {
                result["type"] = new JsonArray((string)type!, "null");
            }
            else if (result["type"] is null)
            {
                return new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, result) };
            }
        }

        return result;
    }

    // Walks the library's hierarchical results and reports each failure in the words GitHub uses.
    private static void Report(EvaluationResults node, JsonElement schemaRoot, JsonElement instance, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        var instancePath = node.InstanceLocation.ToString();
        var evaluationPath = node.EvaluationPath.ToString();
        var schema = ResolveSchema(schemaRoot, evaluationPath);
        var value = ResolveInstance(instance, instancePath);
        if (node.Errors is { Count: > 0 } keywords)
        {
            if (keywords.ContainsKey("type"))
            {
                // As GitHub does: a value of the wrong type gets one message, not one per keyword that then fails.
                errors.Add(value.ValueKind == JsonValueKind.Null
                    ? $"{Show(instancePath)}: null is not allowed."
                    : $"{Show(instancePath)}: {Describe(value)} is not {Article(FirstType(schema))}.");
                return;
            }

            foreach (var keyword in keywords.Keys)
            {
                Keyword(keyword, schema, value, instancePath, evaluationPath, errors);
            }
        }

        var details = node.Details ?? [];
        var handled = new HashSet<EvaluationResults>();
        foreach (var combinator in new[] { "anyOf", "oneOf" })
        {
            var prefix = evaluationPath + "/" + combinator + "/";
            var branches = details.Where(d => d.EvaluationPath.ToString().StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (branches.Count == 0)
            {
                continue;
            }

            handled.UnionWith(branches);
            var matched = branches.Count(b => b.IsValid);
            if (matched == 0)
            {
                var failures = new List<string>();
                foreach (var branch in branches)
                {
                    Report(branch, schemaRoot, instance, failures);
                }

                errors.Add($"{Show(instancePath)}: no subschema in \"{combinator}\" matched ({string.Join(" | ", failures.Take(6))}).");
            }
            else if (matched > 1 && combinator == "oneOf")
            {
                errors.Add($"{Show(instancePath)}: more than one subschema in \"oneOf\" matched.");
            }
        }

        foreach (var child in details)
        {
            if (!handled.Contains(child))
            {
                Report(child, schemaRoot, instance, errors);
            }
        }
    }

    private static void Keyword(string keyword, JsonElement schema, JsonElement value, string path, string evaluationPath, List<string> errors)
    {
        var at = Show(path);
        switch (keyword)
        {
            case "" when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal):
                var slash = path.LastIndexOf('/');
                var name = path[(slash + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                errors.Add($"{Show(path[..slash])}: \"{name}\" is not a permitted key.");
                break;
            case "":
                errors.Add($"{at}: no value is allowed here.");
                break;
            case "enum":
                errors.Add($"{at}: {Describe(value, echoShortString: true)} is not a member of [{string.Join(", ", schema.GetProperty("enum").EnumerateArray().Select(v => v.GetRawText()))}].");
                break;
            case "const":
                errors.Add($"{at}: {Describe(value, echoShortString: true)} is not {schema.GetProperty("const").GetRawText()}.");
                break;
            case "required":
                foreach (var required in schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!))
                {
                    if (value.ValueKind == JsonValueKind.Object && !value.TryGetProperty(required, out _))
                    {
                        errors.Add($"{at}: \"{required}\" wasn't supplied.");
                    }
                }

                break;
            case "minimum":
                errors.Add($"{at}: {value.GetRawText()} is less than the minimum {schema.GetProperty(keyword).GetRawText()}.");
                break;
            case "maximum":
                errors.Add($"{at}: {value.GetRawText()} is greater than the maximum {schema.GetProperty(keyword).GetRawText()}.");
                break;
            case "exclusiveMinimum":
                errors.Add($"{at}: {value.GetRawText()} is not greater than {schema.GetProperty(keyword).GetRawText()}.");
                break;
            case "exclusiveMaximum":
                errors.Add($"{at}: {value.GetRawText()} is not less than {schema.GetProperty(keyword).GetRawText()}.");
                break;
            case "minLength":
                errors.Add($"{at}: the string is shorter than {schema.GetProperty(keyword).GetRawText()} characters.");
                break;
            case "maxLength":
                errors.Add($"{at}: the string is longer than {schema.GetProperty(keyword).GetRawText()} characters.");
                break;
            case "pattern":
                errors.Add($"{at}: the string does not match the pattern {schema.GetProperty(keyword).GetRawText()}.");
                break;
            case "minItems":
                errors.Add($"{at}: the array has fewer than {schema.GetProperty(keyword).GetRawText()} items.");
                break;
            case "maxItems":
                errors.Add($"{at}: the array has more than {schema.GetProperty(keyword).GetRawText()} items.");
                break;
            case "uniqueItems":
                errors.Add($"{at}: the array's items are not unique.");
                break;
            case "minProperties":
                errors.Add($"{at}: the object has fewer than {schema.GetProperty(keyword).GetRawText()} properties.");
                break;
            case "maxProperties":
                errors.Add($"{at}: the object has more than {schema.GetProperty(keyword).GetRawText()} properties.");
                break;
            default:
                // Strings are not echoed: a body may carry an encrypted secret or a token.
                errors.Add($"{at}: the value does not satisfy \"{keyword}\".");
                break;
        }
    }

    /// <summary>
    /// The subschema at an evaluation path. JsonSchema.Net 8.0.5 names an <c>items</c> result <c>…/items/items</c>:
    /// the repeated segment is skipped.
    /// </summary>
    private static JsonElement ResolveSchema(JsonElement root, string evaluationPath)
    {
        var segments = Segments(evaluationPath);
        var current = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (current.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            switch (segment)
            {
                case "properties" or "patternProperties" or "$defs" when i + 1 < segments.Count:
                    current = current.GetProperty(segment).GetProperty(segments[++i]);
                    break;
                case "anyOf" or "oneOf" or "allOf" or "prefixItems" when i + 1 < segments.Count:
                    current = current.GetProperty(segment)[int.Parse(segments[++i], CultureInfo.InvariantCulture)];
                    break;
                case "items":
                    current = current.GetProperty(segment);
                    if (i + 1 < segments.Count && segments[i + 1] == "items")
                    {
                        i++;
                    }

                    break;
                default:
                    if (!current.TryGetProperty(segment, out current))
                    {
                        return default;
                    }

                    break;
            }
        }

        return current;
    }

    private static JsonElement ResolveInstance(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            current = current.ValueKind == JsonValueKind.Array
                ? current[int.Parse(segment, CultureInfo.InvariantCulture)]
                : current.GetProperty(segment);
        }

        return current;
    }

    private static List<string> Segments(string pointer) =>
        pointer.Length == 0
            ? []
            : [.. pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static string FirstType(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return "value";
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).First(t => t != "null")
            : type.GetString()!;
    }

    private static string Show(string path) => path.Length == 0 ? "(body)" : path;

    private static string Article(string type) => type switch
    {
        "integer" or "object" or "array" => "an " + type,
        _ => "a " + type,
    };

    // Strings are not echoed (a body may carry an encrypted secret or a token), except short enum candidates.
    private static string Describe(JsonElement value, bool echoShortString = false) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String when echoShortString && value.GetString()!.Length <= 40 => value.GetRawText(),
        JsonValueKind.String => "a string",
        _ => value.GetRawText(),
    };
}
