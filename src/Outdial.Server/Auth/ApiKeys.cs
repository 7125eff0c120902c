using System.Security.Cryptography;
using System.Text;

namespace Outdial.Server.Auth;

/// <summary>API keys are 32 random bytes; only their SHA-256 is stored (they are high-entropy, so no slow hash is needed).</summary>
internal static class ApiKeys
{
    public static string Generate() => "od_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A short, non-secret prefix to tell keys apart in listings.</summary>
    public static string Prefix(string key) => key.Length <= 10 ? key : key[..10];
}
