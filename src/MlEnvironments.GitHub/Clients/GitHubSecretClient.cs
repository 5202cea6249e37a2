using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub.Http;
using MlEnvironments.GitHub.Wire;

namespace MlEnvironments.GitHub;

/// <summary>
/// Environment secrets. Plaintext is sealed with libsodium's sealed box under the environment's public key before
/// it leaves the process; only <c>encrypted_value</c> and <c>key_id</c> travel.
/// </summary>
public sealed class GitHubSecretClient : IGitHubSecretReader, IGitHubSecretWriter
{
    private readonly GitHubConnection _github;
    private readonly ConcurrentDictionary<(RepositoryId, string), PublicKeyDto> _keys = new();

    internal GitHubSecretClient(GitHubConnection github) => _github = github;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GitHubSecret>> ListEnvironmentSecretsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var secrets = await _github.GetAllAsync<SecretListDto, SecretDto>(
            "actions/list-environment-secrets", repository,
            GitHubPath.Environment(repository, environmentName).Literal("secrets"), 100,
            page => page.Secrets, cancellationToken).ConfigureAwait(false);
        return secrets.Select(s => MlEnvironmentsModelFactory.GitHubSecret(s.Name, s.CreatedAt, s.UpdatedAt)).ToList();
    }

    /// <inheritdoc />
    public async Task SetEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, [SecretPlaintext] string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(secretName);
        ArgumentNullException.ThrowIfNull(value);

        // Both paths are built (and the names checked) before the first request: a name that cannot be a segment
        // sends nothing, not even the public key's read.
        string path = GitHubPath.Environment(repository, environmentName).Literal("secrets").Name(secretName, nameof(secretName));
        var key = await GetPublicKeyAsync(repository, environmentName, refresh: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await PutAsync(repository, path, value, key, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.StatusCode == 422)
        {
            // The key may have been rotated since it was read: read it again and retry once.
            var fresh = await GetPublicKeyAsync(repository, environmentName, refresh: true, cancellationToken).ConfigureAwait(false);
            if (fresh.KeyId == key.KeyId)
            {
                throw;
            }

            await PutAsync(repository, path, value, fresh, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(secretName);
        return _github.DeleteAsync("actions/delete-environment-secret", repository,
            GitHubPath.Environment(repository, environmentName).Literal("secrets").Name(secretName, nameof(secretName)), cancellationToken);
    }

    /// <summary>Seals a value for GitHub: a libsodium sealed box under the base64 public key, in base64.</summary>
    /// <param name="plaintext">The value.</param>
    /// <param name="publicKeyBase64">The environment's public key as GitHub gives it.</param>
    /// <returns>The <c>encrypted_value</c>.</returns>
    internal static string Seal(string plaintext, string publicKeyBase64)
    {
        var publicKey = Convert.FromBase64String(publicKeyBase64);
        var sealedBox = Sodium.SealedPublicKeyBox.Create(Encoding.UTF8.GetBytes(plaintext), publicKey);
        return Convert.ToBase64String(sealedBox);
    }

    private async Task PutAsync(RepositoryId repository, string path, string value, PublicKeyDto key, CancellationToken cancellationToken)
    {
        var body = new SecretPutDto { EncryptedValue = Seal(value, key.Key), KeyId = key.KeyId };
        await _github.PutAsync<SecretPutDto, object>("actions/create-or-update-environment-secret", repository, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PublicKeyDto> GetPublicKeyAsync(RepositoryId repository, string environmentName, bool refresh, CancellationToken cancellationToken)
    {
        var cacheKey = (repository, environmentName.ToUpperInvariant());
        if (!refresh && _keys.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var key = await _github.GetAsync<PublicKeyDto>("actions/get-environment-public-key", repository,
            GitHubPath.Environment(repository, environmentName).Literal("secrets/public-key"), cancellationToken).ConfigureAwait(false);
        _keys[cacheKey] = key;
        return key;
    }
}
