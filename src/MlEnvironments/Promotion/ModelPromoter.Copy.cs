using System;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>What a promoted version carries: a faithful copy of the source version (README "What a promoted version carries").</summary>
public sealed partial class ModelPromoter
{
    /// <summary>
    /// The target version's fields from the source version: model type, MLflow flavors, description, tags and
    /// properties as they are; the job only where the target workspace is the job's own (a ModelVersion's
    /// <c>jobName</c> names a job of the version's workspace, so elsewhere the job lives on in the lineage tags);
    /// no stage and no pointer tags (they say what is current in the source's environment); the model URI by
    /// <see cref="TargetModelUri"/>.
    /// </summary>
    internal static MachineLearningModelVersionProperties Copy(Route route, MachineLearningModelVersionData source)
    {
        var from = source.Properties;
        var properties = new MachineLearningModelVersionProperties
        {
            ModelType = from.ModelType,
            Description = from.Description,
            ModelUri = TargetModelUri(route.SourceWorkspace, source, published: null),
        };
        if (JobOf(route.SourceWorkspace, source) is ({ } job, { } jobWorkspace) && jobWorkspace.Equals(route.TargetWorkspace))
        {
            properties.JobName = job;
        }

        foreach (var tag in from.Tags)
        {
            if (!IsPointerTag(tag.Key))
            {
                properties.Tags[tag.Key] = tag.Value;
            }
        }

        foreach (var property in from.Properties)
        {
            properties.Properties[property.Key] = property.Value;
        }

        foreach (var flavor in from.Flavors)
        {
            var data = new MachineLearningFlavorData();
            foreach (var pair in flavor.Value.Data)
            {
                data.Data[pair.Key] = pair.Value;
            }

            properties.Flavors[flavor.Key] = data;
        }

        return properties;
    }

    /// <summary>
    /// The <c>modelUri</c> of the version registered in the target workspace:
    /// <list type="number">
    /// <item>shared through a registry: the registry asset id <c>azureml://registries/{registry}/models/{name}/versions/{version}</c>, which any workspace can use;</item>
    /// <item>a source URI that does not depend on the workspace it is read in (a registry asset id, a workspace-qualified
    /// datastore path <c>azureml://subscriptions/…/workspaces/…/datastores/…/paths/…</c>, or a storage URL): unchanged;</item>
    /// <item>a datastore path relative to the source workspace (<c>azureml://datastores/{ds}/paths/{path}</c>): qualified with the source workspace;</item>
    /// <item>otherwise (a job output <c>azureml://jobs/…</c>, which only resolves in the job's workspace, or none): the source version's workspace-qualified asset id.</item>
    /// </list>
    /// </summary>
    internal static Uri TargetModelUri(WorkspaceId sourceWorkspace, MachineLearningModelVersionData source, MachineLearningRegistryModelVersionData? published)
    {
        if (published is not null)
        {
            return new Uri(published.AssetId);
        }

        if (source.Properties.ModelUri is { IsAbsoluteUri: true } uri)
        {
            var text = uri.OriginalString;
            if (uri.Scheme is "https" or "http" ||
                text.StartsWith("azureml://registries/", StringComparison.OrdinalIgnoreCase) ||
                (text.StartsWith("azureml://subscriptions/", StringComparison.OrdinalIgnoreCase) && text.Contains("/datastores/", StringComparison.OrdinalIgnoreCase)))
            {
                return uri;
            }

            const string Datastores = "azureml://datastores/";
            if (text.StartsWith(Datastores, StringComparison.OrdinalIgnoreCase))
            {
                return new Uri($"azureml://subscriptions/{sourceWorkspace.SubscriptionId}/resourcegroups/{sourceWorkspace.ResourceGroupName}/workspaces/{sourceWorkspace.WorkspaceName}/datastores/{text[Datastores.Length..]}");
            }
        }

        return new Uri(AssetReference(sourceWorkspace, source.ModelName, source.Version));
    }

    private static bool IsPointerTag(string key) =>
        string.Equals(key, CurrentEnvironmentTag, StringComparison.Ordinal) || string.Equals(key, CurrentPromotionTag, StringComparison.Ordinal);
}
