using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Promotion;

/// <summary>Evaluates gates on a candidate; pure, no I/O.</summary>
internal static class GateEvaluator
{
    public static ImmutableArray<GateVerdict> Evaluate(
        IEnumerable<PromotionGate> gates,
        ModelCandidate candidate,
        PromotionRecord? champion,
        MachineLearningJobStatus? jobStatus)
    {
        var verdicts = ImmutableArray.CreateBuilder<GateVerdict>();
        foreach (var gate in gates)
        {
            verdicts.Add(Evaluate(gate, candidate, champion, jobStatus));
        }

        return verdicts.ToImmutable();
    }

    public static GateVerdict Evaluate(PromotionGate gate, ModelCandidate candidate, PromotionRecord? champion, MachineLearningJobStatus? jobStatus)
    {
        switch (gate.Kind)
        {
            case PromotionGateKind.MetricAtLeast:
            case PromotionGateKind.MetricAtMost:
            {
                if (!candidate.Metrics.TryGetValue(gate.Metric!, out var observed))
                {
                    return Missing(gate, candidate);
                }

                var atLeast = gate.Kind == PromotionGateKind.MetricAtLeast;
                var passed = atLeast ? observed >= gate.Threshold : observed <= gate.Threshold;
                var reason = passed
                    ? $"{gate.Metric} {F(observed)} {(atLeast ? "≥" : "≤")} {F(gate.Threshold)}"
                    : $"{gate.Metric} {F(observed)} {(atLeast ? "<" : ">")} {F(gate.Threshold)} required ({(atLeast ? "short" : "over")} by {F(Math.Abs(observed - gate.Threshold))})";
                return new GateVerdict(gate, passed, observed, null, gate.Threshold, reason);
            }

            case PromotionGateKind.ImprovesOnChampion:
            {
                if (!candidate.Metrics.TryGetValue(gate.Metric!, out var observed))
                {
                    return Missing(gate, candidate);
                }

                if (champion is null)
                {
                    return new GateVerdict(gate, true, observed, null, null, $"{gate.Metric} {F(observed)}; no champion yet, nothing to beat");
                }

                if (!champion.Metrics.TryGetValue(gate.Metric!, out var baseline))
                {
                    // Failing closed: without the champion's number, improvement cannot be shown.
                    return new GateVerdict(gate, false, observed, null, null,
                        $"{gate.Metric} {F(observed)}, but the champion {champion.ModelName}@{champion.Version} has no recorded '{gate.Metric}' to compare with; roll back or promote with the metric logged, or drop the gate");
                }

                var higher = gate.Direction == MetricDirection.HigherIsBetter;
                var margin = Math.Max(gate.MinAbsoluteChange, Math.Abs(baseline) * gate.MinRelativeChange);
                var required = higher ? baseline + margin : baseline - margin;
                // The margin is computed in binary floating point: forgive rounding in the last digits (0.8 × 1.05).
                var tolerance = 1e-12 * Math.Max(1, Math.Abs(required));
                var passed = higher ? observed >= required - tolerance : observed <= required + tolerance;
                var change = observed - baseline;
                var relative = baseline == 0 ? string.Empty : $", {(change >= 0 ? "+" : string.Empty)}{F(change / Math.Abs(baseline) * 100)} %";
                var versus = $"{gate.Metric} {F(observed)} vs champion {champion.ModelName}@{champion.Version} {F(baseline)} ({(change >= 0 ? "+" : string.Empty)}{F(change)}{relative})";
                var reason = passed
                    ? versus
                    : $"{versus}; needs {(higher ? "≥" : "≤")} {F(required)} ({gate.DescribeImprovement()})";
                return new GateVerdict(gate, passed, observed, baseline, required, reason);
            }

            case PromotionGateKind.RequiredTag:
            case PromotionGateKind.RequiredProperty:
            {
                var isTag = gate.Kind == PromotionGateKind.RequiredTag;
                var values = isTag ? candidate.Tags : candidate.Properties;
                var what = isTag ? "tag" : "property";
                if (!values.TryGetValue(gate.Key!, out var actual))
                {
                    return new GateVerdict(gate, false, null, null, null,
                        $"{candidate} has no {what} '{gate.Key}'" + (gate.Value is null ? string.Empty : $" (needs '{gate.Value}')"));
                }

                if (gate.Value is not null && !string.Equals(actual, gate.Value, StringComparison.Ordinal))
                {
                    return new GateVerdict(gate, false, null, null, null, $"{what} '{gate.Key}' is '{actual}', needs '{gate.Value}'");
                }

                return new GateVerdict(gate, true, null, null, null, $"{what} '{gate.Key}' = '{actual}'");
            }

            default:
                if (candidate.JobName is null)
                {
                    return new GateVerdict(gate, false, null, null, null, $"{candidate} names no training job");
                }

                if (jobStatus is null)
                {
                    return new GateVerdict(gate, false, null, null, null,
                        $"job '{candidate.JobName}' was not found in workspace '{candidate.JobWorkspace?.WorkspaceName}' (or no job reader is registered)");
                }

                return jobStatus.Value == MachineLearningJobStatus.Completed
                    ? new GateVerdict(gate, true, null, null, null, $"job '{candidate.JobName}' completed")
                    : new GateVerdict(gate, false, null, null, null, $"job '{candidate.JobName}' is {jobStatus.Value}, needs Completed");
        }
    }

    private static GateVerdict Missing(PromotionGate gate, ModelCandidate candidate) =>
        new(gate, false, null, null, null,
            candidate.JobName is null
                ? $"metric '{gate.Metric}' not found: {candidate} names no training run, and has no numeric tag or property '{gate.Metric}'"
                : $"metric '{gate.Metric}' was never logged by run '{candidate.JobName}' (it logged: {Describe(candidate.Metrics.Keys)}) and is no numeric tag or property of {candidate}");

    private static string Describe(IEnumerable<string> keys)
    {
        var list = new List<string>(keys);
        list.Sort(StringComparer.Ordinal);
        return list.Count == 0 ? "nothing" : string.Join(", ", list);
    }

    internal static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
