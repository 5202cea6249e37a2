using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;

namespace MlEnvironments.Azure.Http;

/// <summary>
/// <c>DefaultAzureCredential</c>, created on the first token request only: registering or resolving the clients
/// never touches a credential source (environment, managed identity endpoint, developer tools).
/// </summary>
internal sealed class LazyDefaultAzureCredential : TokenCredential
{
    private readonly Lazy<TokenCredential> _inner;

    public LazyDefaultAzureCredential(Func<TokenCredential>? factory = null) =>
        _inner = new Lazy<TokenCredential>(factory ?? (() => new DefaultAzureCredential()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the underlying credential has been created.</summary>
    public bool IsCreated => _inner.IsValueCreated;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _inner.Value.GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _inner.Value.GetTokenAsync(requestContext, cancellationToken);
}
