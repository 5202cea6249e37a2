using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.Testing;

/// <summary>
/// The GitHub Apps registered with an emulator: their public keys (to check RS256 JWTs), their installations, and
/// the installation access tokens issued. Tokens are kept only as SHA-256 hashes.
/// </summary>
internal sealed class GitHubAppRegistry : IDisposable
{
    /// <summary>The permissions of every registered installation.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultPermissions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["actions"] = "read",
        ["administration"] = "write",
        ["deployments"] = "write",
        ["environments"] = "write",
        ["metadata"] = "read",
    };

    private static readonly TimeSpan MaxJwtLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ClockDrift = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly Dictionary<long, RegisteredApp> _apps = [];
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) an App with one installation.</summary>
    public void Register(long appId, RSAParameters publicKey, long installationId, IReadOnlyList<RepositoryId> repositories)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = publicKey.Modulus, Exponent = publicKey.Exponent });
        lock (_gate)
        {
            if (_apps.Values.Any(a => a.InstallationId == installationId && a.AppId != appId))
            {
                rsa.Dispose();
                throw new ArgumentException($"Installation {installationId} belongs to another App.", nameof(installationId));
            }

            if (_apps.Remove(appId, out var previous))
            {
                previous.Key.Dispose();
            }

            _apps[appId] = new RegisteredApp(appId, rsa, installationId, [.. repositories]);
        }
    }

    /// <summary>Checks an App JWT: RS256, signed by a registered App's key, <c>iss</c> its id, unexpired, <c>exp</c> at most 10 minutes ahead.</summary>
    /// <returns>The App, or the message GitHub answers with 401.</returns>
    public (RegisteredApp? App, string? Error) ValidateJwt(string? jwt, DateTimeOffset now)
    {
        const string undecodable = "A JSON web token could not be decoded";
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
        {
            return (null, undecodable);
        }

        using var headerDocument = TryParse(parts[0]);
        using var payloadDocument = TryParse(parts[1]);
        var signature = TryDecode(parts[2]);
        if (headerDocument is null || payloadDocument is null || signature is null)
        {
            return (null, undecodable);
        }

        var header = headerDocument.RootElement;
        var payload = payloadDocument.RootElement;
        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object ||
            !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
        {
            return (null, undecodable);
        }

        if (!payload.TryGetProperty("iss", out var iss) || !TryGetLong(iss, out var appId))
        {
            return (null, "'Issuer' claim ('iss') must be an Integer");
        }

        RegisteredApp? app;
        lock (_gate)
        {
            _apps.TryGetValue(appId, out app);
        }

        if (app is null)
        {
            return (null, "Integration not found");
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        bool valid;
        lock (app.Key)
        {
            valid = app.Key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        if (!valid)
        {
            return (null, undecodable);
        }

        if (payload.TryGetProperty("iat", out var iat) &&
            (!TryGetLong(iat, out var issuedAt) || DateTimeOffset.FromUnixTimeSeconds(issuedAt) > now + ClockDrift))
        {
            return (null, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
        }

        if (!payload.TryGetProperty("exp", out var exp) || !TryGetLong(exp, out var expiresAt) || DateTimeOffset.FromUnixTimeSeconds(expiresAt) <= now)
        {
            return (null, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
        }

        return DateTimeOffset.FromUnixTimeSeconds(expiresAt) > now + MaxJwtLifetime
            ? (null, "'Expiration time' claim ('exp') is too far in the future")
            : (app, null);
    }

    /// <summary>Issues an installation access token for some or all of the installation's repositories.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(RegisteredApp app, IReadOnlyList<RepositoryId> repositories, IReadOnlyDictionary<string, string> permissions, DateTimeOffset expiresAt)
    {
        var token = "ghs_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
        lock (_gate)
        {
            _tokens[Hash(token)] = new IssuedToken(app.AppId, app.InstallationId, [.. repositories], permissions, expiresAt);
        }

        return (token, expiresAt);
    }

    /// <summary>The installation token with this value, if the emulator issued it (expired or not).</summary>
    public IssuedToken? FindToken(string token)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(Hash(token), out var issued) ? issued : null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var app in _apps.Values)
            {
                app.Key.Dispose();
            }

            _apps.Clear();
            _tokens.Clear();
        }
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool TryGetLong(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static JsonDocument? TryParse(string part)
    {
        var bytes = TryDecode(part);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? TryDecode(string part)
    {
        try
        {
            return Base64UrlDecode(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = (base64.Length % 4) switch
        {
            2 => base64 + "==",
            3 => base64 + "=",
            0 => base64,
            _ => throw new FormatException("Not Base64url."),
        };
        return Convert.FromBase64String(base64);
    }
}

/// <summary>A registered App with its one installation.</summary>
/// <param name="AppId">The App's id.</param>
/// <param name="Key">Its public key.</param>
/// <param name="InstallationId">The installation's id.</param>
/// <param name="Repositories">The repositories the installation can access.</param>
internal sealed record RegisteredApp(long AppId, RSA Key, long InstallationId, IReadOnlyList<RepositoryId> Repositories);

/// <summary>An installation access token the emulator issued (without its value).</summary>
/// <param name="AppId">The App.</param>
/// <param name="InstallationId">The installation.</param>
/// <param name="Repositories">The repositories it can access.</param>
/// <param name="Permissions">Its permissions.</param>
/// <param name="ExpiresAt">When it expires.</param>
internal sealed record IssuedToken(long AppId, long InstallationId, IReadOnlyList<RepositoryId> Repositories, IReadOnlyDictionary<string, string> Permissions, DateTimeOffset ExpiresAt);
