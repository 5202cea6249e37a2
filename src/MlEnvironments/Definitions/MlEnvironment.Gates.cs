using System;

namespace MlEnvironments;

public static partial class MlEnvironment
{
    /// <summary>A gate: the candidate's metric must be at least <paramref name="threshold"/>.</summary>
    /// <param name="metric">The metric's name, as the training run logged it (e.g. <c>auc</c>).</param>
    /// <param name="threshold">The least acceptable value (finite).</param>
    /// <returns>The gate; invalid values are reported by validation, with every other violation.</returns>
    /// <example><code>Environment("prod").WithGates(MetricAtLeast("auc", 0.85))</code></example>
    public static PromotionGate MetricAtLeast(string metric, double threshold)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return PromotionGate.MetricAtLeast(metric, threshold);
    }

    /// <summary>A gate: the candidate's metric must be at most <paramref name="threshold"/>.</summary>
    /// <param name="metric">The metric's name (e.g. <c>rmse</c>).</param>
    /// <param name="threshold">The greatest acceptable value (finite).</param>
    /// <returns>The gate.</returns>
    public static PromotionGate MetricAtMost(string metric, double threshold)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return PromotionGate.MetricAtMost(metric, threshold);
    }

    /// <summary>
    /// A champion/challenger gate: the candidate's metric must improve on the model currently promoted into the
    /// environment by at least <paramref name="minAbsoluteChange"/> and by at least <paramref name="minRelativeChange"/>
    /// (a fraction of the champion's value), in the given direction — as MLflow's <c>MetricThreshold</c> does. With
    /// both minimums zero the candidate must not be worse. When the environment has no champion yet, the gate passes.
    /// </summary>
    /// <param name="metric">The metric's name.</param>
    /// <param name="direction">Which way the metric improves.</param>
    /// <param name="minAbsoluteChange">The least absolute improvement (≥ 0, finite).</param>
    /// <param name="minRelativeChange">The least relative improvement (≥ 0, finite; 0.05 = 5 %).</param>
    /// <returns>The gate.</returns>
    public static PromotionGate ImprovesOnChampion(string metric, MetricDirection direction = MetricDirection.HigherIsBetter, double minAbsoluteChange = 0, double minRelativeChange = 0)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return PromotionGate.ImprovesOnChampion(metric, direction, minAbsoluteChange, minRelativeChange);
    }

    /// <summary>A gate: the model version must carry a tag, with the given value when one is given.</summary>
    /// <param name="key">The tag's key.</param>
    /// <param name="value">The required value; <see langword="null"/> when any value will do.</param>
    /// <returns>The gate.</returns>
    public static PromotionGate RequiredTag(string key, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PromotionGate.RequiredTag(key, value);
    }

    /// <summary>A gate: the model version must carry a property, with the given value when one is given.</summary>
    /// <param name="key">The property's key.</param>
    /// <param name="value">The required value; <see langword="null"/> when any value will do.</param>
    /// <returns>The gate.</returns>
    public static PromotionGate RequiredProperty(string key, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PromotionGate.RequiredProperty(key, value);
    }

    /// <summary>A gate: the job that trained the model version (its <c>jobName</c>) must have completed.</summary>
    /// <returns>The gate.</returns>
    public static PromotionGate TrainingJobCompleted() => PromotionGate.TrainingJobCompleted();
}
