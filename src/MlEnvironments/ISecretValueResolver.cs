using System;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments;

/// <summary>Turns a <see cref="SecretValue"/> into its plaintext when a plan is applied.</summary>
public interface ISecretValueResolver
{
    /// <summary>Resolves a secret value.</summary>
    /// <param name="value">The value or reference.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The plaintext, or <see langword="null"/> when the reference has no value (or the value is <see cref="SecretSource.Existing"/>).</returns>
    ValueTask<string?> ResolveAsync(SecretValue value, CancellationToken cancellationToken = default);
}
