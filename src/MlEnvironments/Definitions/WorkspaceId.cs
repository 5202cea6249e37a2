using System;

namespace MlEnvironments;

/// <summary>
/// An Azure Machine Learning workspace: subscription, resource group and workspace name, parsed once from or
/// rendered to its ARM resource id. Parts are kept as given; <see cref="MlEnvironment.Validate(EnvironmentDefinition)"/>
/// checks them against Azure's naming rules, so that every problem is reported at once.
/// </summary>
public readonly struct WorkspaceId : IEquatable<WorkspaceId>
{
    private const string ProviderSegment = "providers/Microsoft.MachineLearningServices/workspaces/";

    internal WorkspaceId(string subscriptionId, string resourceGroupName, string workspaceName)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        WorkspaceName = workspaceName;
    }

    /// <summary>The subscription id (a GUID).</summary>
    public string SubscriptionId => field ?? string.Empty;

    /// <summary>The resource group's name.</summary>
    public string ResourceGroupName => field ?? string.Empty;

    /// <summary>The workspace's name.</summary>
    public string WorkspaceName => field ?? string.Empty;

    /// <summary>The ARM resource id: <c>/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{w}</c>.</summary>
    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/{ProviderSegment}{WorkspaceName}";

    /// <summary>Parses an ARM resource id of a workspace.</summary>
    /// <param name="resourceId">The id, e.g. <c>/subscriptions/…/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w</c>.</param>
    /// <returns>The workspace id.</returns>
    /// <exception cref="FormatException">The text is not the ARM id of a workspace.</exception>
    public static WorkspaceId Parse(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        return TryParse(resourceId, out var id)
            ? id
            : throw new FormatException($"'{resourceId}' is not the ARM id of an Azure Machine Learning workspace: expected '/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.MachineLearningServices/workspaces/<name>'.");
    }

    /// <summary>Tries to parse an ARM resource id of a workspace (segment names are matched without regard to case).</summary>
    /// <param name="resourceId">The text to parse.</param>
    /// <param name="id">The workspace id when the text is valid.</param>
    /// <returns><see langword="true"/> when the text was parsed.</returns>
    public static bool TryParse(string? resourceId, out WorkspaceId id)
    {
        id = default;
        if (string.IsNullOrEmpty(resourceId))
        {
            return false;
        }

        var parts = resourceId.Trim('/').Split('/');
        if (parts.Length != 8 ||
            !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ||
            !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) ||
            !parts[4].Equals("providers", StringComparison.OrdinalIgnoreCase) ||
            !parts[5].Equals("Microsoft.MachineLearningServices", StringComparison.OrdinalIgnoreCase) ||
            !parts[6].Equals("workspaces", StringComparison.OrdinalIgnoreCase) ||
            parts[1].Length == 0 || parts[3].Length == 0 || parts[7].Length == 0)
        {
            return false;
        }

        id = new WorkspaceId(parts[1], parts[3], parts[7]);
        return true;
    }

    /// <summary>Compares the ARM ids without regard to case, as ARM does.</summary>
    /// <param name="other">The other id.</param>
    /// <returns>Whether both name the same workspace.</returns>
    public bool Equals(WorkspaceId other) =>
        string.Equals(SubscriptionId, other.SubscriptionId, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(ResourceGroupName, other.ResourceGroupName, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(WorkspaceName, other.WorkspaceName, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is WorkspaceId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(SubscriptionId),
        StringComparer.OrdinalIgnoreCase.GetHashCode(ResourceGroupName),
        StringComparer.OrdinalIgnoreCase.GetHashCode(WorkspaceName));

    /// <summary>Returns the ARM resource id.</summary>
    public override string ToString() => ResourceId;

    /// <summary>Compares two workspace ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether both name the same workspace.</returns>
    public static bool operator ==(WorkspaceId left, WorkspaceId right) => left.Equals(right);

    /// <summary>Compares two workspace ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether they name different workspaces.</returns>
    public static bool operator !=(WorkspaceId left, WorkspaceId right) => !left.Equals(right);
}

/// <summary>
/// Binds a GitHub environment to exactly one Azure Machine Learning workspace. The binding is published to the
/// environment as variables (<see cref="SubscriptionVariable"/>, <see cref="ResourceGroupVariable"/>,
/// <see cref="WorkspaceVariable"/>) that workflows read through the <c>vars</c> context.
/// </summary>
public sealed class WorkspaceBinding : IEquatable<WorkspaceBinding>
{
    /// <summary>The variable that carries the subscription id.</summary>
    public const string SubscriptionVariable = "AZURE_SUBSCRIPTION_ID";

    /// <summary>The variable that carries the resource group's name.</summary>
    public const string ResourceGroupVariable = "AZUREML_RESOURCE_GROUP";

    /// <summary>The variable that carries the workspace's name.</summary>
    public const string WorkspaceVariable = "AZUREML_WORKSPACE";

    internal WorkspaceBinding(WorkspaceId workspace, WorkspaceLogin? login = null, MachineLearning.MachineLearningRegistryId? registry = null)
    {
        Workspace = workspace;
        Login = login;
        Registry = registry;
    }

    /// <summary>
    /// The Azure Machine Learning registry promotions into this workspace go through; <see langword="null"/> when
    /// models are registered directly from the source workspace's asset.
    /// </summary>
    public MachineLearning.MachineLearningRegistryId? Registry { get; }

    /// <summary>The bound workspace.</summary>
    public WorkspaceId Workspace { get; }

    /// <summary>How workflows log in; <see langword="null"/> when the login is managed elsewhere (only the workspace variables are set).</summary>
    public WorkspaceLogin? Login { get; }

    /// <summary>The environment variables this binding sets on the GitHub environment, in a stable order.</summary>
    /// <returns>Pairs of name and value.</returns>
    public System.Collections.Generic.IReadOnlyList<VariableDefinition> GetVariables() =>
    [
        new VariableDefinition(SubscriptionVariable, Workspace.SubscriptionId),
        new VariableDefinition(ResourceGroupVariable, Workspace.ResourceGroupName),
        new VariableDefinition(WorkspaceVariable, Workspace.WorkspaceName),
    ];

    /// <inheritdoc />
    public bool Equals(WorkspaceBinding? other) => other is not null && Workspace.Equals(other.Workspace) && Equals(Login, other.Login) && Nullable.Equals(Registry, other.Registry);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WorkspaceBinding);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Workspace, Login, Registry);

    internal WorkspaceBinding WithRegistry(MachineLearning.MachineLearningRegistryId? registry) => new(Workspace, Login, registry);

    /// <summary>Returns <c>workspace resource-group/name (subscription)</c>.</summary>
    public override string ToString() =>
        $"workspace {Workspace.ResourceGroupName}/{Workspace.WorkspaceName} (subscription {Workspace.SubscriptionId})" +
        (Login is null ? string.Empty : ", login: " + Login) +
        (Registry is { } registry ? ", registry: " + registry.RegistryName : string.Empty);
}
