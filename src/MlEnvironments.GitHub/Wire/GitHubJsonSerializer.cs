using System;
using System.Text.Json;
using Octokit;
using Octokit.Internal;

namespace MlEnvironments.GitHub.Wire;

/// <summary>
/// Octokit's serializer for Octokit's own models, System.Text.Json (source-generated, snake_case) for the wire types
/// of the endpoints Octokit does not type correctly. Bodies we send are serialized before they reach Octokit.
/// </summary>
internal sealed class GitHubJsonSerializer : IJsonSerializer
{
    private readonly SimpleJsonSerializer _octokit = new();

    public string Serialize(object item) =>
        item is not null && GitHubWireContext.Default.GetTypeInfo(item.GetType()) is { } info
            ? JsonSerializer.Serialize(item, info)
            : _octokit.Serialize(item);

    public T Deserialize<T>(string json) =>
        GitHubWireContext.Default.GetTypeInfo(typeof(T)) is { } info && typeof(T) != typeof(object)
            ? (T)JsonSerializer.Deserialize(json, info)!
            : _octokit.Deserialize<T>(json);

    public static string Write<T>(T value)
        where T : class =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)GitHubWireContext.Default.GetTypeInfo(typeof(T))!);
}
