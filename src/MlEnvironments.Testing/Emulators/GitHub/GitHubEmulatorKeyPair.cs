using System;

namespace MlEnvironments.Testing;

/// <summary>
/// The Curve25519 key pair an emulated environment uses for its secrets: the public key and <see cref="KeyId"/>
/// are what <c>actions/get-environment-public-key</c> answers; the private key opens the sealed boxes.
/// </summary>
public sealed class GitHubEmulatorKeyPair
{
    private readonly byte[] _publicKey;
    private readonly byte[] _privateKey;

    internal GitHubEmulatorKeyPair(string keyId, byte[] publicKey, byte[] privateKey)
    {
        KeyId = keyId;
        _publicKey = publicKey;
        _privateKey = privateKey;
    }

    /// <summary>The key's id, the <c>key_id</c> a secret must be sent with.</summary>
    public string KeyId { get; }

    /// <summary>The public key, Base64 as GitHub sends it in <c>key</c>.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(_publicKey);

    /// <summary>A copy of the 32-byte public key.</summary>
    /// <returns>The key.</returns>
    public byte[] GetPublicKey() => (byte[])_publicKey.Clone();

    /// <summary>A copy of the 32-byte private key.</summary>
    /// <returns>The key.</returns>
    public byte[] GetPrivateKey() => (byte[])_privateKey.Clone();

    internal byte[] PublicKey => _publicKey;

    internal byte[] PrivateKey => _privateKey;

    /// <summary>Returns the key id and the public key; never the private key.</summary>
    public override string ToString() => $"{KeyId} ({PublicKeyBase64})";
}
