using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MlEnvironments.Workflows.Yaml;

/// <summary>Scalars with the style GitHub's YAML reader needs, and the emitter settings of generated files.</summary>
internal static partial class YamlValues
{
    // YAML 1.1 (what many tools still read) resolves these plain scalars to booleans or null, not strings.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "null", "Null", "NULL", "~",
    };

    /// <summary>A string: plain when no YAML reader could take it for something else, single-quoted otherwise.</summary>
    public static YamlScalarNode String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var node = new YamlScalarNode(value);
        if (value.Length == 0 || Reserved.Contains(value) || LooksLikeNumberOrDate().IsMatch(value) ||
            value.Trim() != value || value.Contains('\n', StringComparison.Ordinal))
        {
            node.Style = value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
        }

        return node;
    }

    /// <summary>A string written in double quotes, whatever it holds.</summary>
    public static YamlScalarNode DoubleQuoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    /// <summary>A multi-line shell script, as a literal block (<c>|</c>).</summary>
    public static YamlScalarNode Script(IEnumerable<string> lines) =>
        new(string.Join("\n", lines) + "\n") { Style = ScalarStyle.Literal };

    /// <summary>A boolean, plain.</summary>
    public static YamlScalarNode Boolean(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>Adds a key with a string value.</summary>
    public static void Set(this YamlMappingNode mapping, string key, string value) => mapping.Add(new YamlScalarNode(key), String(value));

    /// <summary>Writes a document with header comments, two-space indentation, indented sequences, LF line ends and no end marker.</summary>
    public static string Save(YamlNode root, IEnumerable<string> headerComments)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, EmitterSettings.Default.WithBestIndent(2).WithIndentedSequences().WithNewLine("\n"));
        new YamlStream(new YamlDocument(root)).Save(new HeaderEmitter(emitter, headerComments), assignAnchors: false);
        return writer.ToString();
    }

    // Integers, floats (with YAML 1.1's underscores and sexagesimals), hex and octal, infinities, NaN, and dates.
    [GeneratedRegex(@"^([-+]?(\d[\d_]*)?(\.[\d_]*)?([eE][-+]?\d+)?|[-+]?\d[\d_]*(:[0-5]?\d)+(\.[\d_]*)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d{4}-\d{1,2}-\d{1,2}.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeNumberOrDate();

    /// <summary>Puts comments right after the stream starts and makes the document end implicit (no <c>...</c>).</summary>
    private sealed class HeaderEmitter(IEmitter inner, IEnumerable<string> comments) : IEmitter
    {
        public void Emit(ParsingEvent @event)
        {
            if (@event is DocumentEnd)
            {
                inner.Emit(new DocumentEnd(isImplicit: true));
                return;
            }

            inner.Emit(@event);
            if (@event is StreamStart)
            {
                foreach (var comment in comments)
                {
                    inner.Emit(new Comment(comment, isInline: false));
                }
            }
        }
    }
}
