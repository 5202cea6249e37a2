using MlEnvironments;
using MlEnvironments.Promotion;

namespace PromotionTests;

/// <summary>Where the bot posts what it decided: the team's chat, a job summary, a pull-request comment.</summary>
public interface IReleaseChannel
{
    /// <summary>Posts one Markdown message.</summary>
    Task PostAsync(string markdown, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="ReleaseBot.ReleaseAsync"/> did.</summary>
public enum ReleaseDecision
{
    /// <summary>The version was already the target's current one: nothing evaluated, nothing written.</summary>
    AlreadyLive,

    /// <summary>A gate failed: not promoted.</summary>
    Blocked,

    /// <summary>Promoted.</summary>
    Promoted,

    /// <summary>The promoter refused at the last moment (e.g. a gate failed between evaluation and promotion).</summary>
    Refused,
}

/// <summary>
/// A user's own release logic on the MlEnvironments interfaces: promote a model version only when every gate of the
/// target passes, say so in the team's channel, and answer the runs that wait for review from their gates.
/// </summary>
public sealed class ReleaseBot(IModelPromoter promoter, IPromotionLedger ledger, IPromotionReviewService reviews, IReleaseChannel channel)
{
    /// <summary>Evaluates a version and promotes it when every gate passes; posts one message either way.</summary>
    public async Task<ReleaseDecision> ReleaseAsync(RepositoryDefinition definition, string modelName, string version, string from, string to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var current = await ledger.GetCurrentAsync(definition.Repository, to, modelName, cancellationToken);
        if (current?.Version == version)
        {
            await channel.PostAsync($"{modelName}@{version} is already live in {to} (ledger entry #{current.DeploymentId}).", cancellationToken);
            return ReleaseDecision.AlreadyLive;
        }

        var request = new PromotionRequest(definition, modelName, version, from, to);
        var evaluation = await promoter.EvaluateAsync(request, cancellationToken);
        if (!evaluation.Passed)
        {
            var failures = string.Join(Environment.NewLine, evaluation.Failures.Select(f => $"- {f.Gate}: {f.Reason}"));
            await channel.PostAsync($"**{modelName}@{version} stays out of {to}**{Environment.NewLine}{failures}", cancellationToken);
            return ReleaseDecision.Blocked;
        }

        var result = await promoter.PromoteAsync(request, cancellationToken);
        var replaced = current is null ? "the first version there" : $"replaces {current.Version}";
        await channel.PostAsync($"**{modelName}@{version} → {to}**: {result.Message} ({replaced})", cancellationToken);
        return result.Succeeded ? ReleaseDecision.Promoted : ReleaseDecision.Refused;
    }

    /// <summary>Approves the waiting runs whose every gate passes and rejects the others, with the reasons; returns how many were approved.</summary>
    public async Task<int> ReviewPendingAsync(RepositoryDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var approved = 0;
        foreach (var pending in await reviews.ListPendingAsync(definition, cancellationToken))
        {
            var reasons = pending.Evaluations.SelectMany(e => e.Failures).Select(f => $"{f.Gate}: {f.Reason}").Concat(pending.Problems).ToList();
            if (pending.Evaluations.Count > 0 && reasons.Count == 0)
            {
                await reviews.ApproveAsync(definition.Repository, pending.Run.Id, $"release bot: every gate passes for {pending.ModelName}@{pending.Version}", cancellationToken: cancellationToken);
                approved++;
            }
            else
            {
                var why = reasons.Count == 0 ? "nothing could be evaluated" : string.Join("; ", reasons);
                await reviews.RejectAsync(definition.Repository, pending.Run.Id, "release bot: " + why, cancellationToken: cancellationToken);
            }
        }

        return approved;
    }
}
