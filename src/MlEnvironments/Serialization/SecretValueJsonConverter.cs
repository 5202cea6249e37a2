using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlEnvironments.Serialization;

/// <summary>Writes a secret as a reference (or <c>"(sensitive)"</c> for a literal); reads only references.</summary>
internal sealed class SecretValueJsonConverter : JsonConverter<SecretValue>
{
    public override SecretValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return DefinitionJsonReader.ReadSecretValueDocument(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, SecretValue value, JsonSerializerOptions options) =>
        DefinitionJsonWriter.WriteSecretValue(writer, value);
}

/// <summary>Uses the definition file format for <see cref="EnvironmentDefinition"/>.</summary>
internal sealed class EnvironmentDefinitionJsonConverter : JsonConverter<EnvironmentDefinition>
{
    public override EnvironmentDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return DefinitionJsonReader.ReadEnvironmentDocument(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, EnvironmentDefinition value, JsonSerializerOptions options) =>
        DefinitionJsonWriter.WriteEnvironment(writer, value);
}

/// <summary>Uses the definition file format for <see cref="RepositoryDefinition"/>.</summary>
internal sealed class RepositoryDefinitionJsonConverter : JsonConverter<RepositoryDefinition>
{
    public override RepositoryDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return DefinitionJsonReader.ReadRepositoryDocument(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, RepositoryDefinition value, JsonSerializerOptions options) =>
        DefinitionJsonWriter.WriteRepository(writer, value);
}

/// <summary>Uses the definition file format for <see cref="RepositorySetDefinition"/>.</summary>
internal sealed class RepositorySetDefinitionJsonConverter : JsonConverter<RepositorySetDefinition>
{
    public override RepositorySetDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return DefinitionJsonReader.ReadSetDocument(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, RepositorySetDefinition value, JsonSerializerOptions options) =>
        DefinitionJsonWriter.WriteSet(writer, value);
}
