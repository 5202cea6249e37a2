using System.Collections.Concurrent;
using Azure.Core;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>A credential that answers a fixed token and records the scopes it was asked for; never a real credential.</summary>
internal sealed class FixedTokenCredential(string token) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public int Calls => Scopes.Count;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
