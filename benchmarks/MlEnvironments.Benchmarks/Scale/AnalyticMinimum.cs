namespace MlEnvironments.Benchmarks.Scale;

/// <summary>The fewest requests any client needs, by kind (see benchmarks/README.md, "Analytic minimum").</summary>
/// <param name="Reads">
/// List calls: environments, branch policies, custom protection rules (of environments that declare some), secrets,
/// variables; and, for a repository with changes, the repository's visibility (GitHub's plan gate).
/// </param>
/// <param name="Writes">One per environment whose settings change, one per pattern, variable or secret change.</param>
/// <param name="PublicKeys">One public-key GET per environment whose secrets are set.</param>
/// <param name="ReviewerLookups">One id look-up per reviewer not yet listed by GitHub (ids are organisation-wide: once per set).</param>
/// <param name="ReviewerChecks">
/// Reviewers not yet listed by GitHub, counted per repository: ours resolves each with an id look-up and an access
/// check in every repository, before any write (see "Ours' budget" in benchmarks/README.md).
/// </param>
internal readonly record struct Minimum(long Reads, long Writes, long PublicKeys, long ReviewerLookups, long ReviewerChecks = 0)
{
    public long Total => Reads + Writes + PublicKeys + ReviewerLookups;

    /// <summary>What ours may send (the documented formula the scale run checks): the minimum, with 2 requests per reviewer check instead of the set-wide look-ups.</summary>
    public long Budget => Reads + Writes + PublicKeys + (2 * ReviewerChecks);

    public static Minimum operator +(Minimum a, Minimum b) =>
        new(a.Reads + b.Reads, a.Writes + b.Writes, a.PublicKeys + b.PublicKeys, a.ReviewerLookups + b.ReviewerLookups, a.ReviewerChecks + b.ReviewerChecks);
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
    /// has custom patterns, 1 custom protection-rule list if it declares rules, 1 secret list, ceil(V/30) variable
    /// lists; + the writes; + one public-key GET per environment whose secrets are set; + 1 repository read (its
    /// visibility, for GitHub's plan gate) when anything is written. Reviewers that need an id are added to
    /// <paramref name="newReviewers"/>.
    /// </summary>
    public static Minimum ForRepository(RepositoryDefinition desired, RepositoryDefinition before, ISet<Reviewer> newReviewers)
    {
        long reads = Pages(before.Environments.Length, PageOf100);
        long writes = 0;
        long keys = 0;
        var listedReviewers = before.Environments.SelectMany(e => e.Reviewers).ToHashSet();
        var toResolve = new HashSet<Reviewer>();
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
                AddNew(environment.Reviewers, listedReviewers, toResolve);
            }
            else
            {
                // The custom deployment protection rules (GitHub App gates) are not in the environment list: a client
                // that plans them reads the rules of each environment that declares some (one request, no pagination).
                reads += (existing.BranchPolicy.Kind == DeploymentBranchPolicyKind.CustomPatterns ? Pages(existing.BranchPolicy.Patterns.Length, PageOf100) : 0) +
                         (environment.ProtectionRuleAppIds.IsEmpty ? 0 : 1) +
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
                    AddNew(environment.Reviewers, listedReviewers, toResolve);
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

        // GitHub's plan gate: a plan that writes reads the repository's visibility first (and, for a private or
        // internal repository, the owner's plan once per owner; the corpus is public).
        reads += writes > 0 ? 1 : 0;
        return new Minimum(reads, writes, keys, 0, toResolve.Count);
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
