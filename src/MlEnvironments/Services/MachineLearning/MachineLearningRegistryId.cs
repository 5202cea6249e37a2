using System;

namespace MlEnvironments.MachineLearning;

/// <summary>An Azure Machine Learning registry, parsed once from or rendered to its ARM id.</summary>
public readonly struct MachineLearningRegistryId : IEquatable<MachineLearningRegistryId>
{
    private MachineLearningRegistryId(string subscriptionId, string resourceGroupName, string registryName)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        RegistryName = registryName;
    }

    /// <summary>The subscription id.</summary>
    public string SubscriptionId => field ?? string.Empty;

    /// <summary>The resource group's name.</summary>
    public string ResourceGroupName => field ?? string.Empty;

    /// <summary>The registry's name.</summary>
    public string RegistryName => field ?? string.Empty;

    /// <summary>The ARM id.</summary>
    public string ResourceId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/Microsoft.MachineLearningServices/registries/{RegistryName}";

    /// <summary>Creates a registry id.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="resourceGroupName">The resource group.</param>
    /// <param name="registryName">The registry.</param>
    /// <returns>The id.</returns>
    public static MachineLearningRegistryId Create(string subscriptionId, string resourceGroupName, string registryName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceGroupName);
        ArgumentException.ThrowIfNullOrWhiteSpace(registryName);
        return new MachineLearningRegistryId(subscriptionId, resourceGroupName, registryName);
    }

    /// <summary>Parses the ARM id of a registry.</summary>
    /// <param name="resourceId">The ARM id.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">The text is not a registry's ARM id.</exception>
    public static MachineLearningRegistryId Parse(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        var parts = resourceId.Trim('/').Split('/');
        if (parts.Length != 8 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ||
            !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) ||
            !parts[5].Equals("Microsoft.MachineLearningServices", StringComparison.OrdinalIgnoreCase) ||
            !parts[6].Equals("registries", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{resourceId}' is not the ARM id of an Azure Machine Learning registry.");
        }

        return new MachineLearningRegistryId(parts[1], parts[3], parts[7]);
    }

    /// <inheritdoc />
    public bool Equals(MachineLearningRegistryId other) => string.Equals(ResourceId, other.ResourceId, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MachineLearningRegistryId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ResourceId);

    /// <summary>Returns the ARM id.</summary>
    public override string ToString() => ResourceId;

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(MachineLearningRegistryId left, MachineLearningRegistryId right) => left.Equals(right);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(MachineLearningRegistryId left, MachineLearningRegistryId right) => !left.Equals(right);
}
