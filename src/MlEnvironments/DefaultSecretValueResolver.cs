using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;

namespace MlEnvironments;

/// <summary>
/// Resolves literals, process environment variables and configuration keys (when an <see cref="IConfiguration"/>
/// is given: user secrets, Key Vault and other configuration providers plug in there).
/// </summary>
public sealed class DefaultSecretValueResolver : ISecretValueResolver
{
    private readonly IConfiguration? _configuration;

    /// <summary>Creates a resolver.</summary>
    /// <param name="configuration">The configuration for <see cref="SecretSource.Configuration"/> references; optional.</param>
    public DefaultSecretValueResolver(IConfiguration? configuration = null) => _configuration = configuration;

    /// <inheritdoc />
    public ValueTask<string?> ResolveAsync(SecretValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        string? result = value.Source switch
        {
            SecretSource.Literal => value.TryRevealLiteral(out var literal) ? literal : null,
            SecretSource.EnvironmentVariable => NullIfEmpty(Environment.GetEnvironmentVariable(value.Reference!)),
            SecretSource.Configuration => NullIfEmpty(_configuration?[value.Reference!]),
            _ => null,
        };
        return new ValueTask<string?>(result);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
