using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlEnvironments.Testing;

/// <summary>
/// A small validator for the OpenAPI 3.0 schema objects of GitHub's REST description: <c>type</c> (with
/// <c>integer</c>), <c>nullable</c>, <c>enum</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>/<c>uniqueItems</c>, <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>,
/// <c>minimum</c>/<c>maximum</c> (with the 3.0 boolean <c>exclusive…</c> flags), <c>minLength</c>/<c>maxLength</c>
/// and <c>pattern</c>. <c>format</c> is not checked. Errors name a JSON pointer, e.g. <c>/reviewers/0/type</c>.
/// </summary>
internal static class JsonSchemaValidator
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Validates a value (or the absence of one) against a schema.</summary>
    /// <param name="schema">The schema object.</param>
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

        Validate(schema, value.Value, string.Empty, errors);
        return errors;
    }

    /// <summary>Whether a schema accepts <c>null</c>.</summary>
    public static bool IsNullable(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object ||
        (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True) ||
        !HasConstraints(schema);

    private static bool HasConstraints(JsonElement schema) =>
        schema.TryGetProperty("type", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _) ||
        schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("enum", out _) || schema.TryGetProperty("properties", out _);

    private static void Validate(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True || schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!IsNullable(schema) && !EnumContains(schema, value))
            {
                errors.Add($"{Show(path)}: null is not allowed.");
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !HasType(value, type.GetString()!))
        {
            errors.Add($"{Show(path)}: {Describe(value)} is not {Article(type.GetString()!)}.");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && !EnumContains(schema, value))
        {
            errors.Add($"{Show(path)}: {Describe(value, echoShortString: true)} is not a member of [{string.Join(", ", values.EnumerateArray().Select(v => v.GetRawText()))}].");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ValidateString(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, value, path, errors);
                break;
            case JsonValueKind.Object:
                ValidateObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, value, path, errors);
                break;
        }

        ValidateCombinators(schema, value, path, errors);
    }

    private static void ValidateCombinators(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var sub in allOf.EnumerateArray())
            {
                Validate(sub, value, path, errors);
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            var failures = new List<string>();
            var matched = false;
            foreach (var sub in anyOf.EnumerateArray())
            {
                var subErrors = new List<string>();
                Validate(sub, value, path, subErrors);
                if (subErrors.Count == 0)
                {
                    matched = true;
                    break;
                }

                failures.AddRange(subErrors);
            }

            if (!matched)
            {
                errors.Add($"{Show(path)}: no subschema in \"anyOf\" matched ({string.Join(" | ", failures.Take(6))}).");
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.ValueKind == JsonValueKind.Array)
        {
            var matches = 0;
            var failures = new List<string>();
            foreach (var sub in oneOf.EnumerateArray())
            {
                var subErrors = new List<string>();
                Validate(sub, value, path, subErrors);
                if (subErrors.Count == 0)
                {
                    matches++;
                }
                else
                {
                    failures.AddRange(subErrors);
                }
            }

            if (matches == 0)
            {
                errors.Add($"{Show(path)}: no subschema in \"oneOf\" matched ({string.Join(" | ", failures.Take(6))}).");
            }
            else if (matches > 1)
            {
                errors.Add($"{Show(path)}: more than one subschema in \"oneOf\" matched.");
            }
        }
    }

    private static void ValidateString(JsonElement schema, string text, string path, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (TryGetInt(schema, "minLength", out var minLength) && length < minLength)
        {
            errors.Add($"{Show(path)}: the string is shorter than {minLength} characters.");
        }

        if (TryGetInt(schema, "maxLength", out var maxLength) && length > maxLength)
        {
            errors.Add($"{Show(path)}: the string is longer than {maxLength} characters.");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String)
        {
            var regex = Patterns.GetOrAdd(pattern.GetString()!, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)));
            if (!regex.IsMatch(text))
            {
                errors.Add($"{Show(path)}: the string does not match the pattern {pattern.GetRawText()}.");
            }
        }
    }

    private static void ValidateNumber(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var number = value.GetDouble();
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number)
        {
            var exclusive = schema.TryGetProperty("exclusiveMinimum", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (exclusive ? number <= minimum.GetDouble() : number < minimum.GetDouble())
            {
                errors.Add($"{Show(path)}: {value.GetRawText()} is less than the minimum {minimum.GetRawText()}.");
            }
        }

        if (schema.TryGetProperty("maximum", out var maximum) && maximum.ValueKind == JsonValueKind.Number)
        {
            var exclusive = schema.TryGetProperty("exclusiveMaximum", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (exclusive ? number >= maximum.GetDouble() : number > maximum.GetDouble())
            {
                errors.Add($"{Show(path)}: {value.GetRawText()} is greater than the maximum {maximum.GetRawText()}.");
            }
        }
    }

    private static void ValidateObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                {
                    errors.Add($"{Show(path)}: \"{name.GetString()}\" wasn't supplied.");
                }
            }
        }

        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var childPath = path + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Validate(propertySchema, property.Value, childPath, errors);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{Show(path)}: \"{property.Name}\" is not a permitted key.");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Validate(additional, property.Value, childPath, errors);
            }
        }
    }

    private static void ValidateArray(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var count = value.GetArrayLength();
        if (TryGetInt(schema, "minItems", out var minItems) && count < minItems)
        {
            errors.Add($"{Show(path)}: the array has fewer than {minItems} items.");
        }

        if (TryGetInt(schema, "maxItems", out var maxItems) && count > maxItems)
        {
            errors.Add($"{Show(path)}: the array has more than {maxItems} items.");
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True &&
            value.EnumerateArray().Select(v => v.GetRawText()).Distinct(StringComparer.Ordinal).Count() != count)
        {
            errors.Add($"{Show(path)}: the array's items are not unique.");
        }

        if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(items, item, path + "/" + index.ToString(CultureInfo.InvariantCulture), errors);
                index++;
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt64(out _) || (value.TryGetDecimal(out var d) && decimal.Truncate(d) == d && !value.GetRawText().Contains('.', StringComparison.Ordinal));

    private static bool EnumContains(JsonElement schema, JsonElement value)
    {
        if (!schema.TryGetProperty("enum", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var candidate in values.EnumerateArray())
        {
            if (candidate.ValueKind == value.ValueKind &&
                (value.ValueKind == JsonValueKind.String
                    ? string.Equals(candidate.GetString(), value.GetString(), StringComparison.Ordinal)
                    : value.ValueKind == JsonValueKind.Number
                        ? candidate.GetDouble().Equals(value.GetDouble())
                        : string.Equals(candidate.GetRawText(), value.GetRawText(), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryGetInt(JsonElement schema, string name, out long result)
    {
        result = 0;
        return schema.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out result);
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
