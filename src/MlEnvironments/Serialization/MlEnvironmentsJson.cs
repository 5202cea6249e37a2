using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.Serialization;

namespace MlEnvironments;

/// <summary>
/// The JSON file format of definitions (used by <c>mlenv.json</c>): camelCase properties, secrets as references
/// (<c>{"fromEnvironmentVariable": "NAME"}</c>, <c>{"fromConfiguration": "Key"}</c>, <c>{"existing": true}</c>),
/// never inline values. Unknown properties and properties written twice are refused, so that a typo is an error
/// rather than a silent default. <see cref="GetSchema"/> returns the format's JSON Schema; the README's
/// "Definition file format" section documents it.
/// </summary>
public static class MlEnvironmentsJson
{
    /// <summary>
    /// The <c>$id</c> of the format's JSON Schema (draft 2020-12), which files written by
    /// <see cref="SerializeFile(RepositoryDefinition)"/> name in <c>"$schema"</c>.
    /// </summary>
    public const string SchemaUri = DefinitionSchema.Id;

    /// <summary>
    /// Returns the JSON Schema (draft 2020-12) of the definition file format, as shipped in this assembly. It is
    /// generated from the same table of properties the reader accepts.
    /// </summary>
    /// <returns>The schema, indented JSON.</returns>
    public static string GetSchema() => DefinitionSchema.Embedded;

    /// <summary>Writes one repository as a definition file: <c>"$schema"</c> (<see cref="SchemaUri"/>) first, then the repository.</summary>
    /// <param name="repository">The repository definition.</param>
    /// <returns>Indented JSON.</returns>
    public static string SerializeFile(RepositoryDefinition repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Write(w => DefinitionJsonWriter.WriteRepository(w, repository, SchemaUri));
    }

    /// <summary>Writes a set of repositories as a definition file: <c>"$schema"</c> (<see cref="SchemaUri"/>) first, then the set.</summary>
    /// <param name="repositories">The set.</param>
    /// <returns>Indented JSON.</returns>
    public static string SerializeFile(RepositorySetDefinition repositories)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        return Write(w => DefinitionJsonWriter.WriteSet(w, repositories, SchemaUri));
    }

    // Definition files are read by people: keep non-ASCII letters and punctuation as they are (the files are not HTML).
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Writes a set of repositories.</summary>
    /// <param name="repositories">The set.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(RepositorySetDefinition repositories)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        return Write(w => DefinitionJsonWriter.WriteSet(w, repositories));
    }

    /// <summary>Writes one repository.</summary>
    /// <param name="repository">The repository definition.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(RepositoryDefinition repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Write(w => DefinitionJsonWriter.WriteRepository(w, repository));
    }

    /// <summary>Writes one environment.</summary>
    /// <param name="environment">The environment definition.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(EnvironmentDefinition environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Write(w => DefinitionJsonWriter.WriteEnvironment(w, environment));
    }

    /// <summary>Reads a set of repositories; a document holding a single repository (with <c>repository</c> at its root) is accepted too.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The set (not yet validated).</returns>
    /// <exception cref="DefinitionFormatException">The text is not a definition; the message names the JSON path.</exception>
    public static RepositorySetDefinition DeserializeRepositorySet(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return DefinitionJsonReader.ReadSetDocument(document.RootElement);
    }

    /// <summary>Reads a set of repositories from a stream (see <see cref="DeserializeRepositorySet(string)"/>).</summary>
    /// <param name="utf8Json">The UTF-8 JSON stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The set (not yet validated).</returns>
    /// <exception cref="DefinitionFormatException">The text is not a definition.</exception>
    public static async Task<RepositorySetDefinition> DeserializeRepositorySetAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(utf8Json, DocumentOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new DefinitionFormatException(e.Path ?? "$", "The file is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            return DefinitionJsonReader.ReadSetDocument(document.RootElement);
        }
    }

    /// <summary>Reads one repository.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The definition (not yet validated).</returns>
    /// <exception cref="DefinitionFormatException">The text is not a repository definition.</exception>
    public static RepositoryDefinition DeserializeRepository(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return DefinitionJsonReader.ReadRepositoryDocument(document.RootElement);
    }

    /// <summary>Reads one environment.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The definition (not yet validated).</returns>
    /// <exception cref="DefinitionFormatException">The text is not an environment definition.</exception>
    public static EnvironmentDefinition DeserializeEnvironment(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return DefinitionJsonReader.ReadEnvironmentDocument(document.RootElement);
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new DefinitionFormatException(e.Path ?? "$", "The text is not valid JSON: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            // A string holding an unpaired surrogate cannot be turned into UTF-8.
            throw new DefinitionFormatException("$", "The text is not valid Unicode: it holds an unpaired UTF-16 surrogate.", e);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>
/// A definition file is malformed; <see cref="Path"/> says where (a JSON path such as
/// <c>$.repositories[0].environments[1].name</c>). The only exception the readers of <see cref="MlEnvironmentsJson"/>
/// throw for bad input.
/// </summary>
public sealed class DefinitionFormatException : MlEnvironmentsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The JSON path of the problem.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    public DefinitionFormatException(string path, string message)
        : base($"{path}: {message}")
    {
        Path = path;
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="path">The JSON path of the problem.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    /// <param name="innerException">The cause.</param>
    public DefinitionFormatException(string path, string message, Exception innerException)
        : base($"{path}: {message}", innerException)
    {
        Path = path;
    }

    /// <summary>Where the problem is.</summary>
    public string Path { get; }
}
