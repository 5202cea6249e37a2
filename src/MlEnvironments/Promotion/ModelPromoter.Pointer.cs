using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>The Azure-side "current" pointer: the ModelVersion <c>stage</c> and two tags on the version the ledger says is current.</summary>
public sealed partial class ModelPromoter
{
    /// <summary>The tag that names the environment a version is current in (set with <c>stage</c> = the environment's name).</summary>
    public const string CurrentEnvironmentTag = "mlenv.current.environment";

    /// <summary>The tag with the ledger entry (GitHub deployment id) that made the version current.</summary>
    public const string CurrentPromotionTag = "mlenv.current.promotion";

    /// <summary>
    /// Moves the pointer of <paramref name="environment"/> in <paramref name="workspace"/> to <paramref name="version"/>:
    /// marks it first (stage = the environment's name, <see cref="CurrentEnvironmentTag"/>, <see cref="CurrentPromotionTag"/>),
    /// then clears every other version marked for that environment. Writes only what differs, so running it again
    /// is free, and an interrupted move (two versions marked, or the new one not yet) converges on the next run.
    /// </summary>
    /// <returns>The version now current, as stored.</returns>
    internal async Task<MachineLearningModelVersionData> MovePointerAsync(WorkspaceId workspace, string environment, string modelName, string version, long promotionId, CancellationToken cancellationToken)
    {
        var versions = await _models.ListModelVersionsAsync(workspace, modelName, cancellationToken).ConfigureAwait(false);
        var current = versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.Ordinal))
            ?? await _models.GetModelVersionAsync(workspace, modelName, version, cancellationToken).ConfigureAwait(false)
            ?? throw new PromotionException(PromotionErrors.ModelVersionNotFound,
                $"{modelName} version {version} is not in workspace '{workspace.WorkspaceName}': the stage of '{environment}' cannot point at it.");

        var id = promotionId.ToString(CultureInfo.InvariantCulture);
        var properties = current.Properties;
        if (!string.Equals(properties.Stage, environment, StringComparison.Ordinal) ||
            !HasTag(properties, CurrentEnvironmentTag, environment) || !HasTag(properties, CurrentPromotionTag, id))
        {
            var marked = properties.Clone();
            MarkCurrent(marked, environment, promotionId);
            current = await _modelWriter.CreateOrUpdateModelVersionAsync(workspace, modelName, version, marked, cancellationToken).ConfigureAwait(false);
        }

        foreach (var stale in versions.Where(v => !string.Equals(v.Version, version, StringComparison.Ordinal) && PromotionPointer.Marks(v, environment)))
        {
            var cleared = stale.Properties.Clone();
            if (string.Equals(cleared.Stage, environment, StringComparison.OrdinalIgnoreCase))
            {
                cleared.Stage = null;
            }

            if (HasTag(cleared, CurrentEnvironmentTag, environment))
            {
                cleared.Tags.Remove(CurrentEnvironmentTag);
                cleared.Tags.Remove(CurrentPromotionTag);
            }

            await _modelWriter.CreateOrUpdateModelVersionAsync(workspace, modelName, stale.Version, cleared, cancellationToken).ConfigureAwait(false);
        }

        return current;
    }

    /// <summary>Marks properties as the current version of an environment.</summary>
    private static void MarkCurrent(MachineLearningModelVersionProperties properties, string environment, long promotionId)
    {
        properties.Stage = environment;
        properties.Tags[CurrentEnvironmentTag] = environment;
        properties.Tags[CurrentPromotionTag] = promotionId.ToString(CultureInfo.InvariantCulture);
    }

    private static bool HasTag(MachineLearningModelVersionProperties properties, string key, string value) =>
        properties.Tags.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);
}

/// <summary>Reads the Azure-side pointer of a version.</summary>
internal static class PromotionPointer
{
    /// <summary>Whether a version is marked current for an environment (by its stage or its tag).</summary>
    public static bool Marks(MachineLearningModelVersionData version, string environment) =>
        string.Equals(version.Properties.Stage, environment, StringComparison.OrdinalIgnoreCase) ||
        (version.Properties.Tags.TryGetValue(ModelPromoter.CurrentEnvironmentTag, out var tagged) && string.Equals(tagged, environment, StringComparison.OrdinalIgnoreCase));
}
