using System;
using System.Globalization;

namespace MlEnvironments;

/// <summary>What a <see cref="PromotionGate"/> checks.</summary>
public enum PromotionGateKind
{
    /// <summary>A metric must be at least a threshold.</summary>
    MetricAtLeast,

    /// <summary>A metric must be at most a threshold.</summary>
    MetricAtMost,

    /// <summary>A metric must improve on the model currently in the target environment (champion/challenger).</summary>
    ImprovesOnChampion,

    /// <summary>The model version must carry a tag (optionally with a given value).</summary>
    RequiredTag,

    /// <summary>The model version must carry a property (optionally with a given value).</summary>
    RequiredProperty,

    /// <summary>The job that trained the model version must have completed.</summary>
    TrainingJobCompleted,
}

/// <summary>Which way a metric improves.</summary>
public enum MetricDirection
{
    /// <summary>Greater values are better (accuracy, AUC).</summary>
    HigherIsBetter,

    /// <summary>Smaller values are better (RMSE, loss).</summary>
    LowerIsBetter,
}

/// <summary>
/// A condition a model version must meet to be promoted into an environment. Gates are immutable values made by
/// <see cref="MlEnvironment.MetricAtLeast"/>, <see cref="MlEnvironment.MetricAtMost"/>,
/// <see cref="MlEnvironment.ImprovesOnChampion"/>, <see cref="MlEnvironment.RequiredTag"/>,
/// <see cref="MlEnvironment.RequiredProperty"/> and <see cref="MlEnvironment.TrainingJobCompleted"/>, and added to the
/// environment they guard with <see cref="EnvironmentDefinition.WithGates(PromotionGate[])"/>.
/// </summary>
public sealed class PromotionGate : IEquatable<PromotionGate>
{
    private PromotionGate(PromotionGateKind kind, string? metric, double threshold, MetricDirection direction, double minAbsoluteChange, double minRelativeChange, string? key, string? value)
    {
        Kind = kind;
        Metric = metric;
        Threshold = threshold;
        Direction = direction;
        MinAbsoluteChange = minAbsoluteChange;
        MinRelativeChange = minRelativeChange;
        Key = key;
        Value = value;
    }

    /// <summary>What the gate checks.</summary>
    public PromotionGateKind Kind { get; }

    /// <summary>The metric's name for metric gates; otherwise <see langword="null"/>.</summary>
    public string? Metric { get; }

    /// <summary>The threshold of <see cref="PromotionGateKind.MetricAtLeast"/> and <see cref="PromotionGateKind.MetricAtMost"/>.</summary>
    public double Threshold { get; }

    /// <summary>Which way the metric improves (<see cref="PromotionGateKind.ImprovesOnChampion"/>).</summary>
    public MetricDirection Direction { get; }

    /// <summary>The least absolute improvement over the champion (<see cref="PromotionGateKind.ImprovesOnChampion"/>).</summary>
    public double MinAbsoluteChange { get; }

    /// <summary>
    /// The least relative improvement over the champion, as a fraction of the champion's value (0.05 = 5 %), for
    /// <see cref="PromotionGateKind.ImprovesOnChampion"/>.
    /// </summary>
    public double MinRelativeChange { get; }

    /// <summary>The tag or property key for <see cref="PromotionGateKind.RequiredTag"/> and <see cref="PromotionGateKind.RequiredProperty"/>.</summary>
    public string? Key { get; }

    /// <summary>The value the tag or property must have; <see langword="null"/> when any value will do.</summary>
    public string? Value { get; }

    internal static PromotionGate MetricAtLeast(string metric, double threshold) =>
        new(PromotionGateKind.MetricAtLeast, metric, threshold, MetricDirection.HigherIsBetter, 0, 0, null, null);

    internal static PromotionGate MetricAtMost(string metric, double threshold) =>
        new(PromotionGateKind.MetricAtMost, metric, threshold, MetricDirection.LowerIsBetter, 0, 0, null, null);

    internal static PromotionGate ImprovesOnChampion(string metric, MetricDirection direction, double minAbsoluteChange, double minRelativeChange) =>
        new(PromotionGateKind.ImprovesOnChampion, metric, 0, direction, minAbsoluteChange, minRelativeChange, null, null);

    internal static PromotionGate RequiredTag(string key, string? value) =>
        new(PromotionGateKind.RequiredTag, null, 0, MetricDirection.HigherIsBetter, 0, 0, key, value);

    internal static PromotionGate RequiredProperty(string key, string? value) =>
        new(PromotionGateKind.RequiredProperty, null, 0, MetricDirection.HigherIsBetter, 0, 0, key, value);

    internal static PromotionGate TrainingJobCompleted() =>
        new(PromotionGateKind.TrainingJobCompleted, null, 0, MetricDirection.HigherIsBetter, 0, 0, null, null);

    /// <inheritdoc />
    public bool Equals(PromotionGate? other) =>
        other is not null && Kind == other.Kind &&
        string.Equals(Metric, other.Metric, StringComparison.Ordinal) &&
        Threshold.Equals(other.Threshold) && Direction == other.Direction &&
        MinAbsoluteChange.Equals(other.MinAbsoluteChange) && MinRelativeChange.Equals(other.MinRelativeChange) &&
        string.Equals(Key, other.Key, StringComparison.Ordinal) && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PromotionGate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Metric, Threshold, Direction, MinAbsoluteChange, MinRelativeChange, Key, Value);

    /// <summary>A short description, e.g. <c>auc ≥ 0.85</c> or <c>rmse improves on the champion (lower is better, by ≥ 0.01)</c>.</summary>
    public override string ToString() => Kind switch
    {
        PromotionGateKind.MetricAtLeast => $"{Metric} ≥ {Format(Threshold)}",
        PromotionGateKind.MetricAtMost => $"{Metric} ≤ {Format(Threshold)}",
        PromotionGateKind.ImprovesOnChampion => $"{Metric} improves on the champion ({DescribeImprovement()})",
        PromotionGateKind.RequiredTag => Value is null ? $"tag '{Key}' present" : $"tag '{Key}' = '{Value}'",
        PromotionGateKind.RequiredProperty => Value is null ? $"property '{Key}' present" : $"property '{Key}' = '{Value}'",
        _ => "training job completed",
    };

    internal string DescribeImprovement()
    {
        var text = Direction == MetricDirection.HigherIsBetter ? "higher is better" : "lower is better";
        if (MinAbsoluteChange > 0)
        {
            text += ", by ≥ " + Format(MinAbsoluteChange);
        }

        if (MinRelativeChange > 0)
        {
            text += ", by ≥ " + Format(MinRelativeChange * 100) + " %";
        }

        return text;
    }

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
