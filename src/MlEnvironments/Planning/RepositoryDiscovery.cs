using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Planning;

/// <summary>Which discovered repositories are kept. Immutable; the default keeps every repository that is neither archived nor a fork.</summary>
public sealed class RepositoryFilter
{
    private readonly ImmutableArray<string> _topics = [];

    /// <summary>The topics a repository must all have (compared without regard to case); empty (the default): any.</summary>
    public ImmutableArray<string> Topics
    {
        get => _topics;
        init => _topics = value.IsDefault ? [] : value;
    }

    /// <summary>
    /// A pattern the repository's name (without the owner) must match, without regard to case: <c>*</c> stands for
    /// any run of characters, <c>?</c> for one; <see langword="null"/> (the default): any name.
    /// </summary>
    public string? NamePattern { get; init; }

    /// <summary>Keep archived repositories (read-only on GitHub: an apply to them fails). Default: false.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Keep forks. Default: false.</summary>
    public bool IncludeForks { get; init; }

    /// <summary>Whether a listed repository passes the filter.</summary>
    /// <param name="repository">The repository as listed.</param>
    /// <returns><see langword="true"/> when it is kept.</returns>
    public bool Matches(GitHubRepositoryListing repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if ((repository.IsArchived && !IncludeArchived) || (repository.IsFork && !IncludeForks))
        {
            return false;
        }

        if (!Topics.All(t => repository.Topics.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        return NamePattern is null || Glob(NamePattern).IsMatch(repository.Repository.Name);
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}

/// <summary>
/// Finds the repositories a definition template applies to: all repositories of an organization or a user, filtered
/// by topic and name pattern (archived repositories and forks left out unless asked for), every page read.
/// </summary>
public sealed class RepositoryDiscovery
{
    private readonly IGitHubRepositoryLister _lister;

    /// <summary>Creates a discovery.</summary>
    /// <param name="lister">Lists repositories.</param>
    public RepositoryDiscovery(IGitHubRepositoryLister lister)
    {
        ArgumentNullException.ThrowIfNull(lister);
        _lister = lister;
    }

    /// <summary>The repositories of an organization that pass the filter, in name order.</summary>
    /// <param name="organization">The organization's login.</param>
    /// <param name="filter">The filter; default: not archived, not forks.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The repositories.</returns>
    public async Task<IReadOnlyList<RepositoryId>> RepositoriesFromOrganizationAsync(string organization, RepositoryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organization);
        return Keep(await _lister.ListOrganizationRepositoriesAsync(organization, cancellationToken).ConfigureAwait(false), filter);
    }

    /// <summary>The repositories a user owns that pass the filter, in name order.</summary>
    /// <param name="user">The user's login.</param>
    /// <param name="filter">The filter; default: not archived, not forks.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The repositories.</returns>
    public async Task<IReadOnlyList<RepositoryId>> RepositoriesFromUserAsync(string user, RepositoryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return Keep(await _lister.ListUserRepositoriesAsync(user, cancellationToken).ConfigureAwait(false), filter);
    }

    /// <summary>
    /// Applies one definition to many repositories: each gets the template's environments (its own repository is
    /// only a placeholder).
    /// </summary>
    /// <param name="template">The definition whose environments every repository gets.</param>
    /// <param name="repositories">The repositories.</param>
    /// <returns>One definition per repository, in the given order.</returns>
    public static IReadOnlyList<RepositoryDefinition> ApplyTemplate(RepositoryDefinition template, IEnumerable<RepositoryId> repositories)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(repositories);
        return [.. repositories.Select(r => MlEnvironment.Repository(r, [.. template.Environments]))];
    }

    private static List<RepositoryId> Keep(IReadOnlyList<GitHubRepositoryListing> listed, RepositoryFilter? filter)
    {
        filter ??= new RepositoryFilter();
        return [.. listed.Where(filter.Matches).Select(l => l.Repository).OrderBy(r => r.ToString(), StringComparer.OrdinalIgnoreCase)];
    }
}
