using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>Environment variables (pages of 30, the most GitHub gives for this endpoint).</summary>
public sealed class GitHubVariableClient : IGitHubVariableReader, IGitHubVariableWriter
{
    private readonly GitHubConnection _github;

    internal GitHubVariableClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubVariable>> ListEnvironmentVariablesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var variables = await _github.GetAllAsync<VariableListDto, VariableDto>(
            "actions/list-environment-variables", repository,
            GitHubPath.Environment(repository, environmentName).Literal("variables"), 30,
            page => page.Variables, cancellationToken).ConfigureAwait(false);
        return variables.Select(v => MlEnvironmentsModelFactory.GitHubVariable(v.Name, v.Value, v.CreatedAt, v.UpdatedAt)).ToList();
    }

    /// <inheritdoc />
    public Task CreateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return _github.PostAsync<VariableCreateDto, object>("actions/create-environment-variable", repository,
            GitHubPath.Environment(repository, environmentName).Literal("variables"),
            new VariableCreateDto { Name = name, Value = value }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return _github.PatchAsync("actions/update-environment-variable", repository,
            GitHubPath.Environment(repository, environmentName).Literal("variables").Name(name, nameof(name)),
            new VariableUpdateDto { Value = value }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(name);
        return _github.DeleteAsync("actions/delete-environment-variable", repository,
            GitHubPath.Environment(repository, environmentName).Literal("variables").Name(name, nameof(name)), cancellationToken);
    }
}
