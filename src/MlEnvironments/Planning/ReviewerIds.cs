using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>Resolves the reviewers of environments to GitHub ids, reporting every one that cannot review at once.</summary>
internal static class ReviewerIds
{
    public static async Task<Dictionary<Reviewer, long>> ResolveAsync(
        RepositoryId repository,
        IEnumerable<EnvironmentDefinition> environments,
        IReadOnlyDictionary<Reviewer, long> known,
        IGitHubIdentityResolver resolver,
        CancellationToken cancellationToken)
    {
        var ids = new Dictionary<Reviewer, long>(known);
        var errors = new List<ValidationError>();
        var asked = new HashSet<Reviewer>();
        foreach (var environment in environments)
        {
            for (var i = 0; i < environment.Reviewers.Length; i++)
            {
                var reviewer = environment.Reviewers[i];
                if (ids.ContainsKey(reviewer) || !asked.Add(reviewer))
                {
                    continue;
                }

                var resolution = await resolver.ResolveReviewerAsync(repository, reviewer, cancellationToken).ConfigureAwait(false);
                if (resolution.CanReview && resolution.Id is { } id)
                {
                    ids[reviewer] = id;
                }
                else
                {
                    errors.Add(new ValidationError($"environments[{environment.Name}].reviewers[{i}]", ValidationRules.ReviewerCannotReview,
                        (resolution.Reason ?? "The reviewer cannot review deployments of this repository.") +
                        " Reviewers need at least read access to the repository.",
                        reviewer.ToString()));
                }
            }
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();
        return ids;
    }
}
