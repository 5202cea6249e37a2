namespace MlEnvironments.Benchmarks.Scale;

/// <summary>The fewest requests any client needs, by kind (see benchmarks/README.md, "Analytic minimum").</summary>
/// <param name="Reads">List calls: environments, branch policies, custom protection rules, secrets, variables.</param>
/// <param name="Writes">One per environment whose settings change, one per pattern, variable or secret change.</param>
/// <param name="PublicKeys">One public-key GET per environment whose secrets are set.</param>
/// <param name="ReviewerLookups">One id look-up per reviewer not yet listed by GitHub (ids are organisation-wide: once per set).</param>
internal readonly record struct Minimum(long Reads, long Writes, long PublicKeys, long ReviewerLookups)
{
    public long Total => Reads + Writes + PublicKeys + ReviewerLookups;

    public static Minimum operator +(Minimum a, Minimum b) =>
        new(a.Reads + b.Reads, a.Writes + b.Writes, a.PublicKeys + b.PublicKeys, a.ReviewerLookups + b.ReviewerLookups);
}

/// <summary>
/// Computes the analytic minimum from the definitions and what GitHub held before (a snapshot of the emulator's
/// state), independently of the planner: it must not share the planner's code to be a yardstick for it.
/// </summary>
internal static class AnalyticMinimum
{
    /// <summary>GitHub's largest page for environments, branch policies and secrets.</summary>
    public const int PageOf100 = 100;

    /// <summary>GitHub's largest page for environment variables.</summary>
    public const int VariablePage = 30;

    /// <summary>The minimum for a whole set: the per-repository sums, plus one look-up per distinct new reviewer.</summary>
    public static (Minimum Total, Dictionary<RepositoryId, long> PerRepository) ForSet(
        RepositorySetDefinition desired, Func<RepositoryId, RepositoryDefinition> before)
    {
        var total = default(Minimum);
        var perRepository = new Dictionary<RepositoryId, long>();
        var newReviewers = new HashSet<Reviewer>();
        foreach (var repository in desired.Repositories)
        {
            var minimum = ForRepository(repository, before(repository.Repository), newReviewers);
            perRepository[repository.Repository] = minimum.Total;
            total += minimum;
        }

        return (total + new Minimum(0, 0, 0, newReviewers.Count), perRepository);
    }

    /// <summary>
    /// One repository: 1 environment list (per 100) + per declared existing environment: 1 branch-policy list if it
    /// has custom patterns, 1 custom protection-rule list, 1 secret list, ceil(V/30) variable lists; + the writes; + one public-key GET per
    /// environment whose secrets are set. Reviewers that need an id are added to <paramref name="newReviewers"/>.
    /// </summary>
    public static Minimum ForRepository(RepositoryDefinition desired, RepositoryDefinition before, ISet<Reviewer> newReviewers)
    {
        long reads = Pages(before.Environments.Length, PageOf100);
        long writes = 0;
        long keys = 0;
        var listedReviewers = before.Environments.SelectMany(e => e.Reviewers).ToHashSet();
        foreach (var environment in desired.Environments)
        {
            var existing = before.FindEnvironment(environment.Name);
            var desiredPatterns = environment.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns
                ? environment.BranchPolicy.Patterns
                : [];
            var secretsToSet = environment.Secrets.Count(s =>
                s.Value.Source != SecretSource.Existing &&
                (existing is null || !existing.Secrets.Any(x => string.Equals(x.Name, s.Name, StringComparison.OrdinalIgnoreCase))));
            if (existing is null)
            {
                writes += 1 + desiredPatterns.Length + environment.GetEffectiveVariables().Count + secretsToSet;
                AddNew(environment.Reviewers, listedReviewers, newReviewers);
            }
            else
            {
                // The custom deployment protection rules (GitHub App gates) are not in the environment list: a client
                // that plans them reads each environment's rules (one request, no pagination).
                reads += (existing.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns ? Pages(existing.BranchPolicy.Patterns.Length, PageOf100) : 0) +
                         1 +
                         Pages(existing.Secrets.Length, PageOf100) +
                         Pages(existing.GetEffectiveVariables().Count, VariablePage);
                var reviewersChange = !environment.Reviewers.ToHashSet().SetEquals(existing.Reviewers);
                if (reviewersChange || environment.WaitTimer != existing.WaitTimer || environment.PreventsSelfReview != existing.PreventsSelfReview ||
                    environment.CanAdminsBypass != existing.CanAdminsBypass || environment.BranchPolicy.Kind != existing.BranchPolicy.Kind)
                {
                    writes++;
                }

                if (reviewersChange)
                {
                    AddNew(environment.Reviewers, listedReviewers, newReviewers);
                }

                var existingPatterns = existing.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns
                    ? existing.BranchPolicy.Patterns.ToHashSet()
                    : [];
                writes += desiredPatterns.Count(p => !existingPatterns.Contains(p));
                var existingVariables = existing.GetEffectiveVariables().ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase);
                writes += environment.GetEffectiveVariables().Count(v => !existingVariables.TryGetValue(v.Name, out var value) || value != v.Value);
                writes += secretsToSet;
            }

            keys += secretsToSet > 0 ? 1 : 0;
        }

        return new Minimum(reads, writes, keys, 0);
    }

    private static long Pages(int items, int perPage) => Math.Max(1, (items + perPage - 1) / perPage);

    private static void AddNew(IEnumerable<Reviewer> reviewers, HashSet<Reviewer> listed, ISet<Reviewer> newReviewers)
    {
        foreach (var reviewer in reviewers.Where(r => !listed.Contains(r)))
        {
            newReviewers.Add(reviewer);
        }
    }
}
