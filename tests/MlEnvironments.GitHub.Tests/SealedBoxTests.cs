using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.GitHub.Tests;

/// <summary>
/// What the client sends as <c>encrypted_value</c> is opened by an independent libsodium (npm libsodium-wrappers),
/// with the private key matching the public key GitHub gave.
/// </summary>
public class SealedBoxTests
{
    [Theory]
    [InlineData("s3cr3t")]
    [InlineData("{\"clientId\":\"00000000-0000-0000-0000-000000000001\",\"clientSecret\":\"p@ss w0rd\"}")]
    [InlineData("ünïcödé ✓ and a\nnewline")]
    [InlineData("")]
    public async Task SealedValue_OpensWithAnIndependentLibsodium(string plaintext)
    {
        var keyPair = Sodium.PublicKeyBox.GenerateKeyPair();

        var sealedValue = GitHubSecretClient.Seal(plaintext, Convert.ToBase64String(keyPair.PublicKey));

        if (plaintext.Length > 0)
        {
            Assert.DoesNotContain(plaintext, sealedValue, StringComparison.Ordinal);
        }

        var opened = await OpenWithNodeAsync(keyPair.PublicKey, keyPair.PrivateKey, sealedValue);
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void SealingTwice_GivesDifferentBoxes_BecauseEachUsesAFreshEphemeralKey()
    {
        var keyPair = Sodium.PublicKeyBox.GenerateKeyPair();
        var key = Convert.ToBase64String(keyPair.PublicKey);

        Assert.NotEqual(GitHubSecretClient.Seal("same", key), GitHubSecretClient.Seal("same", key));
    }

    internal static async Task<string> OpenWithNodeAsync(byte[] publicKey, byte[] secretKey, string sealedBase64)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "interop");
        var script = Path.Combine(directory, "open-sealed-box.js");
        var modules = Path.Combine(FindRepositoryInterop(), "node_modules");
        Assert.True(Directory.Exists(modules),
            $"The independent libsodium is not installed: run 'npm ci --prefix tests/MlEnvironments.GitHub.Tests/interop' (looked for {modules}).");

        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = modules },
        };
        using var process = Process.Start(start)!;
        var input = JsonSerializer.Serialize(new
        {
            publicKey = Convert.ToBase64String(publicKey),
            secretKey = Convert.ToBase64String(secretKey),
            @sealed = sealedBase64,
        });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "node failed: " + error);
        return output;
    }

    private static string FindRepositoryInterop()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "MlEnvironments.GitHub.Tests", "interop");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "interop");
    }
}
