using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace MlEnvironments.Testing;

/// <summary>
/// A <see cref="TokenCredential"/> for tests: answers a fixed token that expires <see cref="Lifetime"/> after the
/// request, counts its calls (synchronous and asynchronous) and records the scopes it was asked for. Register it
/// (<c>services.AddSingleton&lt;TokenCredential&gt;(new FakeTokenCredential())</c>) next to an emulator or the
/// Azure provider so that no <c>DefaultAzureCredential</c> is ever created. Thread-safe; never talks to a network.
/// </summary>
public sealed class FakeTokenCredential : TokenCredential
{
    /// <summary>The token answered by a credential made with the parameterless constructor.</summary>
    public const string DefaultToken = "fake-azure-token";

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<string> _scopes = [];
    private long _lifetimeTicks = TimeSpan.FromHours(1).Ticks;
    private int _syncCalls;
    private int _asyncCalls;

    /// <summary>Creates a credential that answers <see cref="DefaultToken"/>.</summary>
    public FakeTokenCredential()
        : this(DefaultToken)
    {
    }

    /// <summary>Creates a credential that answers <paramref name="token"/>.</summary>
    /// <param name="token">The token every request gets; not empty.</param>
    /// <param name="timeProvider">The clock the expiry is computed from; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="token"/> is empty or white space.</exception>
    public FakeTokenCredential(string token, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("token must not be empty or white space.", nameof(token));
        }

        Token = token;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The token every request gets.</summary>
    public string Token { get; }

    /// <summary>The object (principal) id the token names in its <c>oid</c> claim, when made by <see cref="ForPrincipal(Guid, Guid?, TimeProvider?)"/>.</summary>
    public Guid? PrincipalId { get; private init; }

    /// <summary>The client (application) id the token names in its <c>appid</c> claim, when given to <see cref="ForPrincipal(Guid, Guid?, TimeProvider?)"/>.</summary>
    public Guid? ClientId { get; private init; }

    /// <summary>
    /// A credential whose token says which principal calls, as Entra's access tokens do: an unsigned JWT
    /// (<c>alg: none</c>) with the <c>oid</c> claim (and <c>appid</c> when given). <see cref="AzureResourceManagerEmulator"/>
    /// reads it to check the principal's role assignments when
    /// <see cref="AzureResourceManagerEmulatorOptions.EnforceRoleAssignments"/> is on. Different principals get
    /// different tokens; the same principal always the same one.
    /// </summary>
    /// <param name="principalId">The principal's object id.</param>
    /// <param name="clientId">The application (client) id; optional.</param>
    /// <param name="timeProvider">The clock the expiry is computed from; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The credential.</returns>
    public static FakeTokenCredential ForPrincipal(Guid principalId, Guid? clientId = null, TimeProvider? timeProvider = null)
    {
        var claims = clientId is { } app
            ? $"{{\"oid\":\"{principalId:D}\",\"appid\":\"{app:D}\",\"aud\":\"https://management.azure.com/\"}}"
            : $"{{\"oid\":\"{principalId:D}\",\"aud\":\"https://management.azure.com/\"}}";
        var token = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url(claims) + "." + Base64Url("fake-signature");
        return new FakeTokenCredential(token, timeProvider) { PrincipalId = principalId, ClientId = clientId };
    }

    /// <summary>
    /// How long each answered token lives, from the moment it is requested (default one hour). Zero or negative
    /// answers tokens that have already expired, to test refresh paths.
    /// </summary>
    public TimeSpan Lifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _lifetimeTicks));
        set => Interlocked.Exchange(ref _lifetimeTicks, value.Ticks);
    }

    /// <summary>How many times <see cref="GetToken(TokenRequestContext, CancellationToken)"/> was called.</summary>
    public int SyncCalls => Volatile.Read(ref _syncCalls);

    /// <summary>How many times <see cref="GetTokenAsync(TokenRequestContext, CancellationToken)"/> was called.</summary>
    public int AsyncCalls => Volatile.Read(ref _asyncCalls);

    /// <summary>How many tokens were requested, synchronously and asynchronously.</summary>
    public int Calls => SyncCalls + AsyncCalls;

    /// <summary>Every scope requested so far, in the order of the requests (a copy).</summary>
    public IReadOnlyList<string> RequestedScopes
    {
        get
        {
            lock (_gate)
            {
                return _scopes.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _syncCalls);
        return Answer(requestContext);
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _asyncCalls);
        return new ValueTask<AccessToken>(Answer(requestContext));
    }

    /// <summary>Describes the credential without its token.</summary>
    /// <returns>The type name, the call count and the lifetime.</returns>
    public override string ToString() => $"{nameof(FakeTokenCredential)} (" + (PrincipalId is { } principal ? $"principal {principal}, " : string.Empty) + $"calls: {Calls}, lifetime: {Lifetime})";

    private static string Base64Url(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private AccessToken Answer(TokenRequestContext requestContext)
    {
        lock (_gate)
        {
            _scopes.AddRange(requestContext.Scopes ?? []);
        }

        return new AccessToken(Token, _time.GetUtcNow() + Lifetime);
    }
}
